"""MNIST's preprocessing of a drawing, and classifying single images."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.data.datasets import load_dataset
from workbench.data.drawing import center_of_mass, ink_bounds, preprocess
from workbench.files.model_file import SavedModel
from workbench.insight.classify import Classifier
from workbench.insight.probe import normalise
from workbench.model import templates
from workbench.model.build import compute_logits


def canvas_with(top: int, bottom: int, left: int, right: int, size: int = 280) -> np.ndarray:
    canvas = np.zeros((size, size), dtype=np.float32)
    canvas[top:bottom, left:right] = 1.0
    return canvas


def test_the_ink_is_cropped_scaled_into_the_20_box_keeping_its_aspect_and_centred_by_mass():
    canvas = canvas_with(10, 210, 5, 55)  # 200 tall, 50 wide, in the top-left corner
    image = preprocess(canvas)
    assert image.shape == (1, 28, 28) and image.dtype == np.float32
    assert image.min() >= 0.0 and image.max() <= 1.0
    top, bottom, left, right = ink_bounds(image[0])
    assert bottom - top == 20  # the longer side fills the box
    assert right - left == 5  # 50/200 of it: the aspect ratio is kept
    cy, cx = center_of_mass(image[0])
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5


def test_off_centre_mass_is_centred_not_the_box():
    canvas = np.zeros((280, 280), dtype=np.float32)
    canvas[100:200, 100:115] = 1.0  # a thin bar down the left…
    canvas[100:130, 115:200] = 1.0  # …and a heavy one along the top: a "Γ", its mass high and right
    image = preprocess(canvas)[0]
    cy, cx = center_of_mass(image)
    assert abs(cy - 14) <= 1 and abs(cx - 14) <= 1  # where MNIST digits have theirs, to a whole pixel
    top, bottom, left, right = ink_bounds(image)
    assert (top + bottom) / 2 > 14 or (left + right) / 2 > 14  # so the box itself is off-centre


def test_other_input_sizes_and_rgb_models():
    image = preprocess(canvas_with(50, 250, 100, 180), height=32, width=32, channels=3)
    assert image.shape == (3, 32, 32)
    assert np.array_equal(image[0], image[1]) and np.array_equal(image[1], image[2])
    top, bottom, _, _ = ink_bounds(image[0])
    assert bottom - top == round(32 * 20 / 28)


def test_an_empty_canvas_gives_an_empty_image():
    assert not preprocess(np.zeros((280, 280))).any()


def test_edges_are_anti_aliased_when_shrunk():
    canvas = np.zeros((280, 280), dtype=np.float32)
    for i in range(20, 260):  # a thin diagonal stroke
        canvas[i, i - 15 : i + 15] = 1.0
    image = preprocess(canvas)[0]
    grey = ((image > 0.1) & (image < 0.9)).sum()
    assert grey >= 10 and image.max() > 0.9  # soft edges around a solid core, not hard 0/1 pixels


def _classifier(mean=(0.1307,), std=(0.3081,)) -> Classifier:
    spec = templates.template("mnist-classic")
    return Classifier.untrained(spec, mean, std, tuple(str(i) for i in range(10)))


def test_a_prediction_sums_to_one_and_equals_the_batch_path():
    classifier = _classifier()
    rng = np.random.default_rng(0)
    image = rng.random((1, 28, 28)).astype(np.float32)
    prediction = classifier.predict(image)
    assert prediction.probabilities.sum() == pytest.approx(1.0, abs=1e-9)
    x = normalise(torch.from_numpy(image), (0.1307,), (0.3081,)).unsqueeze(0)
    logits = compute_logits(classifier.model, x)[0].numpy()
    assert np.allclose(prediction.logits, logits, atol=1e-6)
    event = classifier.probe(image)
    assert np.allclose(event.logits, logits, atol=1e-6)
    assert len(event.layers) == len(classifier.spec.layers)


def test_a_saved_model_classifies_with_its_own_normalisation():
    untrained = _classifier()
    saved = SavedModel(
        spec=untrained.spec,
        state=untrained.model.state_dict(),
        class_names=tuple("abcdefghij"),
        mean=(0.5,),
        std=(0.25,),
    )
    classifier = Classifier.from_saved(saved, "a file")
    image = np.full((1, 28, 28), 0.5, dtype=np.float32)
    assert torch.equal(classifier.normalise(image), torch.zeros(1, 1, 28, 28))
    assert classifier.class_name(classifier.predict(image).label) in "abcdefghij"


@pytest.mark.mnist
def test_real_mnist_digits_survive_the_round_trip_through_a_canvas():
    """An MNIST digit drawn large on the canvas comes back as (nearly) itself: the same preprocessing."""
    root = os.environ.get("WORKBENCH_DATA_DIR")
    if not root or not (Path(root) / "MNIST" / "raw").is_dir():
        pytest.skip("set WORKBENCH_DATA_DIR to a folder with MNIST/raw/ to run this")
    test = load_dataset("mnist", val_fraction=0, download=False).test
    correlations = []
    for index in range(50):
        digit = test.images[index, 0].float().numpy() / 255.0
        canvas = np.kron(digit, np.ones((10, 10), dtype=np.float32))  # 280×280, blocky like a drawing
        again = preprocess(canvas)[0]
        correlations.append(np.corrcoef(digit.ravel(), again.ravel())[0, 1])
    assert np.median(correlations) > 0.9, np.median(correlations)
