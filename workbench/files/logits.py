"""Logits export: a model's raw outputs on one split of a dataset, written as CSV or NPY."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from workbench.data.datasets import Dataset, to_device
from workbench.files.errors import ExportError, ModelFileError
from workbench.files.model_file import SavedModel, model_from_saved
from workbench.model.build import compute_logits
from workbench.model.shapes import infer
from workbench.system import atomic_file

SPLITS = {"test": "test", "validation": "val", "train": "train"}  # what the user picks -> Dataset.split name


def write_logits(
    path: str | os.PathLike,
    logits: np.ndarray,
    labels: np.ndarray,
    class_names: tuple[str, ...],
    probabilities: bool,
    temperature: float = 1.0,
) -> int:
    """Write one row per sample: index, label, predicted, logits (and probabilities, softmax(logits / temperature):
    a calibrated model's; the logits stay raw). Returns the row count.

    CSV gets a header row; NPY gets a structured array (fields label, predicted, logits[, probabilities])
    that `np.load(path)` reads without pickle. The write is atomic."""
    path = check_logits_path(path)
    logits = np.asarray(logits, dtype=np.float32)
    if logits.ndim != 2 or len(logits) != len(labels) or (class_names and logits.shape[1] != len(class_names)):
        raise ExportError(
            f"the logits ({'×'.join(map(str, logits.shape))}) do not match {len(labels)} images of "
            f"{len(class_names)} classes; evaluate the model on the dataset it was trained on"
        )
    predicted = logits.argmax(1) if len(logits) else np.zeros(0, np.int64)
    probs = _softmax(logits / np.float32(temperature)) if probabilities else None
    writer = _write_csv if path.suffix.lower() == ".csv" else _write_npy
    with atomic_file(path) as handle:
        writer(handle, logits, labels, predicted, probs, class_names)
    return len(logits)


def check_logits_path(path: str | os.PathLike) -> Path:
    """The logits file `path`, if one can be written there (ExportError otherwise): checked before the work."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path} is a folder; give a file name in it, e.g. {path / 'logits.csv'}")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".npy"):
        raise ExportError(f"{path.name}: logits can be written as .csv or .npy, not {suffix or 'no extension'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist; choose an existing folder")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"folder {folder} cannot be written; choose a folder you can write")
    return path


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _write_csv(handle, logits, labels, predicted, probs, class_names) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    writer = csv.writer(text)
    names = [str(i) for i in range(logits.shape[1])] if len(logits) else []
    header = ["index", "label", "predicted", *(f"logit_{n}" for n in names)]
    if probs is not None:
        header += [f"prob_{n}" for n in names]
    writer.writerow(header)
    for i in range(len(logits)):
        row = [i, int(labels[i]), int(predicted[i]), *(f"{v:.9g}" for v in logits[i])]
        if probs is not None:
            row += [f"{v:.9g}" for v in probs[i]]
        writer.writerow(row)
    text.flush()
    text.detach()  # leave the binary handle open for atomic_file to sync and rename


def _write_npy(handle, logits, labels, predicted, probs, class_names) -> None:
    classes = logits.shape[1] if logits.ndim == 2 else 0
    fields = [("label", np.int64), ("predicted", np.int64), ("logits", np.float32, (classes,))]
    if probs is not None:
        fields.append(("probabilities", np.float32, (classes,)))
    table = np.zeros(len(logits), dtype=fields)
    table["label"], table["predicted"], table["logits"] = labels, predicted, logits
    if probs is not None:
        table["probabilities"] = probs
    np.save(handle, table, allow_pickle=False)


def dataset_mismatch(saved: SavedModel, dataset: Dataset) -> str | None:
    """Why `saved` (a SavedModel) cannot be evaluated on `dataset`, in one line; None if it can."""
    if tuple(saved.spec.input) != tuple(dataset.input_shape):
        shape = "×".join(map(str, saved.spec.input))
        return f"the model takes {shape} inputs but {dataset.title} images differ; choose the dataset it was trained on"
    outputs = infer(saved.spec).output
    if len(outputs) != 1 or outputs[0] != len(dataset.class_names):
        return (
            f"the model has {'×'.join(map(str, outputs))} outputs but {dataset.title} has "
            f"{len(dataset.class_names)} classes; choose a dataset with as many classes as the model has outputs"
        )
    if saved.class_names and len(saved.class_names) != len(dataset.class_names):
        return (
            f"the model has {len(saved.class_names)} classes but {dataset.title} has {len(dataset.class_names)}; "
            "choose the dataset it was trained on"
        )
    return None


def export_split_logits(
    saved: SavedModel,
    dataset: Dataset,
    split: str,
    path: str | os.PathLike,
    *,
    probabilities: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute the logits of a saved model on one split of `dataset`, normalised
    as in training, and write them (see `write_logits`). Returns the row count; ExportError otherwise."""
    problem = dataset_mismatch(saved, dataset)
    if problem is not None:
        raise ExportError(f"cannot export logits: {problem}")
    try:
        model = model_from_saved(saved)
    except ModelFileError as exc:
        raise ExportError(f"cannot export logits: {exc}") from None
    mean, std = (saved.mean, saved.std) if saved.mean else (dataset.mean, dataset.std)
    x, y = to_device(dataset.split(SPLITS.get(split, split)), mean, std, "cpu")
    logits = compute_logits(model, x, progress=progress).numpy()
    names = tuple(saved.class_names or dataset.class_names)
    return write_logits(path, logits, y.cpu().numpy(), names, probabilities, saved.temperature)
