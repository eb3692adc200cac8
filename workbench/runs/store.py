"""The run store: one SQLite file (WAL) in the per-user data folder, or $WORKBENCH_RUNS_DIR.

Written as a run goes: a row when it starts, a row per epoch, the batch losses at each epoch's end,
the metrics when it ends. A process killed mid-run leaves its run "running" with the pid and host
that ran it; the next store opened on that host marks it "lost", keeping the epochs it finished.

The schema's version is SQLite's `user_version`; `MIGRATIONS[n]` turns version n-1 into n. A file
from a newer app is refused with one line (nothing is changed in it); a file that is not a database
is moved aside and a new store started, and `notice` says so. Long runs keep at most
`MAX_BATCH_POINTS` batch losses: when a run has more, every other one is dropped and from then on
only every `stride`-th step is kept, so the curve stays evenly spaced.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workbench.data.location import default_data_dir
from workbench.model import spec as model_spec
from workbench.model.shapes import infer
from workbench.model.spec import ModelSpec, SpecError
from workbench.text import printable, show_path

ENV_RUNS_DIR = "WORKBENCH_RUNS_DIR"
STORE_FILE = "runs.sqlite"
MAX_BATCH_POINTS = 2000
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
ENDED = ("finished", "stopped", "failed", "lost")


class RunStoreError(Exception):
    """The run store cannot be used (one line: what and what to do)."""


def _create_v1(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE runs (
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
        );
        CREATE TABLE epochs (
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
        ) WITHOUT ROWID;
        CREATE TABLE batches (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step INTEGER NOT NULL,
            loss REAL NOT NULL,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        CREATE INDEX runs_by_outcome ON runs(outcome);
        """,
    )


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Statements one by one: `executescript` would commit the migration's transaction half-way."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _create_v1}
SCHEMA_VERSION = max(MIGRATIONS)


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


SUMMARY_COLUMNS = tuple(RunSummary.__dataclass_fields__)


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


