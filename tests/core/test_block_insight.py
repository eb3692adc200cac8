"""The insight features on models with blocks: the probe's feature maps, layer health, Grad-CAM and the
explorer's first convolution reach the layers inside Residual and Concat blocks, in forward order, each named
by its place; a plain model's layers keep their 1-based (probe) and 0-based (health) indices."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from workbench.explore.trained import ModelConv, first_conv, normalised
from workbench.explore.windows import explain_conv
from workbench.insight.health import HealthSampler, measure_health, update_ratios, weight_copies
from workbench.insight.health_history import HealthHistory
from workbench.insight.probe import probe, run_layers
from workbench.insight.saliency import saliency
from workbench.model import tree
from workbench.model.build import build_model
from workbench.model.built_layers import walk_modules
from workbench.model.spec import LayerSpec, ModelSpec


def conv2d(out: int, kernel: int = 3, **params) -> LayerSpec:
    return LayerSpec("Conv2d", {"out_channels": out, "kernel_size": kernel, "padding": kernel // 2, **params})


def residual(*layers: LayerSpec, relu_after: bool = True) -> LayerSpec:
    return LayerSpec("Residual", {"relu_after": relu_after}, branches=(tuple(layers),))


def concat(*branches: tuple[LayerSpec, ...]) -> LayerSpec:
    return LayerSpec("Concat", {}, branches=tuple(tuple(branch) for branch in branches))


HEAD = (
    LayerSpec("AdaptiveAvgPool2d", {"output_size": 1}),
    LayerSpec("Flatten"),
    LayerSpec("Linear", {"out_features": 5}),
)

# convolutions only inside blocks: a Concat of two conv branches, then a Residual whose 1×1 projection (it
# doubles the channels and halves the size) is a Conv2d that comes after the block's own last conv in the module
BLOCKS_ONLY = ModelSpec(
    (2, 12, 12),
    (
        concat((conv2d(4, 1),), (LayerSpec("ReLU"), conv2d(4))),
        residual(conv2d(16, stride=2), LayerSpec("BatchNorm2d"), LayerSpec("ReLU")),
        *HEAD,
    ),
)
# a top-level conv, then blocks (one nested in another): the example of model/tree.py's paths
MIXED = ModelSpec(
    (1, 10, 10),
    (
        conv2d(6),
        residual(
            conv2d(6),
            LayerSpec("ReLU"),
            concat((conv2d(3, 1),), (LayerSpec("MaxPool2d", {"kernel_size": 3, "stride": 1, "padding": 1}), conv2d(3))),
        ),
        *HEAD,
    ),
)


def built(spec: ModelSpec, seed: int = 0) -> nn.Sequential:
    torch.manual_seed(seed)
    return build_model(spec).eval()


def module_outputs(model: nn.Module, x: torch.Tensor) -> dict[str, torch.Tensor]:
    """Every named module's output on `x` (the reference: hooks on named_modules, not the walk)."""
    seen: dict[str, torch.Tensor] = {}
    hooks = [
        module.register_forward_hook(lambda _m, _i, out, name=name: seen.__setitem__(name, out))
        for name, module in model.named_modules()
        if name
    ]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for hook in hooks:
            hook.remove()
    return seen


# ----- the walk ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", [BLOCKS_ONLY, MIXED])
def test_the_walk_of_the_built_model_follows_the_spec_s_paths(spec):
    model = built(spec)
    walked = [layer for layer in walk_modules(model) if not layer.projection]
    assert [(layer.path, layer.name, layer.type) for layer in walked] == [
        (path, tree.module_name(spec, path), layer.type) for path, layer in tree.walk(spec)
    ]
    assert all(model.get_submodule(layer.name) is layer.module for layer in walk_modules(model))


def test_places_say_where_a_layer_sits_and_name_the_projection():
    places = {layer.name: layer.place for layer in walk_modules(built(BLOCKS_ONLY))}
    assert places["0"] == "1 Concat"
    assert places["0.branches.1.1"] == "1 Concat › branch 2 › 2 Conv2d"
    assert places["1.body.0"] == "2 Residual › 1 Conv2d"
    assert places["1.projection.0"] == "2 Residual › projection Conv2d"
    assert places["1.projection.1"] == "2 Residual › projection BatchNorm2d"
    nested = {layer.name: layer.place for layer in walk_modules(built(MIXED))}
    assert nested["1.body.2.branches.1.1"] == "2 Residual › 3 Concat › branch 2 › 2 Conv2d"


# ----- the probe -----------------------------------------------------------------------------------------


