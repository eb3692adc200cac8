"""Saliency: Grad-CAM and the input gradient against hand-written torch references (forward hooks and a
full backward pass, not the module's slicing), on every template with a Conv2d."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from workbench.insight.probe import probe
from workbench.insight.saliency import SaliencyError, saliency
from workbench.model import templates
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec

CONV_TEMPLATES = [
    name for name in templates.TEMPLATES if any(layer.type == "Conv2d" for layer in templates.template(name).walk())
]


def reference_grad_cam(model: nn.Sequential, x: torch.Tensor, target: int) -> np.ndarray:
    # the last Conv2d the spec has, in forward order: inside blocks too, never a Residual's 1×1 projection
    conv = [m for name, m in model.named_modules() if isinstance(m, nn.Conv2d) and "projection" not in name][-1]
    seen = {}
    handle = conv.register_forward_hook(lambda _m, _i, out: seen.setdefault("maps", out))
    try:
        out = model(x)
    finally:
        handle.remove()
    if isinstance(model[-1], nn.Softmax):  # explain the logit, not the probability
        out = model[:-1](x)
    maps = seen["maps"]
    (grads,) = torch.autograd.grad(out.flatten(1)[0, target], maps)
    alpha = grads[0].mean(dim=(1, 2))
    cam = torch.clamp((alpha[:, None, None] * maps[0]).sum(0), min=0)
    cam = F.interpolate(cam[None, None], size=x.shape[-2:], mode="bilinear", align_corners=False)[0, 0]
    return (cam / cam.max()).detach().numpy() if cam.max() > 0 else np.zeros(x.shape[-2:], np.float32)


def model_and_input(name: str, seed: int = 0):
    spec = templates.template(name)
    torch.manual_seed(seed)
    model = build_model(spec).eval()
    x = torch.randn(1, *spec.input)
    return model, x


@pytest.mark.parametrize("name", CONV_TEMPLATES)
def test_grad_cam_equals_the_torch_reference(name):
    model, x = model_and_input(name)
    for target in (None, 3):
        found = saliency(model, x, "grad-cam", target)
        chosen = found.target
        assert target is None or chosen == target
        expected = reference_grad_cam(model, x, chosen)
        assert found.map.shape == tuple(x.shape[-2:])
        np.testing.assert_allclose(found.map, expected, atol=1e-5)
        assert found.map.max() == pytest.approx(1.0) or not expected.any()


@pytest.mark.parametrize("name", CONV_TEMPLATES[:2])
def test_the_input_gradient_equals_a_full_backward_pass(name):
    model, x = model_and_input(name)
    pixels = x.clone().requires_grad_(True)
    logits = model(pixels).flatten(1)
    target = int(logits.argmax())
    logits[0, target].backward()
    expected = pixels.grad[0].abs().amax(0)
    expected = (expected / expected.max()).numpy()
    found = saliency(model, x, "gradient")
    assert found.target == target
    np.testing.assert_allclose(found.map, expected, atol=1e-5)


def test_grad_cam_without_a_conv_layer_says_what_to_use():
    spec = ModelSpec((1, 8, 8), (LayerSpec("Flatten", {}), LayerSpec("Linear", {"out_features": 3})))
    model = build_model(spec)
    with pytest.raises(SaliencyError, match="use the input gradient"):
        saliency(model, torch.zeros(1, 1, 8, 8), "grad-cam")
    assert saliency(model, torch.ones(1, 1, 8, 8), "gradient").map.shape == (8, 8)


def test_a_training_model_is_explained_in_eval_mode_and_left_training():
    model, x = model_and_input("mnist-bn")
    model.train()
    first = saliency(model, x, "grad-cam").map
    assert model.training
    np.testing.assert_allclose(saliency(model, x, "grad-cam").map, first, atol=1e-6)  # BatchNorm in eval: same


def test_the_probe_carries_the_saliency_asked_for_or_says_why_not():
    model, _ = model_and_input("mnist-classic")
    image = torch.rand(1, 28, 28)
    for method, target in (("grad-cam", None), ("gradient", 4)):
        update = probe(model, image, (0.5,), (0.25,), 7, 0, (method, target))
        expected = saliency(model, ((image - 0.5) / 0.25)[None], method, target)
        assert update.saliency.target == expected.target and update.saliency.method == method
        np.testing.assert_allclose(update.saliency.map, expected.map, atol=1e-6)
    assert probe(model, image, (0.5,), (0.25,), 7, 0).saliency is None  # only when asked
    flat = build_model(ModelSpec((1, 8, 8), (LayerSpec("Flatten", {}), LayerSpec("Linear", {"out_features": 3}))))
    update = probe(flat, torch.rand(1, 8, 8), (0.0,), (1.0,), None, 0, ("grad-cam", None))
    assert update.saliency is None and "Conv2d" in update.saliency_note


def test_a_run_sends_the_probes_saliency_for_the_class_asked_for():
    from tests.core.synthetic import BARS_SPEC, bars_dataset
    from workbench.events import ProbeUpdate
    from workbench.training.config import TrainConfig
    from workbench.training.trainer import Trainer

    dataset = bars_dataset(train=256, val=32, test=8)
    events = []
    trainer = Trainer(BARS_SPEC, dataset, TrainConfig(epochs=1, batch_size=32), listener=events.append)
    trainer.probe_interval = 0.0
    trainer.set_probe(dataset.test.images[0], int(dataset.test.labels[0]))
    trainer.set_explain("grad-cam", 2)
    trainer.fit()
    updates = [e for e in events if isinstance(e, ProbeUpdate)]
    assert updates and all(u.saliency is not None and u.saliency.target == 2 for u in updates)
