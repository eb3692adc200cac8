"""Layer health: dead ReLUs, saturation, gradient norms and update ratios measured as defined."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from workbench.events import HealthUpdate
from workbench.insight.health import histogram, measure_health, update_ratios, weight_copies
from workbench.insight.health_history import MAX_KEPT, DensityImage, HealthHistory, on_step_grid, rebin
from workbench.model.build import build_model
from workbench.model.templates import template


def _small(bias: float, activation: nn.Module) -> nn.Sequential:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3), activation, nn.Flatten(), nn.Linear(8 * 10 * 10, 4))
    with torch.no_grad():
        model[0].bias.fill_(bias)
    return model


def _batch():
    torch.manual_seed(1)
    return torch.rand(32, 1, 12, 12), torch.randint(0, 4, (32,))


def test_a_relu_after_a_large_negative_bias_is_all_dead_and_flagged():
    health = measure_health(_small(-100.0, nn.ReLU()), *_batch())
    relu = health[1]
    assert relu.dead_fraction == pytest.approx(1.0)
    assert any("dead" in flag for flag in relu.flags)
    assert health[0].grad_norm == pytest.approx(0.0)  # nothing flows back through dead units
    assert any("vanishing" in flag for flag in health[0].flags)


def test_a_healthy_relu_is_mostly_alive_and_not_flagged():
    relu = measure_health(_small(0.1, nn.ReLU()), *_batch())[1]
    assert relu.dead_fraction < 0.2 and relu.flags == []


def test_saturation_of_sigmoid_and_tanh():
    assert measure_health(_small(50.0, nn.Sigmoid()), *_batch())[1].saturated_fraction == pytest.approx(1.0)
    assert measure_health(_small(-50.0, nn.Tanh()), *_batch())[1].saturated_fraction == pytest.approx(1.0)
    assert measure_health(_small(0.0, nn.Tanh()), *_batch())[1].saturated_fraction < 0.1


def test_gradients_match_autograd_and_leave_the_model_s_grads_alone():
    model = _small(0.1, nn.ReLU())
    x, y = _batch()
    health = measure_health(model, x, y)
    assert all(p.grad is None for p in model.parameters())
    nn.functional.cross_entropy(model(x), y).backward()
    assert health[3].grad_norm == pytest.approx(model[3].weight.grad.norm().item(), rel=1e-5)
    counts, edges = health[3].gradients
    assert counts.sum() == model[3].weight.numel() and len(edges) == len(counts) + 1


def test_update_ratio_is_the_relative_change_of_the_weights():
    model = _small(0.1, nn.ReLU())
    before = weight_copies(model)
    with torch.no_grad():
        model[3].weight.mul_(1.01)
    ratios = update_ratios(before, model)
    assert ratios[3] == pytest.approx(0.01, rel=1e-4)
    assert ratios[0] == pytest.approx(0.0)


@pytest.mark.parametrize("name", ["mnist-classic", "mnist-fast"])
def test_every_layer_of_a_template_is_measured(name):
    spec = template(name)
    model = build_model(spec)
    health = measure_health(model, torch.rand(8, *spec.input), torch.randint(0, 10, (8,)))
    assert len(health) == len([layer for layer in spec.layers if layer.type not in ("Softmax", "LogSoftmax")])
    assert all(entry.activations[0].sum() > 0 for entry in health)


def test_measuring_leaves_batchnorm_running_statistics_unchanged():
    model = build_model(template("mnist-fast")).train()
    before = {name: b.clone() for name, b in model.named_buffers()}
    measure_health(model, torch.rand(8, 1, 28, 28), torch.randint(0, 10, (8,)))
    for name, buffer in model.named_buffers():
        assert torch.equal(buffer, before[name]), name


def test_the_trainer_reports_health_while_training_when_asked():
    from tests.core.synthetic import BARS_SPEC, bars_dataset
    from workbench.events import HealthUpdate
    from workbench.training.config import TrainConfig
    from workbench.training.trainer import Trainer

    spec = BARS_SPEC
    config = TrainConfig(epochs=1, batch_size=32, threads=1, seed=3)
    seen = []
    Trainer(spec, bars_dataset(train=512), config, listener=seen.append, health_interval=0.0).fit()
    updates = [event for event in seen if isinstance(event, HealthUpdate)]
    assert len(updates) == 16  # every step, at interval 0
    assert [u.step for u in updates] == list(range(1, 17))
    last = updates[-1]
    assert [entry.type for entry in last.layers] == ["Conv2d", "ReLU", "Flatten", "Linear"]
    assert set(last.update_ratios) == {0, 3} and all(r > 0 for r in last.update_ratios.values())
    assert last.layers[0].update_ratio == last.update_ratios[0]
    quiet = []
    Trainer(spec, bars_dataset(train=512), config, listener=quiet.append).fit()
    assert not any(isinstance(event, HealthUpdate) for event in quiet)


def test_histogram_counts_the_finite_values_like_numpy():
    values = torch.tensor([0.0, 1.0, 2.0, 3.0, float("inf"), float("nan"), -float("inf"), 3.0])
    counts, edges = histogram(values, bins=3)
    expected, expected_edges = np.histogram([0.0, 1.0, 2.0, 3.0, 3.0], bins=3)
    assert counts.tolist() == expected.tolist()
    assert np.allclose(edges, expected_edges)
    empty_counts, _ = histogram(torch.tensor([float("nan")]), bins=3)
    assert empty_counts.tolist() == [0, 0, 0]


def test_rebin_keeps_the_counts_and_is_the_identity_on_the_same_edges():
    counts, edges = np.array([1, 4, 0, 5]), np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    assert rebin(counts, edges, edges).tolist() == pytest.approx(counts.tolist())
    wider = rebin(counts, edges, np.array([-2.0, 0.0, 2.0, 4.0, 6.0]))
    assert wider.tolist() == pytest.approx([0.0, 5.0, 5.0, 0.0])


def _update(step: int, scale: float, model: nn.Sequential) -> HealthUpdate:
    x, y = _batch()
    return HealthUpdate(step, tuple(measure_health(model, x * scale, y)), {})


def test_history_draws_each_layers_histograms_over_time_on_one_range():
    history, model = HealthHistory(), _small(0.1, nn.ReLU())
    for step, scale in ((10, 1.0), (20, 3.0), (30, 9.0)):
        history.add(_update(step, scale, model))
    density = history.density(0, "activations", bins=20)
    assert density.image.shape == (3, 20) and density.steps.tolist() == [10, 20, 30]
    assert density.image.sum(axis=1) == pytest.approx([1.0, 1.0, 1.0])
    last = history.latest.layers[0].activations[1]
    assert density.low <= last[0] and density.high == pytest.approx(max(last[-1], density.high))
    assert history.has(0, "weights") and not history.has(1, "weights")  # a ReLU has no weights
    assert history.density(1, "gradients") is None
    steps, norms = history.series(0, "grad_norm")
    assert steps.tolist() == [10, 20, 30] and (norms > 0).all()


def test_history_thins_old_measurements_and_keeps_the_latest():
    history, model = HealthHistory(), _small(0.1, nn.ReLU())
    update = _update(0, 1.0, model)
    for step in range(MAX_KEPT + 50):
        history.add(HealthUpdate(step, update.layers, {}))
    assert len(history) <= MAX_KEPT and history.latest.step == MAX_KEPT + 49
    steps = [u.step for u in history.updates]
    assert steps == sorted(steps)


def test_on_step_grid_gives_every_step_range_the_same_width():
    image = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    density = DensityImage(image, np.array([0, 10, 100]), 0.0, 1.0)
    grid, first, last = on_step_grid(density, columns=12)
    assert (first, last) == (0.0, 100.0) and grid.shape == (12, 2)
    assert grid[0].tolist() == [1.0, 0.0] and grid[-1].tolist() == [0.5, 0.5]
    assert sum(row.tolist() == [0.0, 1.0] for row in grid) > sum(row.tolist() == [1.0, 0.0] for row in grid)