def test_the_probe_records_every_layer_inside_blocks_in_forward_order():
    model = built(MIXED)
    image = torch.rand(1, 10, 10)
    event = probe(model, image, (0.5,), (0.25,), 1, 7)
    keys = [key for key, _, _ in event.layers]
    expected = [path[0] + 1 if len(path) == 1 else tree.module_name(MIXED, path) for path, _ in tree.walk(MIXED)]
    assert keys == expected
    names = dict((key, name) for key, name, _ in event.layers)
    assert names[2] == "Residual" and names["1.body.2.branches.1.1"] == "2 Residual › 3 Concat › branch 2 › 2 Conv2d"
    reference = module_outputs(model, ((image - 0.5) / 0.25)[None])
    for key, _, output in event.layers:
        name = str(key - 1) if isinstance(key, int) else key
        np.testing.assert_allclose(output, reference[name][0].numpy(), rtol=1e-5, atol=1e-6)
    assert event.layers[1][2].shape == (6, 10, 10)  # the block's own output, right after its place
    np.testing.assert_allclose(event.logits, reference["4"][0].numpy(), rtol=1e-5, atol=1e-6)


def test_a_plain_model_keeps_its_layers_1_based_indices_and_types():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3), nn.Softmax(dim=1))
    outputs = run_layers(model, torch.rand(1, 1, 6, 6))
    assert [(key, name) for key, name, _ in outputs] == [
        (1, "Conv2d"),
        (2, "ReLU"),
        (3, "Flatten"),
        (4, "Linear"),
        (5, "Softmax"),
    ]
    event = probe(model, torch.rand(1, 6, 6), (0.5,), (0.5,), None, 0)
    np.testing.assert_allclose(event.logits, event.layers[3][2])  # the logits come before the Softmax


# ----- Grad-CAM -------------------------------------------------------------------------------------------


