"""`python -m workbench predict MODEL PATH... --out predictions.csv`: a trained model's predictions for picture
files and folders of them, as CSV (see `workbench.insight.predict` for the columns)."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from workbench.cli.common import CommandError, guard
from workbench.cli.train import Progress
from workbench.data.pictures import INVERT_CHOICES, MAX_PIXELS, PICTURE_SUFFIXES
from workbench.events import DataProgress, Notice
from workbench.files.model_file import MODEL_SUFFIX, load_model
from workbench.insight.classify import Classifier
from workbench.insight.predict import (
    BATCH_SIZE,
    TOP,
    UNSURE_BELOW,
    dataset_of,
    reader_for,
    write_predictions,
)
from workbench.text import show_path

DESCRIPTION = f"""\
Predict the class of every picture ({", ".join(PICTURE_SUFFIXES)}, any size and colour) in the files and folders
given (folders are walked at any depth, in name order; hidden names and links to folders are left out), read as
the model's training data was: digit models (MNIST, the built-in digits) as the Draw tab reads a picture
(greyscale, dark ink on a light page inverted, the MNIST preprocessing); others converted to the model's colours
and resized to its input. Pictures over {MAX_PIXELS // 1_000_000} megapixels, damaged files and what is not a
regular file are skipped, each with one `skipped: PATH: reason` line on stderr.

The CSV has the columns path, predicted (class name), confidence (top probability, with the model's calibration
temperature), unsure (true/false: confidence below --unsure-below), top_k (the --top likeliest classes as
NAME:PROBABILITY joined by "; ", e.g. "3:0.9120; 8:0.0510; 5:0.0200") and logit_<class> for each class (raw).
A text cell that starts like a spreadsheet formula (=, +, -, @) gets a leading apostrophe.
Exit status 0 when at least one picture was predicted, 2 (with one error line) when none could be."""


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser(
        "predict",
        help="predict picture files and folders with a trained model, as CSV",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("model", help=f"trained model file ({MODEL_SUFFIX})")
    p.add_argument("paths", nargs="+", metavar="PATH", help="picture files or folders of them")
    p.add_argument("--out", required=True, help="the CSV file to write (its folder must exist)")
    p.add_argument(
        "--unsure-below", type=_fraction, default=UNSURE_BELOW, metavar="P",
        help=f"mark a prediction unsure when its confidence is below P (0 to 1; default {UNSURE_BELOW})",
    )  # fmt: skip
    p.add_argument("--top", type=_positive, default=TOP, metavar="K", help=f"classes in top_k (default {TOP})")
    p.add_argument(
        "--invert", choices=INVERT_CHOICES, default="auto",
        help="invert pictures (light ink on dark for the model): auto inverts a mostly light picture for a "
        "greyscale model that learned light on dark (default auto)",
    )  # fmt: skip
    p.add_argument(
        "--batch-size", type=_positive, default=BATCH_SIZE, metavar="N",
        help=f"pictures read and classified at a time (default {BATCH_SIZE})",
    )  # fmt: skip
    handlers["predict"] = guard(_cmd_predict)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {text!r}") from None
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {text!r}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}") from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to 1,000,000, not {text!r}")
    return value


def _cmd_predict(args: argparse.Namespace) -> int:
    saved = load_model(args.model)
    classifier = Classifier.from_saved(saved, Path(args.model).name)
    reader = reader_for(classifier, dataset_of(saved), args.invert)
    bar = Progress()
    summary = write_predictions(
        args.out, classifier, reader, args.paths,
        unsure_below=args.unsure_below, top=args.top, batch_size=args.batch_size,
        progress=lambda done, total: bar(DataProgress("Predicting", done, total)),
        on_skipped=lambda skipped: bar(Notice(f"skipped: {skipped.line()}")),
    )  # fmt: skip
    if summary.cancelled:
        raise CommandError("cancelled; nothing written")
    print(f"{summary.line()}; wrote {show_path(args.out)}", file=sys.stderr)
    return 0
