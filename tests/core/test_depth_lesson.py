"""The Learn tab's depth lesson: the plain and the residual 20-layer network differ only by their shortcuts, and
trained as the page trains them, the residual one learns while the plain one's early gradients vanish (margins
measured on the built-in digits: plain loss 2.30 and accuracy 10%, residual 0.36 and 83%, first-layer gradient
norms 1.8e-7 against 2.1e-1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from workbench.data.datasets import load_dataset, to_device
from workbench.explore.depth import (
    PLAIN,
    RESIDUAL_NAME,
    DepthCancelled,
    DepthSettings,
    LessonData,
    gradient_norms,
    lesson_specs,
    momentum_step,
    run_lesson,
    weight_layers,
)
from workbench.insight.health import measure_health
from workbench.model import helptext
from workbench.model.build import build_model


@pytest.fixture(scope="module")
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the page runs it
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def digits(one_thread) -> LessonData:
    dataset = load_dataset("digits")
    train_x, train_y = to_device(dataset.train, dataset.mean, dataset.std, "cpu")
    test_x, test_y = to_device(dataset.test, dataset.mean, dataset.std, "cpu")
    return LessonData(train_x, train_y, test_x, test_y, dataset.num_classes)


@pytest.fixture(scope="module")
def lesson(digits):
    """The lesson as the page runs it (about 4 s on one core)."""
    return run_lesson(digits, DepthSettings())


def test_the_two_networks_differ_only_by_their_shortcuts():
    plain, residual = lesson_specs((1, 28, 28), 10, DepthSettings())
    assert (plain.name, residual.name) == (PLAIN, RESIDUAL_NAME)
    blocks = [layer for layer in residual.layers if layer.is_block]
    assert len(blocks) == 9 and all(block.type == "Residual" and len(block.layers) == 4 for block in blocks)
    unwrapped = [inner for layer in residual.layers for inner in (layer.layers if layer.is_block else (layer,))]
    assert tuple(unwrapped) == plain.layers
    models = []
    for spec in (plain, residual):
        torch.manual_seed(0)
        models.append(build_model(spec))
    assert len(weight_layers(plain, models[0])) == len(weight_layers(residual, models[1])) == 20
    values = [list(model.state_dict().values()) for model in models]
    assert len(values[0]) == len(values[1]) and all(map(torch.equal, *values))  # the same starting weights


def test_gradient_norms_are_the_layer_health_measurement(digits):
    plain = lesson_specs((1, 28, 28), 10, DepthSettings())[0]
    torch.manual_seed(1)
    model = build_model(plain)
    x, y = digits.train_x[:64], digits.train_y[:64]
    ours = gradient_norms(model, [module.weight for _, module in weight_layers(plain, model)], x, y)
    health = [entry.grad_norm for entry in measure_health(model, x, y) if entry.grad_norm is not None]
    np.testing.assert_allclose(ours, health, rtol=1e-5)
    assert all(parameter.grad is None for parameter in model.parameters())  # training's gradients untouched


def test_the_written_out_update_is_torchs_sgd_with_momentum():
    torch.manual_seed(0)
    ours, theirs = (torch.nn.Linear(5, 3) for _ in range(2))
    theirs.load_state_dict(ours.state_dict())
    optimizer = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    params = list(ours.parameters())
    velocities = [torch.zeros_like(param) for param in params]
    for step in range(3):
        x = torch.randn(4, 5, generator=torch.Generator().manual_seed(step))
        for model in (ours, theirs):
            model.zero_grad()
            model(x).square().sum().backward()
        momentum_step(params, velocities, 0.1, 0.9)
        optimizer.step()
    assert all(map(torch.equal, params, theirs.parameters()))


def test_the_residual_network_learns_and_the_plain_one_does_not(lesson):
    plain, residual = lesson.plain, lesson.residual
    assert plain.final_loss > 0.9 * math.log(10)  # measured 2.30: stuck at guessing
    assert residual.final_loss < 0.3 * plain.final_loss  # measured 0.36
    assert plain.test_accuracy < 0.2 and residual.test_accuracy > plain.test_accuracy + 0.4  # 10% and 83%
    assert lesson.first_layer_ratio > 1e3  # measured 1.2e6
    first, last = plain.grad_norms[-1, 0], plain.grad_norms[-1, -1]
    assert first < 1e-3 * last  # the plain gradient vanishes on its way down (measured 1e-5)
    norms = residual.grad_norms[-1]
    assert norms.min() > 0.05 * norms.max()  # the residual one's stays about level (measured 0.16..0.6)


def test_the_result_holds_every_step_and_measurement(lesson):
    settings = lesson.settings
    assert lesson.record_steps.tolist() == list(range(0, settings.steps + 1, settings.record_every))
    assert (
        lesson.layer_names[0] == "Conv2d 4×4" and lesson.layer_names[-1] == "Linear" and len(lesson.layer_names) == 20
    )
    for run in (lesson.plain, lesson.residual):
        assert run.losses.shape == (settings.steps,) and np.isfinite(run.losses).all()
        assert run.grad_norms.shape == (len(lesson.record_steps), 20)
        assert abs(run.losses[0] - math.log(10)) < 0.3  # both start by guessing
    assert 0 < lesson.seconds < 60


def test_same_seed_same_numbers_and_progress_per_step(digits):
    settings = DepthSettings(steps=4, record_every=2)
    reported = []
    first = run_lesson(digits, settings, progress=lambda done, total: reported.append((done, total)))
    again = run_lesson(digits, settings)
    assert reported == [(step, 4) for step in range(1, 5)]
    np.testing.assert_array_equal(first.plain.losses, again.plain.losses)
    np.testing.assert_array_equal(first.residual.grad_norms, again.residual.grad_norms)
    assert first.record_steps.tolist() == [0, 2, 4]


def test_a_cancelled_run_stops_between_steps(digits):
    reported = []
    with pytest.raises(DepthCancelled, match="cancelled"):
        run_lesson(digits, DepthSettings(), lambda done, _total: reported.append(done), lambda: len(reported) >= 3)
    assert reported == [1, 2, 3]


def test_settings_and_data_that_cannot_run_are_refused_in_one_line(digits):
    with pytest.raises(ValueError, match="at least one step"):
        run_lesson(digits, DepthSettings(steps=0))
    empty = LessonData(digits.train_x[:0], digits.train_y[:0], digits.test_x, digits.test_y)
    with pytest.raises(ValueError, match="training and test images"):
        run_lesson(empty)


def test_the_help_text_explains_the_lesson():
    doc = helptext.load("learn", "depth.md")
    assert doc.title == "Depth and residual connections"
    assert "out = x + f(x)" in doc.intro and "He, Zhang, Ren and Sun" in doc.intro and "2016" in doc.intro
