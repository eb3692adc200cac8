"""Predict many pictures at once: files and folders of PNG, JPEG and BMP read as the model's training data was
(`workbench.data.pictures`), classified in batches, and written as CSV rows while they come.

`predict_pictures` yields `PredictionBatch`es (the rows of up to `batch_size` pictures, the files skipped among
them, how far it is); it reports `progress(done, total)` and stops when `cancelled()` says so, between two
files. `write_predictions` streams those rows into a CSV file replaced whole or not at all (the CLI's
`predict`); `write_rows` writes rows already at hand in the same format (the window's Export CSV).

The CSV: `path, predicted, confidence, unsure, top_k, logit_<class>…`. `confidence` is the top probability,
softmax(logits / T) with the model's calibration temperature T; `unsure` is `true` when it is below the
threshold, else `false`; `top_k` is the k likeliest classes, most likely first, as `NAME:PROBABILITY` joined
by `; ` (e.g. `3:0.9120; 8:0.0510; 5:0.0200`; split at `; `, then at the last `:`); the `logit_<class>`
columns are the raw logits (no temperature). Paths and class names are made printable
(`workbench.text.printable`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from workbench.data.images import DataError
from workbench.data.pictures import PICTURE_SUFFIXES, PictureError, PictureReader, find_pictures
from workbench.files.model_file import SavedModel
from workbench.insight.classify import Classifier
from workbench.messages import said_in
from workbench.system import atomic_file
from workbench.text import count, printable, show_path

__all__ = [
    "BATCH_SIZE",
    "TOP",
    "TOP_SEPARATOR",
    "UNSURE_BELOW",
    "PredictedPicture",
    "PredictionBatch",
    "PredictionSummary",
    "SkippedPicture",
    "check_output",
    "class_names_of",
    "csv_cells",
    "csv_header",
    "dataset_of",
    "predict_pictures",
    "reader_for",
    "write_predictions",
    "write_rows",
]

UNSURE_BELOW = 0.6  # a prediction less confident than this is marked unsure
TOP = 3  # classes in the top_k column
BATCH_SIZE = 64  # pictures read and classified at a time
BATCH_VALUES = 16 * 1024**2  # at most this many input values in one batch (64 MB): large inputs go fewer at a time
TOP_SEPARATOR = "; "
FIXED_COLUMNS = ("path", "predicted", "confidence", "unsure", "top_k")

Progress = Callable[[int, int], object]  # (files done, files found)
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class PredictedPicture:
    path: str  # as found (the given path joined with the names walked), printable
    predicted: str  # the class name
    confidence: float  # its probability (with the model's temperature)
    unsure: bool  # confidence below the threshold
    top: tuple[tuple[str, float], ...]  # the likeliest classes and their probabilities, most likely first
    logits: tuple[float, ...]  # raw, one per class
    inverted: bool = False  # the picture was inverted (dark ink on a light page) before the model saw it
    thumbnail: np.ndarray | None = field(default=None, compare=False, repr=False)  # (1|3, h, w) uint8


@dataclass(frozen=True)
class SkippedPicture:
    path: str  # printable
    reason: str

    def line(self) -> str:
        """`PATH: reason`, one line (a very long path shortened in its middle)."""
        return f"{show_path(self.path)}: {self.reason}"


@dataclass(frozen=True)
class PredictionBatch:
    rows: list[PredictedPicture]
    skipped: list[SkippedPicture]
    done: int  # files handled so far (predicted or skipped), of `total`
    total: int


@dataclass
class PredictionSummary:
    total: int = 0  # files found
    predicted: int = 0
    unsure: int = 0
    skipped: list[SkippedPicture] = field(default_factory=list)
    cancelled: bool = False

    def add(self, batch: PredictionBatch) -> None:
        self.total = batch.total
        self.predicted += len(batch.rows)
        self.unsure += sum(row.unsure for row in batch.rows)
        self.skipped += batch.skipped

    def line(self) -> str:
        """e.g. "predicted 120 pictures (4 unsure), skipped 3 files"."""
        skipped = count(len(self.skipped), "file")
        return f"predicted {count(self.predicted, 'picture')} ({self.unsure:,} unsure), skipped {skipped}"


def dataset_of(saved: SavedModel) -> str:
    """The name of the dataset a model was trained on ("" when its file does not say)."""
    name = saved.dataset or (saved.data.get("name") if isinstance(saved.data, dict) else "") or ""
    return str(name)


def reader_for(classifier: Classifier, dataset: str, invert: str = "auto") -> PictureReader:
    """How pictures are made into `classifier`'s input, for a model trained on `dataset`. DataError if it takes
    no pictures."""
    return PictureReader.for_model(classifier.input_shape, dataset, classifier.mean, invert)


def predict_pictures(
    classifier: Classifier,
    reader: PictureReader,
    paths: Sequence[str | os.PathLike],
    *,
    unsure_below: float = UNSURE_BELOW,
    top: int = TOP,
    batch_size: int = BATCH_SIZE,
    thumbnails: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Iterator[PredictionBatch]:
    """The pictures in `paths` (files, folders walked recursively), classified `batch_size` at a time, in the
    order found (fewer at a time where `batch_size` inputs would hold more than BATCH_VALUES values). Each file
    that cannot be used is a `SkippedPicture`, never an exception. `thumbnails` > 0: each row carries the
    picture that many pixels a side at most. Stops, between two files, once `cancelled()`."""
    if not 0.0 <= unsure_below <= 1.0:
        raise ValueError(f"unsure_below must be within [0, 1], not {unsure_below}")
    if top < 1 or batch_size < 1:
        raise ValueError(f"top and batch_size must be at least 1, not {top} and {batch_size}")
    found = find_pictures(paths)
    total = len(found)
    batch_size = max(1, min(batch_size, BATCH_VALUES // max(1, math.prod(reader.shape))))
    for start in range(0, total, batch_size):
        rows: list[PredictedPicture] = []
        skipped: list[SkippedPicture] = []
        read: list[tuple[str, object]] = []
        for item in found[start : start + batch_size]:
            if cancelled is not None and cancelled():
                return
            shown = printable(os.fspath(item.path))
            if item.problem is not None:
                skipped.append(SkippedPicture(shown, item.problem))
                continue
            try:
                read.append((shown, reader.read(item.path, thumbnails)))
            except PictureError as exc:
                skipped.append(SkippedPicture(shown, said_in(exc) or str(exc)))
        if read:
            rows = _classified(classifier, read, unsure_below, top)
        done = min(start + batch_size, total)
        yield PredictionBatch(rows, skipped, done, total)
        if progress is not None:  # once the batch is taken care of (its rows written, its skipped files told)
            progress(done, total)


def _classified(
    classifier: Classifier, read: list[tuple[str, object]], unsure_below: float, top: int
) -> list[PredictedPicture]:
    images = torch.from_numpy(np.stack([picture.image for _, picture in read]))
    logits = classifier.batch_logits(images)
    probabilities = classifier.batch_probabilities(images)
    names = [printable(classifier.class_name(k)) for k in range(logits.shape[1])]
    rows = []
    for (path, picture), row_logits, row_probabilities in zip(read, logits, probabilities, strict=True):
        order = np.argsort(-np.nan_to_num(row_probabilities, nan=-1.0), kind="stable")
        best = int(order[0])
        confidence = float(row_probabilities[best])
        rows.append(
            PredictedPicture(
                path,
                names[best],
                confidence,
                not confidence >= unsure_below,  # NaN (a diverged model) is unsure too
                tuple((names[k], float(row_probabilities[k])) for k in order[:top]),
                tuple(float(v) for v in row_logits),
                picture.inverted,
                picture.thumbnail,
            )
        )
    return rows


# ----- CSV --------------------------------------------------------------------------------------------------


def class_names_of(classifier: Classifier) -> tuple[str, ...]:
    """One name per output of the model (its classes; the output's number where the model names none)."""
    outputs = classifier.batch_logits(torch.zeros(1, *classifier.input_shape)).shape[1]
    return tuple(printable(classifier.class_name(k)) for k in range(outputs))


def csv_header(class_names: Sequence[str]) -> list[str]:
    return [*FIXED_COLUMNS, *(f"logit_{printable(str(name))}" for name in class_names)]


def csv_cells(row: PredictedPicture) -> list[str]:
    top = TOP_SEPARATOR.join(f"{name}:{probability:.4f}" for name, probability in row.top)
    return [
        _text(row.path),
        _text(row.predicted),
        f"{row.confidence:.6f}",
        "true" if row.unsure else "false",
        _text(top),
        *(_number(value) for value in row.logits),
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A text cell a spreadsheet will not run: a file or class name starting like a formula ("=HYPERLINK(…)",
    a name from a folder someone sent) gets a leading apostrophe, as OWASP advises for CSV files."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _number(value: float) -> str:
    return f"{value:.6f}" if math.isfinite(value) else str(value)


def check_output(out: str | os.PathLike) -> Path:
    """`out` as a CSV file to write: its folder must exist and it must not be a folder. DataError otherwise."""
    path = Path(out)
    try:
        if path.is_dir():
            raise DataError(f"{show_path(path)} is a folder; give a file name for the CSV, e.g. predictions.csv")
        folder = path.parent
        if not folder.is_dir():
            raise DataError(f"the folder {show_path(folder)} does not exist; create it first or choose another")
    except (OSError, ValueError) as exc:  # a path longer than the system allows, a loop of links, a NUL
        raise DataError(f"cannot write {show_path(path)} ({getattr(exc, 'strerror', None) or exc})") from None
    return path


@contextlib.contextmanager
def _csv_writer(out: Path):
    """A csv.writer on a file replaced whole when the block ends without error (UTF-8, "\\n" line ends)."""
    with atomic_file(out) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="", errors="backslashreplace")
        try:
            yield csv.writer(text, lineterminator="\n")
            text.flush()
        finally:
            text.detach()  # the handle stays atomic_file's to close


class _NothingWritten(Exception):
    """Leaves the atomic write without replacing the file (cancelled)."""


def write_predictions(
    out: str | os.PathLike,
    classifier: Classifier,
    reader: PictureReader,
    paths: Sequence[str | os.PathLike],
    *,
    unsure_below: float = UNSURE_BELOW,
    top: int = TOP,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    on_skipped: Callable[[SkippedPicture], object] | None = None,
) -> PredictionSummary:
    """Predict the pictures in `paths` and stream the rows into the CSV file `out` (written whole, at the end, or
    not at all: cancelled, nothing found or nothing readable). `on_skipped` hears of each file skipped as it
    comes. DataError when `out` cannot be written or no picture could be predicted."""
    target = check_output(out)
    summary = PredictionSummary()
    try:
        with _csv_writer(target) as writer:
            writer.writerow(csv_header(class_names_of(classifier)))
            batches = predict_pictures(
                classifier, reader, paths, unsure_below=unsure_below, top=top, batch_size=batch_size,
                progress=progress, cancelled=cancelled,
            )  # fmt: skip
            for batch in batches:
                summary.add(batch)
                for skipped in batch.skipped:
                    if on_skipped is not None:
                        on_skipped(skipped)
                writer.writerows(csv_cells(row) for row in batch.rows)
            if cancelled is not None and cancelled():
                summary.cancelled = True
                raise _NothingWritten
            _check_some(summary, paths)
    except _NothingWritten:
        pass
    return summary


def _check_some(summary: PredictionSummary, paths: Sequence[str | os.PathLike]) -> None:
    if summary.predicted:
        return
    if summary.total == 0:
        where = ", ".join(show_path(path, 80) for path in paths[:3]) + (" …" if len(paths) > 3 else "")
        raise DataError(f"no pictures ({', '.join(PICTURE_SUFFIXES)}) found in {where or 'nothing given'}")
    raise DataError(f"none of the {count(summary.total, 'file')} found could be read as a picture (see above)")


def write_rows(out: str | os.PathLike, class_names: Sequence[str], rows: Sequence[PredictedPicture]) -> Path:
    """Rows already predicted as the same CSV `write_predictions` writes (atomic). DataError / OSError."""
    target = check_output(out)
    with _csv_writer(target) as writer:
        writer.writerow(csv_header(class_names))
        writer.writerows(csv_cells(row) for row in rows)
    return target