def reference_grad_cam(model: nn.Sequential, x: torch.Tensor, conv: nn.Module, target: int) -> np.ndarray:
    seen = {}
    handle = conv.register_forward_hook(lambda _m, _i, out: seen.setdefault("maps", out))
    try:
        logits = model(x)
    finally:
        handle.remove()
    maps = seen["maps"]
    (grads,) = torch.autograd.grad(logits[0, target], maps)
    cam = torch.clamp((grads[0].mean(dim=(1, 2))[:, None, None] * maps[0]).sum(0), min=0)
    cam = F.interpolate(cam[None, None], size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    return (cam / cam.max()).detach().numpy() if cam.max() > 0 else np.zeros(x.shape[-2:], np.float32)


def test_grad_cam_looks_at_the_last_conv_inside_a_block_not_the_projection():
    model = built(BLOCKS_ONLY, seed=3)
    x = torch.randn(1, 2, 12, 12)
    found = saliency(model, x, "grad-cam", 2)
    assert (found.layer, found.place) == ("1.body.0", "2 Residual › 1 Conv2d")
    expected = reference_grad_cam(model, x, model[1].body[0], 2)
    assert expected.any()
    np.testing.assert_allclose(found.map, expected, atol=1e-5)


def test_grad_cam_takes_the_last_branch_s_conv_and_keeps_a_top_level_conv_s_index():
    spec = ModelSpec((1, 8, 8), (conv2d(3), concat((conv2d(2, 1),), (conv2d(2),), ()), *HEAD))
    model = built(spec, seed=1)
    x = torch.randn(1, 1, 8, 8)
    found = saliency(model, x, "grad-cam", 0)
    assert (found.layer, found.place) == ("1.branches.1.0", "2 Concat › branch 2 › 1 Conv2d")
    np.testing.assert_allclose(found.map, reference_grad_cam(model, x, model[1].branches[1][0], 0), atol=1e-5)
    plain = ModelSpec((1, 8, 8), (conv2d(3), LayerSpec("ReLU"), conv2d(2), *HEAD))
    assert saliency(built(plain), x, "grad-cam").layer == 3


# ----- layer health ---------------------------------------------------------------------------------------


def _batch(spec: ModelSpec, count: int = 16):
    torch.manual_seed(5)
    return torch.rand(count, *spec.input), torch.randint(0, 5, (count,))


def test_health_measures_the_layers_inside_blocks_and_the_projection():
    model = built(BLOCKS_ONLY).train()
    x, y = _batch(BLOCKS_ONLY)
    health = measure_health(model, x, y)
    by_key = {entry.index: entry for entry in health}
    assert [entry.index for entry in health] == [key for key in by_key]  # one entry each
    assert [entry.label for entry in health][:4] == [
        "1 Concat",
        "1 Concat › branch 1 › 1 Conv2d",
        "1 Concat › branch 2 › 1 ReLU",
        "1 Concat › branch 2 › 2 Conv2d",
    ]
    assert by_key["1.projection.0"].label == "2 Residual › projection Conv2d"
    assert by_key[4].label == "5 Linear" and by_key[0].weights is None  # a block has no weights of its own
    model.zero_grad()
    F.cross_entropy(model(x), y).backward()
    for key in ("0.branches.0.0", "0.branches.1.1", "1.body.0", "1.body.1", "1.projection.0", "1.projection.1", 4):
        weight = model.get_submodule(str(key)).weight
        assert by_key[key].grad_norm == pytest.approx(weight.grad.norm().item(), rel=1e-4), key
        assert by_key[key].weights[0].sum() == weight.numel()


def test_a_dead_relu_inside_a_block_is_flagged_with_its_place():
    spec = BLOCKS_ONLY.with_layers((concat((conv2d(4, 1),), (conv2d(4), LayerSpec("ReLU"))), *BLOCKS_ONLY.layers[1:]))
    model = built(spec)
    with torch.no_grad():
        model.get_submodule("0.branches.1.0").bias.fill_(-100.0)
    health = {entry.index: entry for entry in measure_health(model, *_batch(spec))}
    relu = health["0.branches.1.1"]
    assert relu.dead_fraction == pytest.approx(1.0) and relu.label == "1 Concat › branch 2 › 2 ReLU"
    assert any("dead units" in flag for flag in relu.flags)
    assert any("vanishing" in flag for flag in health["0.branches.1.0"].flags)  # no gradient through dead units


def test_update_ratios_and_the_history_follow_layers_inside_blocks():
    model = built(MIXED)
    before = weight_copies(model)
    assert {0, "1.body.0", "1.body.2.branches.0.0", "1.body.2.branches.1.1", 4} <= set(before)
    with torch.no_grad():
        model.get_submodule("1.body.2.branches.1.1").weight.mul_(1.02)
    ratios = update_ratios(before, model)
    assert ratios["1.body.2.branches.1.1"] == pytest.approx(0.02, rel=1e-4)
    assert ratios[0] == pytest.approx(0.0) and ratios["1.body.0"] == pytest.approx(0.0)

    sampler, history = HealthSampler(model.train(), interval=0.0), HealthHistory()
    x, y = _batch(MIXED)
    for step in (1, 2):
        sampler.before_step()
        with torch.no_grad():
            model.get_submodule("1.body.0").weight.mul_(1.01)
        history.add(sampler.after_step(x, y, step))
    entry = history.layer(history.latest, "1.body.0")
    assert entry.update_ratio == pytest.approx(0.01, rel=1e-3) and entry.label == "2 Residual › 1 Conv2d"
    assert history.has("1.body.0", "weights") and not history.has("1.body.1", "weights")
    assert history.density("1.body.0", "gradients").image.shape[0] == 2
    assert history.series("1.body.0", "update_ratio")[0].tolist() == [1, 2]


# ----- the explorer's first convolution ---------------------------------------------------------------------


def _check_first_conv(model: nn.Sequential, image: np.ndarray, conv_module: nn.Conv2d) -> ModelConv:
    """The explorer's conv is `conv_module`, and its filters on the layer input it computes equal the model's."""
    conv = first_conv(model)
    assert isinstance(conv, ModelConv)
    np.testing.assert_array_equal(conv.weight, conv_module.weight.detach().double().numpy())
    x = normalised(image)
    seen = {}
    hook = conv_module.register_forward_hook(lambda _m, inputs, out: seen.update(input=inputs[0], output=out))
    try:
        with torch.no_grad():
            model(torch.as_tensor(x, dtype=torch.float32)[None])
    finally:
        hook.remove()
    layer_input = conv.layer_input(x)
    np.testing.assert_allclose(layer_input, seen["input"][0].double().numpy(), rtol=1e-5, atol=1e-6)
    for k in range(conv.filters):
        result = explain_conv(layer_input[conv.channels(k)], conv.kernel(k), conv.settings, float(conv.bias[k]))
        torch.testing.assert_close(result.output.float(), seen["output"][0, k], atol=1e-5, rtol=1e-5)
    return conv


def test_the_first_conv_may_sit_in_a_concat_branch_after_other_layers():
    model = built(BLOCKS_ONLY)
    image = np.random.default_rng(0).random((2, 12, 12)).astype(np.float32)
    conv = _check_first_conv(model, image, model.get_submodule("0.branches.0.0"))
    assert conv.position == 1 and conv.describe(0) == "filter 1 of 4 of layer 1 Concat › branch 1 › layer 1 Conv2d"
    second_branch = ModelSpec(
        (2, 12, 12), (concat((LayerSpec("MaxPool2d", {"kernel_size": 1}),), (LayerSpec("ReLU"), conv2d(4))), *HEAD)
    )
    model = built(second_branch)
    found = _check_first_conv(model, image, model.get_submodule("0.branches.1.1"))
    assert [type(layer).__name__ for layer in found.lead_in] == ["ReLU"]  # the first branch does not feed it


def test_the_first_conv_inside_a_residual_reads_the_layers_before_the_block():
    spec = ModelSpec((1, 9, 9), (LayerSpec("BatchNorm2d"), residual(LayerSpec("ReLU"), conv2d(3)), *HEAD))
    model = built(spec)
    with torch.no_grad():
        model[0].running_mean.fill_(0.3)
    image = np.random.default_rng(1).random((1, 9, 9)).astype(np.float32)
    conv = _check_first_conv(model, image, model[1].body[1])
    assert [type(layer).__name__ for layer in conv.lead_in] == ["BatchNorm2d", "ReLU"]
    assert conv.position == 2 and conv.where == "layer 2 Residual › layer 2 Conv2d"
    plain = first_conv(nn.Sequential(nn.ReLU(), nn.Conv2d(1, 2, 3)))
    assert plain.position == 2 and plain.describe(1) == "filter 2 of 2 of layer 2 Conv2d"
