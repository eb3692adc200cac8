"""The run store: one SQLite file (WAL) in the per-user data folder, or $WORKBENCH_RUNS_DIR.

Written as a run goes: a row when it starts, a row per epoch, the batch losses at each epoch's end,
the metrics when it ends. A process killed mid-run leaves its run "running" with the pid and host
that ran it; the next store opened on that host marks it "lost", keeping the epochs it finished.

The schema's version is SQLite's `user_version`; `MIGRATIONS[n]` turns version n-1 into n (append-only: a
new function, never an edit of an older one). Several processes may open the store at once (two windows,
the CLI, parallel trials): opening waits up to `timeout` seconds for the others, and the migrations run
in one write transaction taken up front that reads the version again, so a process that waited finds the
work done (schema statements say `IF NOT EXISTS` as well, and a column is added only where it is
missing). A file from a newer app is refused with one line (nothing is changed in it); only a file SQLite
finds damaged (not a database, malformed) is moved aside and a new store started, and `notice` says so;
any other error (busy, locked, another program's tables) is a one-line `RunStoreError` that moves
nothing. Opening holds a shared lock on the folder and moving a damaged file aside an exclusive one, so
several processes that find it damaged at once move it aside once, while none is opening it. Long runs
keep at most `MAX_BATCH_POINTS` batch losses: when a run has more, every other one is dropped and from
then on only every `stride`-th step is kept, so the curve stays evenly spaced.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from workbench.data.location import default_data_dir
from workbench.messages import say
from workbench.model import spec as model_spec
from workbench.model.shapes import infer
from workbench.model.spec import ModelSpec, SpecError
from workbench.runs.sqlite_file import (
    BUSY_TIMEOUT,
    file_identity,
    folder_lock,
    is_busy,
    is_damage,
    transaction,
    until_free,
)
from workbench.runs.tables import (
    EPOCH_COLUMNS,
    SELECTED_COLUMNS,
    RunRecord,
    RunSummary,
    add_reason_code_v3,
    add_study_v2,
    create_v1,
    reason_code,
    summary_of,
)
from workbench.system import process_alive
from workbench.text import printable, show_path

__all__ = [
    "ENDED",
    "ENV_RUNS_DIR",
    "EPOCH_COLUMNS",
    "MAX_BATCH_POINTS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_FILE",
    "RunRecord",
    "RunStore",
    "RunStoreError",
    "RunSummary",
    "default_runs_dir",
    "model_summary",
]

ENV_RUNS_DIR = "WORKBENCH_RUNS_DIR"
STORE_FILE = "runs.sqlite"
MAX_BATCH_POINTS = 2000
ENDED = ("finished", "stopped", "failed", "lost")


class RunStoreError(Exception):
    """The run store cannot be used (one line: what and what to do)."""


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: create_v1, 2: add_study_v2, 3: add_reason_code_v3}
SCHEMA_VERSION = max(MIGRATIONS)


def default_runs_dir() -> Path:
    """$WORKBENCH_RUNS_DIR, else `runs` beside the per-user data folder."""
    chosen = os.environ.get(ENV_RUNS_DIR)
    return Path(chosen).expanduser() if chosen else default_data_dir().parent / "runs"


def model_summary(spec: ModelSpec) -> str:
    """'Conv2d×2 · ReLU×3 · MaxPool2d×2 · Flatten · Linear×2': the layer types in order of first use."""
    counts: dict[str, int] = {}
    for layer in spec.walk():
        counts[layer.type] = counts.get(layer.type, 0) + 1
    return " · ".join(name if n == 1 else f"{name}×{n}" for name, n in counts.items())


class RunStore:
    def __init__(self, folder: str | os.PathLike | None = None, *, timeout: float = BUSY_TIMEOUT) -> None:
        self.folder = Path(folder).expanduser() if folder else default_runs_dir()
        self.path = self.folder / STORE_FILE
        self.timeout = timeout  # seconds to wait for other processes using the store
        self.notice: str | None = None  # something to tell the user once (a damaged file moved aside)
        self.host = socket.gethostname()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunStoreError(
                f"the run store's folder {show_path(self.folder)} cannot be made ({exc.strerror})"
            ) from None
        self.db = self._open()
        try:
            self.mark_lost()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise self._cannot_open(exc) from None

    # ----- opening, versions, damage ---------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        seen = None
        try:
            with folder_lock(self.folder, self.timeout, exclusive=False):
                seen = file_identity(self.path)  # the file as found: only that one may be moved aside
                return self._connect_and_migrate()
        except sqlite3.DatabaseError as exc:
            if seen is None or not is_damage(exc):
                raise self._cannot_open(exc) from None
            damage = exc
        try:
            with folder_lock(self.folder, self.timeout, exclusive=True):
                aside = self._move_aside(seen, damage)
            if aside is not None:  # else another process opening it at the same moment moved it first
                self.notice = (
                    f"the run store {self.path} was damaged ({damage}); it was moved aside to {aside.name} "
                    "and a new one started"
                )
            with folder_lock(self.folder, self.timeout, exclusive=False):
                return self._connect_and_migrate()
        except sqlite3.DatabaseError as exc:
            raise self._cannot_open(exc) from None

    def _connect_and_migrate(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            self._migrate(db)
            # SQLite's busy handler does not always wait for this one
            until_free(lambda: db.execute("PRAGMA journal_mode=WAL").fetchall(), is_busy, self.timeout)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("SELECT count(*) FROM runs").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Every migration in one write transaction taken up front (the others wait for it), reading
        the version again inside it: a process that waited for another's migration finds it done."""
        if self._version(db) == SCHEMA_VERSION:
            return
        with transaction(db):
            for target in range(self._version(db) + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[target](db)
                db.execute(f"PRAGMA user_version = {target}")

    def _version(self, db: sqlite3.Connection) -> int:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RunStoreError(
                f"the run store {self.path} was written by a newer CNN Workbench (schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}): update the app, or set {ENV_RUNS_DIR} to another folder"
            )
        return version

    def _cannot_open(self, exc: sqlite3.DatabaseError) -> RunStoreError:
        if is_busy(exc):
            todo = f"another program kept it busy for over {self.timeout:g} s; try again when it is done"
        else:
            todo = "check that its folder can be written and has space"
        return RunStoreError(
            f"the run store {show_path(self.path)} cannot be opened ({printable(str(exc))}); {todo}, "
            f"or set {ENV_RUNS_DIR} to another folder"
        )

    def _move_aside(self, seen: tuple[int, int], damage: sqlite3.DatabaseError) -> Path | None:
        """The damaged file moved aside; None if it is no longer the one found damaged."""
        if file_identity(self.path) != seen:
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{STORE_FILE}.damaged-{stamp}")
        for n in range(2, 1000):
            if not aside.exists():
                break
            aside = self.path.with_name(f"{STORE_FILE}.damaged-{stamp}-{n}")
        try:
            self.path.replace(aside)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise RunStoreError(
                f"the run store {show_path(self.path)} is damaged ({printable(str(damage))}) and cannot be moved "
                f"aside ({exc.strerror}); move it away yourself, or set {ENV_RUNS_DIR} to another folder"
            ) from None
        for suffix in ("-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        return aside

    def close(self) -> None:
        self.db.close()

    def mark_lost(self) -> int:
        """Runs left "running" by a process of this host that is gone: "lost". Returns how many."""
        rows = self.db.execute("SELECT id, pid FROM runs WHERE outcome = 'running' AND host = ?", (self.host,))
        gone = [(run_id, pid) for run_id, pid in rows.fetchall() if pid != os.getpid() and not process_alive(pid)]
        with transaction(self.db):
            for run_id, pid in gone:
                self.db.execute(
                    "UPDATE runs SET outcome = 'lost', reason = ?, reason_code = ?"
                    " WHERE id = ? AND outcome = 'running'",
                    (lost := say("stop.lost", pid=pid), reason_code(lost), run_id),
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
        study: str | None = None,
        trial: int | None = None,
    ) -> int:
        """A new run, "running"; `history`: the epochs its weights already had (a continued model); `study`
        and `trial`: the Optuna study it is a trial of, and the trial's number."""
        inference = infer(spec)
        with transaction(self.db):
            cursor = self.db.execute(
                "INSERT INTO runs (name, created, source, dataset, spec, config, model_name, layers, parameters,"
                " device, outcome, parent_id, pid, host, study, trial)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)",
                (
                    "",
                    time.time(),
                    source,
                    printable(dataset),
                    spec.dumps(),
                    json.dumps(config),
                    spec.name,
                    sum(1 for _ in spec.walk()),
                    inference.total_params if inference.ok else None,
                    device,
                    parent_id,
                    os.getpid(),
                    self.host,
                    _stored(study),
                    trial,
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
        with transaction(self.db):
            self.db.execute("DELETE FROM epochs WHERE run_id = ? AND epoch > ?", (run_id, len(history)))
            self.db.execute("DELETE FROM batches WHERE run_id = ? AND step > ?", (run_id, last_step))
            self.db.execute(
                "UPDATE runs SET outcome = 'running', reason = '', reason_code = NULL, ended = NULL, pid = ?, host = ?"
                " WHERE id = ?",
                (os.getpid(), self.host, run_id),
            )
            self._refresh_epochs(run_id)

    def set_started(self, run_id: int, *, device: str, features: str, parameters: int, config: dict) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET device = ?, features = ?, parameters = ?, config = ? WHERE id = ?",
                (device, features, parameters, json.dumps(config), run_id),
            )

    def add_epoch(self, run_id: int, row: dict) -> None:
        with transaction(self.db):
            self._insert_epoch(run_id, row)
            self._refresh_epochs(run_id)

    def add_batches(self, run_id: int, steps: Sequence[int], losses: Sequence[float]) -> None:
        """Batch losses; thinned to at most MAX_BATCH_POINTS per run (see the module's docstring)."""
        if not steps:
            return
        with transaction(self.db):
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
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET outcome = :outcome, reason = :reason, reason_code = :reason_code, ended = :ended,"
                " test_accuracy = :test_accuracy,"
                " test_loss = :test_loss, images_per_second = coalesce(:images_per_second, images_per_second),"
                " device = coalesce(nullif(:device, ''), device), features = coalesce(nullif(:features, ''), features)"
                " WHERE id = :id",
                {
                    "outcome": outcome,
                    "reason": reason,
                    "reason_code": reason_code(reason),
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
        with transaction(self.db):
            self._claim(run_id, "model_path", path)

    def set_checkpoint(self, run_id: int, path: str | None) -> None:
        with transaction(self.db):
            self._claim(run_id, "checkpoint_path", path)

    def rename(self, run_id: int, name: str) -> str:
        """The name kept (whitespace tidied); an empty name keeps the old one."""
        cleaned = _clean(name)
        with transaction(self.db):
            if cleaned:
                self.db.execute("UPDATE runs SET name = ? WHERE id = ?", (cleaned, run_id))
            row = self.db.execute("SELECT name FROM runs WHERE id = ?", (run_id,)).fetchone()
        return row[0] if row else ""

    def delete(self, run_id: int) -> None:
        with transaction(self.db):
            self.db.execute("UPDATE runs SET parent_id = NULL WHERE parent_id = ?", (run_id,))
            self.db.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def delete_study(self, name: str) -> list[RunSummary]:
        """Forget every run of the study `name`, in one transaction; the runs forgotten. Their files are the
        caller's (`files.delete_study` deletes both)."""
        with transaction(self.db):
            gone = self.runs(study=name)
            for run in gone:
                self.delete(run.id)
        return gone

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

    def runs(self, study: str | None = None) -> list[RunSummary]:
        """Every run, newest first; given `study`, only that study's."""
        columns = SELECTED_COLUMNS
        if study is None:
            rows = self.db.execute(f"SELECT {columns} FROM runs ORDER BY id DESC")
        else:
            rows = self.db.execute(f"SELECT {columns} FROM runs WHERE study = ? ORDER BY id DESC", (_stored(study),))
        return [summary_of(row) for row in rows.fetchall()]

    def summary(self, run_id: int) -> RunSummary | None:
        row = self.db.execute(f"SELECT {SELECTED_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
        return None if row is None else summary_of(row)

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
    """A path (or a study's name) as the database keeps it: text, or its bytes where it is not UTF-8 (a str
    with lone surrogates, which SQLite's text cannot hold); `tables.summary_of` turns the bytes back into the
    same str."""
    if path is None:
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path


def _spec(text: str | None) -> ModelSpec | None:
    if not text:
        return None
    try:
        return model_spec.loads(text)
    except SpecError:
        return None
