"""What a run leaves in its folder when `Trainer.fit` has returned, however it ended: `history.csv` (every
epoch trained), the model (`model.cnnwb`) whenever its weights are worth keeping, and the checkpoint the
trainer wrote at each epoch's end and on stop. One function for the CLI's runs, single or across processes
(rank 0), so that every way a run can end leaves the same things behind.

| the run ended                                    | model.cnnwb  | checkpoint.cnnwb     | problem |
|--------------------------------------------------|--------------|----------------------|---------|
| finished (epochs, target, time budget, patience) | written      | the last epoch's     | none    |
| stopped (also while paused)                      | written      | where it stopped     | none    |
| diverged (NaN): its last good weights            | written      | the last epoch's     | why     |
| a failed save, a crash                           | not written  | the last good one    | why     |

A problem is one line: why, and where the last good checkpoint is and how to continue from it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from workbench.files.errors import ModelFileError
from workbench.files.model_file import MODEL_SUFFIX, save_model
from workbench.text import count, printable
from workbench.training.trainer import Trainer

__all__ = ["CHECKPOINT", "HISTORY", "HISTORY_COLUMNS", "MODEL", "KeptRun", "keep_run", "write_history"]

CHECKPOINT = "checkpoint" + MODEL_SUFFIX
MODEL = "model" + MODEL_SUFFIX
HISTORY = "history.csv"
HISTORY_COLUMNS = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "seconds", "images_per_second")


@dataclass(frozen=True)
class KeptRun:
    model: Path | None  # the model file written, if any
    problem: str | None  # one line: why the run failed or its files could not be written; None if all is well


def keep_run(trainer: Trainer, outcome: str, run_dir: Path) -> KeptRun:
    """Write the history and (when its weights are worth keeping) the model of a run that `fit` ended with
    `outcome`. A problem (the run failed, a file could not be written) names the last good checkpoint."""
    kept = _checkpoint_kept(trainer, run_dir)
    model = run_dir / MODEL if trainer.weights_usable else None
    try:
        write_history(run_dir / HISTORY, trainer.history)
        if model is not None:
            save_model(model, trainer.saved_model())
    except (OSError, ModelFileError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        return KeptRun(None, f"cannot save the run in {run_dir}: {printable(str(reason))}{kept}")
    if outcome == "failed":
        saved = f"; its last good weights are saved in {model}" if model is not None else ""
        return KeptRun(model, f"{trainer.failure or 'training failed'}{saved}{kept}")
    return KeptRun(model, None)


def _checkpoint_kept(trainer: Trainer, run_dir: Path) -> str:
    """Where the last checkpoint this run wrote (or resumed from) is; an older run's file is not named."""
    if trainer.checkpoint_epoch is None or not trainer.checkpoint_path:
        return ""
    done = trainer.checkpoint_epoch
    return (
        f"; the last good checkpoint ({count(done, 'epoch')} done) is {trainer.checkpoint_path} "
        f"(continue with --resume {run_dir})"
    )


def write_history(path: Path, history: list[dict]) -> None:
    """The per-epoch rows as CSV (empty cells where a value is missing: no validation split)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HISTORY_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({k: ("" if row.get(k) is None else row.get(k)) for k in HISTORY_COLUMNS} for row in history)
