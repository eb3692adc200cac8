"""Logits export: raw pre-softmax outputs, label and prediction per row, in CSV and NPY."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.core.synthetic import bars_dataset
from workbench.data.datasets import to_device
from workbench.files.errors import ExportError
from workbench.files.logits import write_logits
from workbench.insight.evaluate import evaluate
from workbench.model.build import compute_logits
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer


@pytest.fixture(scope="module")
def trained():
    dataset = bars_dataset()
    spec = ModelSpec(
        (1, 12, 12),
        [
            LayerSpec("Flatten"),
            LayerSpec("Linear", {"out_features": 16}),
            LayerSpec("ReLU"),
            LayerSpec("Linear", {"out_features": 4}),
            LayerSpec("Softmax"),
        ],
    )
    trainer = Trainer(spec, dataset, TrainConfig(epochs=1, device="cpu", threads=1, lr=0.003, batch_size=32))
    trainer.fit()
    x, y = to_device(dataset.test, dataset.mean, dataset.std, "cpu")
    return trainer, dataset, x, y


def test_csv_rows_are_logits_with_label_and_prediction(trained, tmp_path):
    trainer, dataset, x, y = trained
    logits = compute_logits(trainer.model, x).numpy()
    path = tmp_path / "logits.csv"
    assert write_logits(path, logits, y.numpy(), dataset.class_names, probabilities=True) == len(y)
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == len(y)
    assert list(rows[0]) == [
        "index",
        "label",
        "predicted",
        *[f"logit_{i}" for i in range(4)],
        *[f"prob_{i}" for i in range(4)],
    ]
    values = np.array([[float(r[f"logit_{i}"]) for i in range(4)] for r in rows])
    predicted = np.array([int(r["predicted"]) for r in rows])
    labels = np.array([int(r["label"]) for r in rows])
    np.testing.assert_allclose(values, logits, rtol=1e-6)
    assert (values.argmax(1) == predicted).all()
    accuracy = evaluate(trainer.model, x, y, 4).accuracy
    assert (predicted == labels).mean() == pytest.approx(accuracy)
    assert not np.allclose(values.sum(1), 1.0)  # logits, not the model's final Softmax output
    probs = np.array([[float(r[f"prob_{i}"]) for i in range(4)] for r in rows])
    np.testing.assert_allclose(probs.sum(1), 1.0, rtol=1e-5)


def test_npy_is_a_structured_array_that_loads_without_pickle(trained, tmp_path):
    trainer, dataset, x, y = trained
    logits = compute_logits(trainer.model, x).numpy()
    path = tmp_path / "logits.npy"
    write_logits(path, logits, y.numpy(), dataset.class_names, probabilities=False)
    table = np.load(path, allow_pickle=False)
    assert table.dtype.names == ("label", "predicted", "logits")
    assert table["logits"].shape == (len(y), 4)
    np.testing.assert_array_equal(table["label"], y.numpy())
    np.testing.assert_array_equal(table["predicted"], logits.argmax(1))


def test_unknown_extension_and_missing_folder_are_clear_errors(trained, tmp_path):
    trainer, dataset, x, y = trained
    logits = compute_logits(trainer.model, x).numpy()
    with pytest.raises(ExportError, match=r"\.csv or \.npy"):
        write_logits(tmp_path / "logits.txt", logits, y.numpy(), dataset.class_names, False)
    with pytest.raises(ExportError, match="does not exist"):
        write_logits(tmp_path / "nope" / "l.csv", logits, y.numpy(), dataset.class_names, False)
