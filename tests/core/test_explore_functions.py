"""Activation curves and their autograd derivatives, the learner's notes, softmax and cross-entropy."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from workbench.explore.functions import ACTIVATIONS, NOTES, activation_curve, cursor_text, explain_softmax, why_logits
from workbench.model.spec import LayerSpec


def test_every_catalog_activation_has_a_note():
    assert set(NOTES) == set(ACTIVATIONS) and len(ACTIVATIONS) >= 8
    for note in NOTES.values():
        assert all(len(text) > 10 for text in (note.good, note.bad, note.zero_centred))


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_curve_is_the_torch_function_and_its_slope(name):
    xs = np.linspace(-4, 4, 81) + 0.013  # off the kinks at 0 and 6
    y, dy = activation_curve(name, xs)
    expected = getattr(torch.nn, name)()(torch.as_tensor(xs)).numpy()
    np.testing.assert_allclose(y, expected)
    step = 1e-6
    up, down = activation_curve(name, xs + step)[0], activation_curve(name, xs - step)[0]
    np.testing.assert_allclose(dy, (up - down) / (2 * step), atol=1e-6)


def test_curve_uses_the_layers_parameters():
    y, dy = activation_curve(LayerSpec("LeakyReLU", {"negative_slope": 0.2}), np.array([-2.0, 3.0]))
    assert y.tolist() == pytest.approx([-0.4, 3.0]) and dy.tolist() == pytest.approx([0.2, 1.0])


def test_known_values_and_cursor_text():
    y, dy = activation_curve("Sigmoid", np.array([0.0]))
    assert (y[0], dy[0]) == (0.5, 0.25)
    y, dy = activation_curve("ReLU", np.array([0.0, 1.2]))
    assert dy.tolist() == [0.0, 1.0]  # torch's choice at the kink
    assert cursor_text(1.2, 1.2, 1.0) == "x = 1.20   f(x) = 1.20   f′(x) = 1.00"
    assert cursor_text(-0.5, -0.005, 0.01) == "x = −0.50   f(x) = −0.01   f′(x) = 0.01"


def test_not_an_activation():
    with pytest.raises(ValueError, match="not an activation"):
        activation_curve("Conv2d", np.zeros(2))


def test_softmax_probabilities_and_loss():
    logits = np.array([2.0, 1.0, 0.1, -1.0, 0.5])
    result = explain_softmax(logits, temperature=1.0, true_class=1)
    assert result.probabilities.sum() == pytest.approx(1.0)
    assert result.loss == pytest.approx(-np.log(result.probabilities[1]))
    assert result.loss == pytest.approx(np.log(np.exp(logits).sum()) - logits[1])
    assert "loss = logsumexp(z / T) − z[1] / T = 2.58 − 1.00 = 1.58" in result.loss_text


def test_temperature_flattens_or_sharpens():
    logits = np.array([3.0, 1.0, 0.0])
    hot, cold = explain_softmax(logits, 5.0), explain_softmax(logits, 0.2)
    base = explain_softmax(logits)
    assert hot.probabilities.max() < base.probabilities.max() < cold.probabilities.max()
    np.testing.assert_allclose(hot.probabilities, explain_softmax(logits / 5.0).probabilities)


def test_shift_invariance_and_saturation_are_shown_on_the_numbers():
    text = why_logits(np.array([2.0, 1.0, 0.1, -1.0, 0.5]))
    lines = text.splitlines()
    assert len(lines) == 3 and "Adding 10 to every logit" in lines[0]
    assert "1.000, 0.000, 0.000, 0.000, 0.000" in lines[1]
    assert "logsumexp" in lines[2]
