"""The Learn tab's worked examples agree with torch: convolution window by window equals nn.Conv2d
(every padding mode, dilation, stride, several channels), pooling equals F.max_pool2d / F.avg_pool2d
(ceil_mode, count_include_pad, divisor_override), and whatever torch refuses is a Problem message."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from workbench.explore.trained import NO_CONV, ModelConv, first_conv, normalised
from workbench.explore.windows import (
    INPUT_PRESETS,
    KERNEL_PRESETS,
    PADDING_MODES,
    Problem,
    WindowSettings,
    explain_conv,
    explain_pool,
    input_preset,
    kernel_preset,
    number,
)

CASES = 400


def _pair(rng, low: int, high: int) -> tuple[int, int]:
    return int(rng.integers(low, high + 1)), int(rng.integers(low, high + 1))


def _torch_conv(x, kernel, bias, s: WindowSettings):
    """What nn.Conv2d._conv_forward computes: F.pad first for the non-zeros modes, then F.conv2d."""
    t, weight = torch.as_tensor(x)[None], torch.as_tensor(kernel)[None]
    b = torch.tensor([bias], dtype=torch.float64)
    if s.padding_mode == "zeros":
        return F.conv2d(t, weight, b, s.stride, s.padding, s.dilation)[0, 0]
    (ph, pw) = s.padding
    return F.conv2d(F.pad(t, (pw, pw, ph, ph), mode=s.padding_mode), weight, b, s.stride, 0, s.dilation)[0, 0]


def _often_one(rng) -> tuple[int, int]:
    return (1, 1) if rng.random() < 0.4 else _pair(rng, 1, 3)


def _random_conv(rng):
    channels, height, width = int(rng.integers(1, 4)), *_pair(rng, 1, 8)
    mode = str(rng.choice(PADDING_MODES))
    settings = WindowSettings(_pair(rng, 1, 4), _often_one(rng), _pair(rng, 0, 3), _often_one(rng), mode)
    x = rng.normal(size=(channels, height, width))
    return x, rng.normal(size=(channels, *settings.kernel)), float(rng.normal()), settings


def test_convolution_equals_torch_for_random_settings():
    rng = np.random.default_rng(8)
    compared, modes, refused = 0, set(), 0
    while compared < CASES:
        x, kernel, bias, settings = _random_conv(rng)
        result = explain_conv(x, kernel, settings, bias)
        if isinstance(result, Problem):
            refused += 1
            with pytest.raises(RuntimeError):  # torch refuses too (or gives an empty output)
                out = _torch_conv(x, kernel, bias, settings)
                if out.numel() == 0:
                    raise RuntimeError("empty")
            continue
        expected = _torch_conv(x, kernel, bias, settings)
        assert result.output.shape == expected.shape, settings
        torch.testing.assert_close(result.output, expected)
        compared += 1
        modes.add((settings.padding_mode, settings.stride != (1, 1), settings.dilation != (1, 1), x.shape[0] > 1))
    assert len(modes) == 32 and refused > 50  # every mode × stride × dilation × channels combination met


def test_conv_padded_input_window_and_sum_text():
    x = np.arange(9, dtype=float).reshape(1, 3, 3)
    kernel = np.array([[[1.0, 0.0], [-1.0, 0.5]]])
    result = explain_conv(x, kernel, WindowSettings((2, 2), (1, 1), (1, 1), padding_mode="replicate"), bias=1.0)
    assert result.padded.shape == (1, 5, 5)
    assert result.padded[0, 0].tolist() == [0, 0, 1, 2, 2]  # the edge repeated
    assert result.pad_mask[0].all() and not result.pad_mask[1, 1]
    assert result.window(1, 2) == [(1, 2), (1, 3), (2, 2), (2, 3)]
    # window (1, 2): padded values 1, 2, 4, 5 → 1·1 + 2·0 + 4·(−1) + 5·0.5 = −0.5, plus bias 1
    assert result.sum_text(1, 2) == "1×1 + 2×0 + 4×(−1) + 5×0.5 = −0.5\noutput = −0.5 + bias 1 = 0.5"
    assert float(result.output[1, 2]) == 0.5
    assert result.formula[0] == "H_out = ⌊(3 + 2·1 − 1·(2−1) − 1)/1⌋ + 1 = 4"


def test_multichannel_sum_text_adds_the_channels():
    x = np.ones((2, 3, 3))
    kernel = np.stack([np.full((3, 3), 1.0), np.full((3, 3), -2.0)])
    result = explain_conv(x, kernel, WindowSettings((3, 3)))
    lines = result.sum_text(0, 0).splitlines()
    assert lines[0].startswith("channel 1: 1×1 + ") and lines[0].endswith("= 9")
    assert lines[1].endswith("= −18") and lines[2] == "output = 9 + −18 = −9"


@pytest.mark.parametrize(
    ("settings", "shape", "words"),
    [
        (WindowSettings((3, 3), padding=(3, 3), padding_mode="reflect"), (1, 3, 3), "reflect"),
        (WindowSettings((3, 3), padding=(4, 4), padding_mode="circular"), (1, 3, 3), "circular"),
        (WindowSettings((5, 5)), (1, 3, 3), "does not fit"),
        (WindowSettings((3, 3), dilation=(2, 2)), (1, 4, 4), "does not fit"),
    ],
)
def test_impossible_settings_are_messages(settings, shape, words):
    result = explain_conv(np.zeros(shape), np.zeros((1, *settings.kernel)), settings)
    assert isinstance(result, Problem) and words in result.message


def _random_pool(rng):
    kind = str(rng.choice(["max", "avg"]))
    kernel = _pair(rng, 1, 4)
    settings = WindowSettings(
        kernel,
        _pair(rng, 1, 3),
        (int(rng.integers(0, kernel[0] // 2 + 1)), int(rng.integers(0, kernel[1] // 2 + 1))),
        _pair(rng, 1, 3) if kind == "max" else (1, 1),
        ceil_mode=bool(rng.integers(0, 2)),
        count_include_pad=bool(rng.integers(0, 2)),
        divisor_override=int(rng.integers(1, 5)) if kind == "avg" and rng.random() < 0.2 else None,
    )
    return rng.normal(size=_pair(rng, 1, 8)), kind, settings


def _torch_pool(x, kind: str, s: WindowSettings):
    t = torch.as_tensor(x)[None, None]
    if kind == "max":
        return F.max_pool2d(t, s.kernel, s.stride, s.padding, s.dilation, s.ceil_mode)[0, 0]
    return F.avg_pool2d(t, s.kernel, s.stride, s.padding, s.ceil_mode, s.count_include_pad, s.divisor_override)[0, 0]


def test_pooling_equals_torch_for_random_settings():
    rng = np.random.default_rng(9)
    compared, seen = 0, set()
    while compared < CASES:
        x, kind, settings = _random_pool(rng)
        result = explain_pool(x, kind, settings)
        if isinstance(result, Problem):
            continue
        expected = _torch_pool(x, kind, settings)
        assert result.output.shape == expected.shape, (kind, settings)
        torch.testing.assert_close(result.output, expected)
        compared += 1
        seen.add((kind, settings.ceil_mode, settings.padding != (0, 0), settings.count_include_pad))
    assert len(seen) == 16


def test_max_pool_highlights_the_first_maximum():
    x = np.array([[1.0, 5.0, 5.0], [0.0, 2.0, 3.0], [4.0, 4.0, 0.0]])
    result = explain_pool(x, "max", WindowSettings((2, 2), (1, 1), (1, 1)))
    assert result.grid_shape == (5, 5) and result.grid[0, 0] == float("-inf")
    assert result.window(0, 0) == [(1, 1)]  # only the input cell counts; padding is −∞
    assert result.chosen(1, 2) == (1, 2)  # 5 and 5: torch keeps the first
    assert result.value_text(1, 2) == "max(5, 5, 2, 3) = 5"


def test_ceil_mode_window_past_the_padding_is_cut():
    x = np.arange(25, dtype=float).reshape(5, 5)
    result = explain_pool(x, "avg", WindowSettings((2, 2), (2, 2), ceil_mode=True))
    assert result.out_shape == (3, 3) and result.grid_shape == (6, 6)
    assert len(result.frame(2, 2)) == 4 and result.window(2, 2) == [(4, 4)]
    assert result.divisor(2, 2) == 1 and float(result.output[2, 2]) == 24
    assert result.outside_mask[5].all() and not result.outside_mask[4, 4]


def test_pool_problems():
    too_much_padding = explain_pool(np.zeros((4, 4)), "max", WindowSettings((2, 2), padding=(2, 2)))
    assert isinstance(too_much_padding, Problem) and "half the kernel" in too_much_padding.message
    dilated_avg = explain_pool(np.zeros((4, 4)), "avg", WindowSettings((2, 2), dilation=(2, 2)))
    assert isinstance(dilated_avg, Problem) and "dilation" in dilated_avg.message


@pytest.mark.parametrize("name", INPUT_PRESETS)
def test_input_presets_have_the_asked_shape(name):
    for shape in ((1, 1, 1), (3, 7, 5), (2, 12, 12)):
        values = input_preset(name, *shape)
        assert values.shape == shape and values.dtype == np.float64
        assert shape == (1, 1, 1) or values.max() > 0


@pytest.mark.parametrize("name", KERNEL_PRESETS)
def test_kernel_presets_have_the_asked_shape(name):
    kernel = kernel_preset(name, 2, 3, 4)
    assert kernel.shape == (2, 3, 4) and np.isfinite(kernel).all()


def test_edge_kernel_finds_a_vertical_edge():
    x = np.zeros((1, 3, 4))
    x[0, :, 2:] = 1
    result = explain_conv(x, kernel_preset("Vertical edge", 1, 3, 3), WindowSettings((3, 3)))
    assert result.output.tolist() == [[3.0, 3.0]]


def test_number_formatting():
    assert [number(v) for v in (2.0, -1.0, 0.125, -0.001, float("-inf"))] == ["2", "−1", "0.12", "0", "−∞"]


# ----- a real model's first convolution ---------------------------------------------------------------


def _check_filters_equal_the_layer(model: nn.Sequential, image: np.ndarray, mean=(), std=()):
    conv = first_conv(model)
    assert isinstance(conv, ModelConv)
    x = normalised(image, mean, std)
    modes = [module.training for module in model.modules()]
    layer_input = conv.layer_input(x)
    assert [module.training for module in model.modules()] == modes  # the model's mode is left as it was
    with torch.no_grad():
        model.eval()
        expected = model[: conv.position](torch.as_tensor(x, dtype=torch.float32)[None])[0]
    for k in range(conv.filters):
        values = layer_input[conv.channels(k)]
        result = explain_conv(values, conv.kernel(k), conv.settings, float(conv.bias[k]))
        torch.testing.assert_close(result.output.float(), expected[k], atol=1e-5, rtol=1e-5)
    return conv


@pytest.mark.parametrize(
    "layer",
    [
        nn.Conv2d(1, 4, 3),
        nn.Conv2d(1, 3, 5, padding="same", padding_mode="reflect"),
        nn.Conv2d(1, 2, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), padding_mode="circular"),
        nn.Conv2d(1, 2, 3, padding="valid", bias=False, padding_mode="replicate"),
    ],
)
def test_model_filters_on_a_normalised_image_equal_the_layer(layer):
    torch.manual_seed(1)
    image = np.random.default_rng(0).integers(0, 256, size=(1, 9, 8), dtype=np.uint8)
    conv = _check_filters_equal_the_layer(nn.Sequential(layer, nn.ReLU()), image, (0.13,), (0.31,))
    assert conv.position == 1 and conv.filters == layer.out_channels and conv.describe(1).startswith("filter 2 of")


def test_layers_before_the_conv_make_its_input_and_groups_pick_the_channels():
    torch.manual_seed(2)
    norm = nn.BatchNorm2d(2)
    norm.running_mean.fill_(0.4)
    norm.running_var.fill_(0.2)
    model = nn.Sequential(norm, nn.Conv2d(2, 4, 3, padding=1, groups=2))
    image = np.random.default_rng(1).random((2, 6, 6)).astype(np.float32)
    conv = _check_filters_equal_the_layer(model, image)
    assert conv.position == 2 and conv.channels_per_filter == 1
    assert (conv.channels(0), conv.channels(3)) == (slice(0, 1), slice(1, 2))
    assert conv.settings == WindowSettings((3, 3), (1, 1), (1, 1), (1, 1), "zeros")


def test_normalised_reads_images_as_the_classifier_does():
    from workbench.insight.classify import Classifier
    from workbench.model.spec import LayerSpec, ModelSpec

    spec = ModelSpec((3, 4, 4), (LayerSpec("Conv2d", {"out_channels": 2, "kernel_size": 3}),))
    classifier = Classifier.untrained(spec, (0.1, 0.2, 0.3), (0.5, 0.6, 0.7), ())
    image = np.random.default_rng(2).random((3, 4, 4)).astype(np.float32)
    np.testing.assert_array_equal(normalised(image, classifier.mean, classifier.std), classifier.normalise(image)[0])
    as_bytes = np.full((1, 2, 2), 255, dtype=np.uint8)
    np.testing.assert_allclose(normalised(as_bytes, (0.5,), (0.25,)), np.full((1, 2, 2), 2.0))


def test_models_without_a_conv_to_show_are_problems():
    assert "No model" in first_conv(None).message
    assert first_conv(nn.Sequential(nn.Flatten(), nn.Linear(4, 2))).message == NO_CONV
    even_same = first_conv(nn.Sequential(nn.Conv2d(1, 2, 2, padding="same")))
    assert isinstance(even_same, Problem) and "odd kernel_size" in even_same.message
    conv = first_conv(nn.Sequential(nn.Conv2d(3, 2, 3)))
    wrong = conv.layer_input(np.zeros((1, 5, 5)))
    assert isinstance(wrong, Problem) and "layer 1 Conv2d with 1 channel(s), but it reads 3" in wrong.message
    assert (wrong.message.code, wrong.message.values["got"], wrong.message.values["count"]) == (
        "explore.channels",
        "1",
        "3",
    )
    assert first_conv(None).message.code == "explore.no_model" and even_same.message.code == "explore.same_uneven"