def default_runs_dir() -> Path:
    """$WORKBENCH_RUNS_DIR, else `runs` beside the per-user data folder."""
    chosen = os.environ.get(ENV_RUNS_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir().parent / "runs"


def model_summary(spec: ModelSpec) -> str:
    """'Conv2d×2 · ReLU×3 · MaxPool2d×2 · Flatten · Linear×2': the layer types in order of first use."""
    counts: dict[str, int] = {}
    for layer in spec.layers:
        counts[layer.type] = counts.get(layer.type, 0) + 1
    return " · ".join(name if n == 1 else f"{name}×{n}" for name, n in counts.items())


class RunStore:
    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder else default_runs_dir()
        self.path = self.folder / STORE_FILE
        self.notice: str | None = None  # something to tell the user once (a damaged file moved aside)
        self.host = socket.gethostname()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunStoreError(
                f"the run store's folder {show_path(self.folder)} cannot be made ({exc.strerror})"
            ) from None
        self.db = self._open()
        self.mark_lost()

    # ----- opening, versions, damage ---------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect_and_migrate()
        except sqlite3.DatabaseError as exc:
            if not self.path.exists() or "locked" in str(exc):
                raise RunStoreError(
                    f"the run store {show_path(self.path)} cannot be opened ({printable(str(exc))})"
                ) from None
            aside = self._move_aside()
            self.notice = (
                f"the run store {self.path} was damaged ({exc}); it was moved aside to {aside.name} "
                "and a new one started"
            )
            return self._connect_and_migrate()

    def _connect_and_migrate(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RunStoreError(
                    f"the run store {self.path} was written by a newer CNN Workbench (schema {version}; this one "
                    f"reads up to {SCHEMA_VERSION}): update the app, or set {ENV_RUNS_DIR} to another folder"
                )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with _transaction(db):
                    MIGRATIONS[target](db)
                    db.execute(f"PRAGMA user_version = {target}")
            db.execute("SELECT count(*) FROM runs").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self) -> Path:
        aside = self.path.with_name(f"{STORE_FILE}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return aside

    def close(self) -> None:
        self.db.close()

    def mark_lost(self) -> int:
        """Runs left "running" by a process of this host that is gone: "lost". Returns how many."""
        rows = self.db.execute("SELECT id, pid FROM runs WHERE outcome = 'running' AND host = ?", (self.host,))
        gone = [(run_id, pid) for run_id, pid in rows.fetchall() if pid != os.getpid() and not _alive(pid)]
        with _transaction(self.db):
            for run_id, pid in gone:
                self.db.execute(
                    "UPDATE runs SET outcome = 'lost', reason = ? WHERE id = ? AND outcome = 'running'",
                    (f"its process ({pid}) was killed or crashed before the run ended", run_id),
                )
        return len(gone)

    # ----- writing -------------------------------------------------------------------------------

    def start_run(
        self,
        spec: ModelSpec,
        config: dict,
        dataset: str,
        *,
        source: str,
        name: str = "",
        parent_id: int | None = None,
        checkpoint_path: str | None = None,
        history: Sequence[dict] = (),
        device: str = "",
    ) -> int:
        """A new run, "running"; `history`: the epochs its weights already had (a continued model)."""
        inference = infer(spec)
        with _transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO runs (name, created, source, dataset, spec, config, model_name, layers, parameters,"
                " device, outcome, parent_id, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)",
                (
                    "",
                    time.time(),
                    source,
                    printable(dataset),
                    spec.dumps(),
                    json.dumps(config),
                    spec.name,
                    len(spec.layers),
                    inference.total_params if inference.ok else None,
                    device,
                    parent_id,
                    os.getpid(),
                    self.host,
                ),
            )
            run_id = int(cursor.lastrowid)
            default = f"{spec.name or model_summary(spec) or 'empty model'} #{run_id}"
            self.db.execute("UPDATE runs SET name = ? WHERE id = ?", (_clean(name) or default, run_id))
            for row in history:
                self._insert_epoch(run_id, row)
            self._claim(run_id, "checkpoint_path", checkpoint_path)
            self._refresh_epochs(run_id)
        return run_id

    def reopen(self, run_id: int, history: Sequence[dict]) -> None:
        """Continue a stopped or lost run (a resumed checkpoint): back to "running" from the end of
        `history`; epochs and batches recorded after it are dropped (the checkpoint came before them)."""
        last_step = int(history[-1].get("step") or 0) if history else 0
        with _transaction(self.db):
            self.db.execute("DELETE FROM epochs WHERE run_id = ? AND epoch > ?", (run_id, len(history)))
            self.db.execute("DELETE FROM batches WHERE run_id = ? AND step > ?", (run_id, last_step))
            self.db.execute(
                "UPDATE runs SET outcome = 'running', reason = '', ended = NULL, pid = ?, host = ? WHERE id = ?",
                (os.getpid(), self.host, run_id),
            )
            self._refresh_epochs(run_id)

    def set_started(self, run_id: int, *, device: str, features: str, parameters: int, config: dict) -> None:
        with _transaction(self.db):
            self.db.execute(
                "UPDATE runs SET device = ?, features = ?, parameters = ?, config = ? WHERE id = ?",
                (device, features, parameters, json.dumps(config), run_id),
            )

    def add_epoch(self, run_id: int, row: dict) -> None:
        with _transaction(self.db):
            self._insert_epoch(run_id, row)
            self._refresh_epochs(run_id)

    def add_batches(self, run_id: int, steps: Sequence[int], losses: Sequence[float]) -> None:
        """Batch losses; thinned to at most MAX_BATCH_POINTS per run (see the module's docstring)."""
        if not steps:
            return
        with _transaction(self.db):
            (stride,) = self.db.execute("SELECT stride FROM runs WHERE id = ?", (run_id,)).fetchone()
            kept = [(run_id, int(s), float(v)) for s, v in zip(steps, losses, strict=True) if s == 1 or s % stride == 0]
            self.db.executemany("INSERT OR REPLACE INTO batches (run_id, step, loss) VALUES (?, ?, ?)", kept)
            (count,) = self.db.execute("SELECT count(*) FROM batches WHERE run_id = ?", (run_id,)).fetchone()
            while count > MAX_BATCH_POINTS:
                stride *= 2
                self.db.execute(
                    "DELETE FROM batches WHERE run_id = ? AND step != 1 AND step % ? != 0", (run_id, stride)
                )
                (count,) = self.db.execute("SELECT count(*) FROM batches WHERE run_id = ?", (run_id,)).fetchone()
            self.db.execute("UPDATE runs SET stride = ? WHERE id = ?", (stride, run_id))

    def finish(
        self,
        run_id: int,
        outcome: str,
        *,
        reason: str = "",
        test_accuracy: float | None = None,
        test_loss: float | None = None,
        images_per_second: float | None = None,
        device: str = "",
        features: str = "",
    ) -> None:
        if outcome not in ENDED:
            raise ValueError(f"unknown outcome {outcome!r}")
        with _transaction(self.db):
            self.db.execute(
                "UPDATE runs SET outcome = :outcome, reason = :reason, ended = :ended, test_accuracy = :test_accuracy,"
                " test_loss = :test_loss, images_per_second = coalesce(:images_per_second, images_per_second),"
                " device = coalesce(nullif(:device, ''), device), features = coalesce(nullif(:features, ''), features)"
                " WHERE id = :id",
                {
                    "outcome": outcome,
                    "reason": reason,
                    "ended": time.time(),
                    "test_accuracy": test_accuracy,
                    "test_loss": test_loss,
                    "images_per_second": images_per_second,
                    "device": device,
                    "features": features,
                    "id": run_id,
                },
            )

    def set_model(self, run_id: int, path: str) -> None:
        with _transaction(self.db):
            self._claim(run_id, "model_path", path)

    def set_checkpoint(self, run_id: int, path: str | None) -> None:
        with _transaction(self.db):
            self._claim(run_id, "checkpoint_path", path)

    def rename(self, run_id: int, name: str) -> str:
        """The name kept (whitespace tidied); an empty name keeps the old one."""
        cleaned = _clean(name)
        with _transaction(self.db):
            if cleaned:
                self.db.execute("UPDATE runs SET name = ? WHERE id = ?", (cleaned, run_id))
            row = self.db.execute("SELECT name FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row[0] if row else ""

    def delete(self, run_id: int) -> None:
        with _transaction(self.db):
            self.db.execute("UPDATE runs SET parent_id = NULL WHERE parent_id = ?", (run_id,))
            self.db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def _insert_epoch(self, run_id: int, row: dict) -> None:
        values = [run_id, *(_number(row.get(column)) for column in EPOCH_COLUMNS)]
        marks = ", ".join("?" * len(values))
        self.db.execute(f"INSERT OR REPLACE INTO epochs (run_id, {', '.join(EPOCH_COLUMNS)}) VALUES ({marks})", values)

    def _refresh_epochs(self, run_id: int) -> None:
        """The runs row's epoch count, best validation accuracy and time, kept in step with its epochs."""
        self.db.execute(
            "UPDATE runs SET epochs = (SELECT count(*) FROM epochs WHERE run_id = :id),"
            " best_val_accuracy = (SELECT max(val_accuracy) FROM epochs WHERE run_id = :id),"
            " seconds = (SELECT sum(seconds) FROM epochs WHERE run_id = :id),"
            " images_per_second = coalesce((SELECT images_per_second FROM epochs WHERE run_id = :id"
            " ORDER BY epoch DESC LIMIT 1), images_per_second) WHERE id = :id",
            {"id": run_id},
        )

    def _claim(self, run_id: int, column: str, path: str | None) -> None:
        """`path` is this run's now: a file written again by a later run is no longer the earlier one's."""
        path = _stored(path)
        if path:
            self.db.execute(f"UPDATE runs SET {column} = NULL WHERE {column} = ? AND id != ?", (path, run_id))
        self.db.execute(f"UPDATE runs SET {column} = ? WHERE id = ?", (path, run_id))

    # ----- reading -------------------------------------------------------------------------------

    def runs(self) -> list[RunSummary]:
        """Every run, newest first."""
        rows = self.db.execute(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM runs ORDER BY id DESC")
        return [_summary(row) for row in rows.fetchall()]

    def summary(self, run_id: int) -> RunSummary | None:
        row = self.db.execute(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else _summary(row)

    def record(self, run_id: int) -> RunRecord | None:
        summary = self.summary(run_id)
        if summary is None:
            return None
        spec_text, config_text = self.db.execute("SELECT spec, config FROM runs WHERE id = ?", (run_id,)).fetchone()
        epochs = self.db.execute(
            f"SELECT {', '.join(EPOCH_COLUMNS)} FROM epochs WHERE run_id = ? ORDER BY epoch", (run_id,)
        )
        history = [dict(zip(EPOCH_COLUMNS, row, strict=True)) for row in epochs.fetchall()]
        batches = self.db.execute("SELECT step, loss FROM batches WHERE run_id = ? ORDER BY step", (run_id,)).fetchall()
        return RunRecord(
            summary,
            _spec(spec_text),
            json.loads(config_text or "{}"),
            history,
            [step for step, _ in batches],
            [loss for _, loss in batches],
        )

    def find_by_checkpoint(self, path: str) -> RunSummary | None:
        found = "SELECT id FROM runs WHERE checkpoint_path = ? ORDER BY id DESC"
        row = self.db.execute(found, (_stored(path),)).fetchone()
        return None if row is None else self.summary(row[0])

    def shared_by_others(self, run_id: int, path: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM runs WHERE id != :id AND (model_path = :path OR checkpoint_path = :path)",
            {"id": run_id, "path": _stored(path)},
        ).fetchone()
        return row is not None


class _transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on an autocommit connection; nests as a no-op."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback) -> None:
        if self.outer:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    """A killed child not yet reaped still answers kill(pid, 0); on Linux its state says it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return True
    return fields[0] != "Z"


def _number(value: Any) -> float | int | None:
    if value is None or isinstance(value, (int, float)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _clean(name: str) -> str:
    return " ".join(printable(str(name)).split())[:200]


def _stored(path: str | None) -> str | bytes | None:
    """A path as the database keeps it: text, or its bytes where it is not UTF-8 (a str with lone
    surrogates, which SQLite's text cannot hold); `_summary` turns the bytes back into the same str."""
    if path is None:
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _summary(row: Sequence) -> RunSummary:
    return RunSummary(*(os.fsdecode(value) if isinstance(value, bytes) else value for value in row))


def _spec(text: str | None) -> ModelSpec | None:
    if not text:
        return None
    try:
        return model_spec.loads(text)
    except SpecError:
        return None
