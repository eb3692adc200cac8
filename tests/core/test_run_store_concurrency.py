"""The run store opened by several processes at once: a new store made by many at the same moment, a store of
version 1 migrated by many, one opening while another migrates, damage told apart from contention (only a
damaged file is moved aside).

The processes are forked: they do SQLite work and pure-Python shape inference only, never torch."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
from pathlib import Path

import pytest

from workbench.model import templates
from workbench.runs import sqlite_file
from workbench.runs import store as store_module
from workbench.runs.store import SCHEMA_VERSION, STORE_FILE, RunStore, RunStoreError
from workbench.runs.tables import create_v1

PROCESSES = 8
ROUNDS = 50
WAIT = 60  # seconds before a test gives up on a process (never reached when all is well)
FORK = multiprocessing.get_context("fork")

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="the processes are forked"
)


def moved_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{STORE_FILE}.damaged-*"))


def make_v1_store(folder: Path) -> None:
    """A store as version 1 of the app left it: its tables, and one finished run of one epoch."""
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / STORE_FILE, isolation_level=None)
    try:
        db.execute("BEGIN")
        create_v1(db)
        spec = templates.template("mlp")
        db.execute(
            "INSERT INTO runs (name, created, ended, source, dataset, spec, config, model_name, layers, outcome,"
            " epochs, best_val_accuracy, test_accuracy, model_path, pid, host)"
            " VALUES ('old run', ?, ?, 'cli', 'digits', ?, '{\"epochs\": 1}', '', ?, 'finished', 1, 0.75, 0.7,"
            " '/nowhere/model.cnnwb', 1, 'elsewhere')",
            (time.time() - 60, time.time(), spec.dumps(), len(spec.layers)),
        )
        db.execute("INSERT INTO epochs (run_id, epoch, step, train_loss, val_accuracy) VALUES (1, 1, 10, 0.5, 0.75)")
        db.execute("PRAGMA user_version = 1")
        db.execute("COMMIT")
    finally:
        db.close()


def columns_and_version(folder: Path) -> tuple[list[str], list[str], int]:
    """The runs table's columns, its indexes, and the file's schema version."""
    with sqlite3.connect(folder / STORE_FILE) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(runs)")]
        indexes = sorted(row[1] for row in db.execute("PRAGMA index_list(runs)"))
        version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()
    return columns, indexes, version


def record_one_run(folder: Path, spec) -> tuple[int, str | None]:
    store = RunStore(folder)
    try:
        run_id = store.start_run(spec, {"epochs": 1}, "bars", source="cli")
        store.finish(run_id, "finished", test_accuracy=0.5)
        return run_id, store.notice
    finally:
        store.close()


def open_stores(folders: list[Path], barrier, results, spec) -> None:
    """One of the processes: in each round, open that round's store with the others at once."""
    for folder in folders:
        barrier.wait(WAIT)
        try:
            results.put((str(folder), *record_one_run(folder, spec), None))
        except Exception as exc:  # told to the test, which fails with it
            results.put((str(folder), None, None, f"{type(exc).__name__}: {exc}"))


def run_together(target, argument_lists: list[tuple]) -> list:
    processes = [FORK.Process(target=target, args=arguments, daemon=True) for arguments in argument_lists]
    for process in processes:
        process.start()
    return processes


def open_together(folders: list[Path]) -> dict[str, list[tuple]]:
    """PROCESSES processes open each folder's store at the same moment and record a run in it:
    per folder, each one's (run id, notice, error)."""
    barrier, results = FORK.Barrier(PROCESSES), FORK.Queue()
    arguments = (folders, barrier, results, templates.template("mlp"))
    processes = run_together(open_stores, [arguments] * PROCESSES)
    reports = [results.get(timeout=WAIT) for _ in range(PROCESSES * len(folders))]
    for process in processes:
        process.join(WAIT)
    assert [process.exitcode for process in processes] == [0] * PROCESSES
    errors = [report for report in reports if report[3] is not None]
    assert errors == [], f"{len(errors)} of {len(reports)} opens failed, e.g. {errors[:3]}"
    by_folder: dict[str, list[tuple]] = {str(folder): [] for folder in folders}
    for folder, *report in reports:
        by_folder[folder].append(tuple(report))
    return by_folder


