"""A confusion cell's images: exactly that (true, predicted) pair, the most doubtful first."""

from __future__ import annotations

import numpy as np
import torch

from tests.core.synthetic import bars_dataset
from workbench.insight.classify import Classifier
from workbench.insight.evaluate import evaluate
from workbench.insight.hard_examples import cell_examples, split_probabilities
from workbench.model.spec import LayerSpec, ModelSpec

SPEC = ModelSpec(
    (1, 12, 12),
    (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 4})),
)


def test_a_cell_lists_exactly_its_pair_lowest_margin_first():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(5), size=400)
    labels = rng.integers(0, 5, size=400)
    for true in range(5):
        for predicted in range(5):
            cell = cell_examples(probabilities, labels, true, predicted)
            expected = [i for i in range(400) if labels[i] == true and probabilities[i].argmax() == predicted]
            assert sorted(cell.indices.tolist()) == expected
            assert np.all(np.diff(cell.margins) >= 0)
            top_two = np.sort(probabilities[cell.indices], 1)[:, -2:]
            np.testing.assert_allclose(cell.margins, top_two[:, 1] - top_two[:, 0])


def test_split_probabilities_agree_with_the_confusion_matrix_of_the_same_weights():
    dataset = bars_dataset(train=64, val=300, test=16)
    classifier = Classifier.untrained(SPEC, dataset.mean, dataset.std, dataset.class_names)
    probabilities = split_probabilities(classifier, dataset.val.images)
    np.testing.assert_allclose(probabilities.sum(1), 1.0, atol=1e-9)
    x = (dataset.val.images.float() / 255 - torch.tensor(dataset.mean).view(-1, 1, 1)) / torch.tensor(dataset.std).view(
        -1, 1, 1
    )
    confusion = evaluate(classifier.model, x, dataset.val.labels, 4).confusion
    labels = dataset.val.labels.numpy()
    counts = [[len(cell_examples(probabilities, labels, t, p)) for p in range(4)] for t in range(4)]
    np.testing.assert_array_equal(np.array(counts), confusion)


def test_a_cancelled_read_stops_before_the_next_batch():
    dataset = bars_dataset(train=16, val=2500, test=16)  # three batches of BATCH = 1024
    classifier = Classifier.untrained(SPEC, dataset.mean, dataset.std, dataset.class_names)
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 1  # cancelled once the first batch is read

    probabilities = split_probabilities(classifier, dataset.val.images, cancelled=cancelled)
    assert probabilities.shape == (1024, 4) and len(asked) == 2
    whole = split_probabilities(classifier, dataset.val.images)
    np.testing.assert_allclose(probabilities, whole[:1024])
