"""What the run store holds: its tables (version 1, created by `create_v1`; version 2, a run's study and trial,
added by `add_study_v2`; version 3, a coded reason's code, added by `add_reason_code_v3`; all listed in
`store.MIGRATIONS`) and the rows read back from them."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from workbench.messages import from_record, to_record
from workbench.model.spec import ModelSpec

EPOCH_COLUMNS = (
    "epoch",
    "step",
    "train_loss",
    "train_accuracy",
    "val_loss",
    "val_accuracy",
    "seconds",
    "images_per_second",
    "lr",
)


RUNS_V1 = """
    CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created REAL NOT NULL,
        ended REAL,
        source TEXT NOT NULL,
        dataset TEXT NOT NULL,
        spec TEXT,
        config TEXT NOT NULL,
        model_name TEXT NOT NULL DEFAULT '',
        layers INTEGER NOT NULL DEFAULT 0,
        parameters INTEGER,
        device TEXT NOT NULL DEFAULT '',
        features TEXT NOT NULL DEFAULT '',
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        epochs INTEGER NOT NULL DEFAULT 0,
        best_val_accuracy REAL,
        test_accuracy REAL,
        test_loss REAL,
        seconds REAL,
        images_per_second REAL,
        model_path TEXT,
        checkpoint_path TEXT,
        parent_id INTEGER,
        pid INTEGER,
        host TEXT,
        stride INTEGER NOT NULL DEFAULT 1
    )
"""

EPOCHS_V1 = """
    CREATE TABLE IF NOT EXISTS epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        step INTEGER,
        train_loss REAL,
        train_accuracy REAL,
        val_loss REAL,
        val_accuracy REAL,
        seconds REAL,
        images_per_second REAL,
        lr REAL,
        PRIMARY KEY (run_id, epoch)
    ) WITHOUT ROWID
"""

BATCHES_V1 = """
    CREATE TABLE IF NOT EXISTS batches (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        loss REAL NOT NULL,
        PRIMARY KEY (run_id, step)
    ) WITHOUT ROWID
"""

RUNS_BY_OUTCOME_V1 = "CREATE INDEX IF NOT EXISTS runs_by_outcome ON runs(outcome)"


def create_v1(db: sqlite3.Connection) -> None:
    """The tables of version 1, a statement at a time (executescript would commit the migration's transaction
    half-way)."""
    for statement in (RUNS_V1, EPOCHS_V1, BATCHES_V1, RUNS_BY_OUTCOME_V1):
        db.execute(statement)


def add_study_v2(db: sqlite3.Connection) -> None:
    """Version 2: the Optuna study a run is a trial of, and its trial number (both NULL for other runs)."""
    _add_column(db, "runs", "study", "TEXT")
    _add_column(db, "runs", "trial", "INTEGER")
    db.execute("CREATE INDEX IF NOT EXISTS runs_by_study ON runs(study)")


def add_reason_code_v3(db: sqlite3.Connection) -> None:
    """Version 3: why a run ended as code and values (JSON, `workbench.messages.to_record`) beside the English
    `reason`, so a window shows it in its own language; NULL for a plain reason and for runs stored before."""
    _add_column(db, "runs", "reason_code", "TEXT")


def reason_code(reason: str) -> str | None:
    """What the `reason_code` column keeps for `reason`."""
    record = to_record(reason)
    return None if record is None else json.dumps(record, ensure_ascii=False)


def _add_column(db: sqlite3.Connection, table: str, column: str, declaration: str) -> None:
    """ALTER TABLE … ADD COLUMN, unless the column is there already (SQLite has no ADD COLUMN IF NOT EXISTS)."""
    if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


@dataclass(frozen=True)
class RunSummary:
    """One row of the runs table, as the list and the Runs tab show it."""

    id: int
    name: str
    created: float
    ended: float | None
    source: str  # "app" or "cli"
    dataset: str
    model_name: str
    layers: int
    parameters: int | None
    device: str
    features: str
    outcome: str  # running, finished, stopped, failed, lost
    reason: str
    epochs: int
    best_val_accuracy: float | None
    test_accuracy: float | None
    test_loss: float | None
    seconds: float | None
    images_per_second: float | None
    model_path: str | None
    checkpoint_path: str | None
    parent_id: int | None
    study: str | None  # the Optuna study this run is a trial of; None for other runs
    trial: int | None  # its trial number in that study

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


SUMMARY_COLUMNS = tuple(RunSummary.__dataclass_fields__)
SELECTED_COLUMNS = ", ".join((*SUMMARY_COLUMNS, "reason_code"))  # what `summary_of` reads


def summary_of(row: Sequence) -> RunSummary:
    """A row of SELECTED_COLUMNS: its reason coded again where the store kept the code."""
    *values, code = (os.fsdecode(value) if isinstance(value, bytes) else value for value in row)
    summary = RunSummary(*values)
    if code:
        try:
            reason = from_record(json.loads(code), summary.reason)
        except ValueError:  # not JSON: the English line
            return summary
        summary = replace(summary, reason=reason)
    return summary


@dataclass(frozen=True)
class RunRecord:
    """A run whole: its summary, spec, settings, per-epoch history and batch-loss curve."""

    summary: RunSummary
    spec: ModelSpec | None  # None if the stored spec no longer parses
    config: dict
    history: list[dict]
    batch_steps: list[int]
    batch_losses: list[float]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "spec": None if self.spec is None else self.spec.to_json(),
            "config": self.config,
            "history": self.history,
            "batch_steps": self.batch_steps,
            "batch_losses": self.batch_losses,
        }
