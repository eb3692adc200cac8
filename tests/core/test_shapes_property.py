"""Property test: shape inference agrees exactly with the torch model that build_model makes, and
impossible stacks give a located error instead of an exception."""

from __future__ import annotations

import pytest
import torch

from workbench.model.build import BuildError, build_model
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec


def run_layers(model: torch.nn.Sequential, spec: ModelSpec) -> list[tuple[int, ...]]:
    x = torch.randn(2, *spec.input)
    shapes = []
    with torch.no_grad():
        for module in model:
            x = module(x)
            shapes.append(tuple(x.shape[1:]))
    return shapes


@pytest.mark.filterwarnings("ignore:Using padding=.same.:UserWarning")
def test_inference_matches_torch_or_locates_the_error():
    from hypothesis import HealthCheck, given, settings

    from tests.core.spec_strategies import specs

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs())
    def check(spec: ModelSpec):
        _inference_matches_torch_or_locates_the_error(spec)

    check()


def _inference_matches_torch_or_locates_the_error(spec: ModelSpec) -> None:
    inference = infer(spec)  # must never raise
    if inference.ok:
        model = build_model(spec).eval()
        assert run_layers(model, spec) == [info.output for info in inference.layers]
        for module, info in zip(model, inference.layers, strict=True):
            assert sum(p.numel() for p in module.parameters()) == info.params
    else:
        error = inference.error
        assert 1 <= error.index <= len(spec.layers)
        assert error.type == spec.layers[error.index - 1].type
        assert error.message.startswith(f"layer {error.index} {error.type}: ")
        # every layer before the error really works in torch, with the inferred shapes
        prefix = spec.with_layers(spec.layers[: error.index - 1])
        if prefix.layers:
            assert run_layers(build_model(prefix).eval(), prefix) == [i.output for i in inference.layers]
        try:
            build_model(spec)
        except BuildError as exc:
            assert str(exc) == error.message
        else:
            raise AssertionError("build_model accepted a spec that inference rejected")


def test_property_test_sees_both_valid_and_invalid_stacks():
    """Guard against a generator that only ever makes one kind of stack."""
    from hypothesis import given, settings

    from tests.core.spec_strategies import specs

    outcomes = set()

    @settings(max_examples=200, deadline=None)
    @given(specs())
    def collect(spec):
        outcomes.add(infer(spec).ok)

    collect()
    assert outcomes == {True, False}


def _torch_shape_or_none(module: torch.nn.Module, shape: tuple[int, ...]):
    try:
        with torch.no_grad():
            return tuple(module(torch.zeros(1, *shape)).shape[1:])
    except RuntimeError:
        return None


def _inferred_or_none(spec: ModelSpec):
    inference = infer(spec)
    return inference.output if inference.ok else None


def test_pooling_edge_cases_match_torch_exhaustively():
    """ceil_mode's last-window correction and the padding limit only show at the edges: try all."""
    for size in range(1, 9):
        for k in range(1, 5):
            for stride in (1, 2, 3):
                for pad in range(0, k // 2 + 1):
                    for dil in (1, 2):
                        for ceil in (False, True):
                            params = dict(kernel_size=k, stride=stride, padding=pad, dilation=dil, ceil_mode=ceil)
                            spec = ModelSpec((1, size, size), (LayerSpec("MaxPool2d", params),))
                            torch_shape = _torch_shape_or_none(torch.nn.MaxPool2d(**params), (1, size, size))
                            assert _inferred_or_none(spec) == torch_shape, params | {"size": size}
                            if dil == 1:
                                del params["dilation"]
                                spec = ModelSpec((1, size, size), (LayerSpec("AvgPool2d", params),))
                                torch_shape = _torch_shape_or_none(torch.nn.AvgPool2d(**params), (1, size, size))
                                assert _inferred_or_none(spec) == torch_shape, params | {"size": size}


@pytest.mark.filterwarnings("ignore:Using padding=.same.:UserWarning")
def test_conv_padding_modes_match_torch_exhaustively():
    for size in range(1, 6):
        for k in (1, 2, 3, 4):
            for padding in (0, 1, 2, 3, 4, "same", "valid"):
                for mode in ("zeros", "reflect", "replicate", "circular"):
                    for dil in (1, 2):
                        params = dict(out_channels=2, kernel_size=k, padding=padding, padding_mode=mode, dilation=dil)
                        spec = ModelSpec((1, size, size), (LayerSpec("Conv2d", params),))
                        module = torch.nn.Conv2d(1, **params)
                        expected = _torch_shape_or_none(module, (1, size, size))
                        assert _inferred_or_none(spec) == expected, params | {"size": size}