def assert_every_run_kept(folder: Path, reports: list[tuple]) -> None:
    store = RunStore(folder)
    runs = store.runs()
    store.close()
    assert sorted(run.id for run in runs) == sorted(run_id for run_id, _, _ in reports)
    assert len(runs) == PROCESSES and {run.outcome for run in runs} == {"finished"}


def test_eight_processes_opening_a_new_store_at_once_all_record_their_run(tmp_path):
    folders = [tmp_path / f"round-{n}" for n in range(ROUNDS)]
    reports = open_together(folders)
    notices = [notice for per_folder in reports.values() for _, notice, _ in per_folder if notice]
    assert notices == [], f"{len(notices)} of {PROCESSES * ROUNDS} opens moved the store aside: {notices[:2]}"
    for folder in folders:
        assert moved_aside(folder) == []
        assert_every_run_kept(folder, reports[str(folder)])


def test_eight_processes_opening_a_damaged_store_at_once_move_it_aside_once(tmp_path):
    folders = [tmp_path / f"round-{n}" for n in range(ROUNDS // 2)]
    for folder in folders:
        folder.mkdir()
        (folder / STORE_FILE).write_bytes(b"this is not a database" * 200)
    reports = open_together(folders)
    for folder in folders:
        notices = [notice for _, notice, _ in reports[str(folder)] if notice]
        assert len(notices) == 1 and "was damaged" in notices[0]
        (aside,) = moved_aside(folder)
        assert aside.read_bytes() == b"this is not a database" * 200 and aside.name in notices[0]
        assert_every_run_kept(folder, reports[str(folder)])


def test_eight_processes_opening_a_version_1_store_at_once_migrate_it_and_keep_its_run(tmp_path):
    folders = [tmp_path / f"round-{n}" for n in range(ROUNDS // 2)]
    for folder in folders:
        make_v1_store(folder)
    reports = open_together(folders)
    for folder in folders:
        assert [notice for _, notice, _ in reports[str(folder)] if notice] == [] and moved_aside(folder) == []
        columns, indexes, version = columns_and_version(folder)
        assert version == SCHEMA_VERSION == 3 and columns[-3:] == ["study", "trial", "reason_code"]
        assert "runs_by_study" in indexes
        store = RunStore(folder)
        runs = store.runs()
        store.close()
        assert sorted(run.id for run in runs) == [1, *sorted(run_id for run_id, _, _ in reports[str(folder)])]
        assert runs[-1].name == "old run" and (runs[-1].study, runs[-1].trial) == (None, None)


def migrate_to_next_version(folder: Path, hold: bool, events: dict, results) -> None:
    """One of two processes whose app knows a schema version after this one's (a new column). Holding: it stops
    inside its migration until told to go on. Not holding: it says when it asks for the write lock."""
    ran = []

    def add_note(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT ''")
        ran.append(True)
        if hold:
            events["migrating"].set()
            assert events["go_on"].wait(WAIT)

    store_module.MIGRATIONS = {**store_module.MIGRATIONS, SCHEMA_VERSION + 1: add_note}
    store_module.SCHEMA_VERSION = SCHEMA_VERSION + 1
    connect = sqlite3.connect

    def traced(*args, **kwargs) -> sqlite3.Connection:
        db = connect(*args, **kwargs)
        db.set_trace_callback(lambda sql: sql.startswith("BEGIN IMMEDIATE") and events["waiting"].set())
        return db

    if not hold:
        assert events["migrating"].wait(WAIT)
        store_module.sqlite3.connect = traced
    try:
        store = RunStore(folder)
        columns = [row[1] for row in store.db.execute("PRAGMA table_info(runs)")]
        version = store.db.execute("PRAGMA user_version").fetchone()[0]
        results.put((hold, bool(ran), "note" in columns, version, store.notice, None))
        store.close()
    except Exception as exc:
        results.put((hold, bool(ran), False, None, None, f"{type(exc).__name__}: {exc}"))


def test_a_store_opened_while_another_process_migrates_it_waits_and_finds_it_migrated(tmp_path):
    folder = tmp_path / "runs"
    spec = templates.template("mlp")
    record_one_run(folder, spec)  # a store of the current version, with a run
    events = {name: FORK.Event() for name in ("migrating", "waiting", "go_on")}
    results = FORK.Queue()
    processes = run_together(
        migrate_to_next_version, [(folder, True, events, results), (folder, False, events, results)]
    )
    assert events["migrating"].wait(WAIT)
    assert events["waiting"].wait(WAIT)  # the second process now waits for the write lock the first holds
    events["go_on"].set()
    reports = sorted(results.get(timeout=WAIT) for _ in processes)
    for process in processes:
        process.join(WAIT)
    # (holding, its own migration ran, the new column is there, version, notice, error)
    assert reports == [
        (False, False, True, SCHEMA_VERSION + 1, None, None),
        (True, True, True, SCHEMA_VERSION + 1, None, None),
    ]
    assert moved_aside(folder) == []
    with sqlite3.connect(folder / STORE_FILE) as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (1,)  # the run recorded before is kept
    db.close()


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    page = 4096
    if how == "random bytes":
        path.write_bytes(os.urandom(4 * page))
    elif how == "garbled pages":
        path.write_bytes(data[:page] + b"\xff" * (len(data) - page))
    elif how == "garbled schema":
        path.write_bytes(data[:100] + b"\xa5" * (page - 100) + data[page:])
    else:  # truncated
        path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("how", ["random bytes", "garbled pages", "garbled schema", "truncated"])
def test_a_damaged_store_is_still_moved_aside_with_a_notice(tmp_path, how):
    folder = tmp_path / "runs"
    spec = templates.template("mlp")
    record_one_run(folder, spec)
    store = RunStore(folder)
    store.add_batches(1, list(range(1, 2001)), [1.0] * 2000)  # pages beyond the first few
    store.close()
    damage(folder / STORE_FILE, how)
    damaged = (folder / STORE_FILE).read_bytes()
    store = RunStore(folder)
    assert store.notice and "was damaged" in store.notice and "moved aside" in store.notice
    assert store.runs() == []
    store.close()
    (aside,) = moved_aside(folder)
    assert aside.read_bytes() == damaged
    record_one_run(folder, spec)  # the new store works


def hold_the_store(path: Path, how: str) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    if how == "exclusively":  # no other connection may even read
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
    else:  # others may read, not write
        holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE runs SET name = name")
    return holder


@pytest.mark.parametrize("how", ["exclusively", "for writing"])
def test_a_store_locked_longer_than_the_timeout_is_one_line_and_nothing_moves(tmp_path, how):
    folder = tmp_path / "runs"
    record_one_run(folder, templates.template("mlp"))
    before = (folder / STORE_FILE).read_bytes()
    holder = hold_the_store(folder / STORE_FILE, how)
    try:
        with pytest.raises(RunStoreError) as caught:
            RunStore(folder, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    message = str(caught.value)
    assert "\n" not in message and "cannot be opened (database is locked)" in message
    assert "busy for over 0.2 s" in message and "WORKBENCH_RUNS_DIR" in message
    assert moved_aside(folder) == [] and (folder / STORE_FILE).read_bytes() == before
    store = RunStore(folder)
    assert len(store.runs()) == 1  # usable once the other lets go
    store.close()


def test_another_program_s_database_is_refused_not_moved_aside(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    with sqlite3.connect(folder / STORE_FILE) as db:
        db.execute("CREATE TABLE runs (lap INTEGER, seconds REAL)")  # a runner's log, not a run store
    db.close()
    with pytest.raises(RunStoreError, match=r"cannot be opened .*no such column: outcome"):
        RunStore(folder)
    assert moved_aside(folder) == []
    with sqlite3.connect(folder / STORE_FILE) as db:
        assert [row[1] for row in db.execute("PRAGMA table_info(runs)")] == ["lap", "seconds"]
    db.close()


@pytest.mark.parametrize(
    ("message", "is_damage"),
    [
        ("file is not a database", True),
        ("database disk image is malformed", True),
        ("table runs already exists", False),
        ("database is locked", False),
        ("disk I/O error", False),
    ],
)
def test_only_damage_moves_a_file_aside_also_where_python_gives_no_error_code(message, is_damage):
    assert sqlite_file.is_damage(sqlite3.DatabaseError(message)) is is_damage  # Python 3.10: the text
