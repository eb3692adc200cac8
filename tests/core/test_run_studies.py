"""Runs that are trials of an experiment's Optuna study: the store's version 2 (a store of version 1 migrated,
its runs kept), the study and trial recorded and read back, a study's runs listed and deleted with their files."""

from __future__ import annotations

import json

from tests.core.test_run_store_concurrency import columns_and_version, make_v1_store
from workbench.cli.main import main
from workbench.model import templates
from workbench.runs import files as run_files
from workbench.runs.recorder import start_recording
from workbench.runs.store import SCHEMA_VERSION, RunStore
from workbench.training.config import TrainConfig


def start(store: RunStore, name: str, study: str | None = None, trial: int | None = None, **paths) -> int:
    run_id = store.start_run(templates.template("mlp"), {}, "bars", source="cli", name=name, study=study, trial=trial)
    for column, path in paths.items():
        getattr(store, f"set_{column}")(run_id, str(path))
    return run_id


def test_a_version_1_store_migrates_and_keeps_its_runs(isolated_run_store):
    make_v1_store(isolated_run_store)
    store = RunStore()
    (old,) = store.runs()
    assert (old.id, old.name, old.outcome, old.epochs, old.test_accuracy) == (1, "old run", "finished", 1, 0.7)
    assert (old.study, old.trial) == (None, None) and old.model_path == "/nowhere/model.cnnwb"
    assert [row["val_accuracy"] for row in store.record(1).history] == [0.75]
    new = start(store, "trial", "sweep", 0)
    assert [run.id for run in store.runs(study="sweep")] == [new]
    store.close()
    columns, indexes, version = columns_and_version(isolated_run_store)
    assert SCHEMA_VERSION == 3 and version == 3
    assert columns[-3:] == ["study", "trial", "reason_code"] and indexes == ["runs_by_outcome", "runs_by_study"]
    RunStore().close()  # opened again: nothing more to migrate
    assert columns_and_version(isolated_run_store) == (columns, indexes, 3)


def test_a_run_keeps_its_study_and_trial(isolated_run_store):
    store = RunStore()
    trial = start(store, "a trial", "lr sweep", 7)
    plain = start(store, "a plain run")
    assert (store.summary(trial).study, store.summary(trial).trial) == ("lr sweep", 7)
    assert (store.summary(plain).study, store.summary(plain).trial) == (None, None)
    shown = store.record(trial).to_json()
    assert (shown["study"], shown["trial"]) == ("lr sweep", 7)
    recorder = start_recording(
        store, templates.template("mlp"), TrainConfig(), "bars", "cli", study="lr sweep", trial=8
    )
    recorded = store.summary(recorder.run_id)
    assert (recorded.study, recorded.trial, recorded.source) == ("lr sweep", 8, "cli")


def test_runs_of_a_study_are_only_that_study_s(isolated_run_store):
    store = RunStore()
    ids = {
        "a0": start(store, "a0", "a", 0),
        "plain": start(store, "plain"),
        "b0": start(store, "b0", "b", 0),
        "a1": start(store, "a1", "a", 1),
    }
    assert [run.id for run in store.runs(study="a")] == [ids["a1"], ids["a0"]]  # newest first
    assert [run.trial for run in store.runs(study="b")] == [0]
    assert store.runs(study="c") == []
    assert len(store.runs()) == 4


def test_deleting_a_study_deletes_its_runs_and_files_but_not_a_file_another_run_keeps(tmp_path, isolated_run_store):
    for name in ("a0.cnnwb", "between.ckpt", "shared.ckpt", "b0.cnnwb"):
        (tmp_path / name).write_bytes(b"weights")
    store = RunStore()
    a0 = start(store, "a0", "a", 0, model=tmp_path / "a0.cnnwb", checkpoint=tmp_path / "between.ckpt")
    a1 = start(store, "a1", "a", 1, model=tmp_path / "between.ckpt", checkpoint=tmp_path / "shared.ckpt")
    b0 = start(store, "b0", "b", 0, model=tmp_path / "b0.cnnwb")
    plain = start(store, "plain", model=tmp_path / "shared.ckpt")  # a1's checkpoint, this run's model too
    (store.folder / str(a0)).mkdir()
    (store.folder / str(a0) / "model.cnnwb").write_bytes(b"weights")
    gone, removed = run_files.delete_study(store, "a")
    assert [run.id for run in gone] == [a1, a0] and {run.study for run in gone} == {"a"}
    assert sorted(removed) == sorted(
        [tmp_path / "a0.cnnwb", tmp_path / "between.ckpt", store.folder / str(a0)]
    )  # between.ckpt only the study's runs shared; shared.ckpt the plain run keeps
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == ["b0.cnnwb", "shared.ckpt"]
    assert sorted(run.id for run in store.runs()) == [b0, plain]
    assert store.runs(study="a") == [] and store.delete_study("a") == []
    assert run_files.delete_study(store, "b", keep_files=True)[1] == [] and (tmp_path / "b0.cnnwb").exists()
    assert [run.id for run in store.runs()] == [plain]


def trial_column(listed: str) -> list[tuple[int, str]]:
    """Each row's run id and what its "trial" column shows, in `runs list`'s table."""
    header, *rows = listed.splitlines()
    at = header.index("trial")
    return [(int(row.split()[0]), row[at : at + 16].strip()) for row in rows]


def test_runs_list_of_a_study(isolated_run_store, capsys):
    store = RunStore()
    start(store, "first trial", "lr sweep", 0)
    start(store, "plain run")
    last = start(store, "second trial", "lr sweep", 1)
    start(store, "other study's", "depth", 0)
    store.close()
    assert main(["runs", "list", "--study", "lr sweep", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(run["name"], run["study"], run["trial"]) for run in listed] == [
        ("second trial", "lr sweep", 1),
        ("first trial", "lr sweep", 0),
    ]
    assert main(["runs", "list", "--study", "lr sweep"]) == 0
    assert trial_column(capsys.readouterr().out) == [(last, "lr sweep#1"), (last - 2, "lr sweep#0")]
    assert main(["runs", "list"]) == 0
    assert [trial for _, trial in trial_column(capsys.readouterr().out)] == ["depth#0", "lr sweep#1", "-", "lr sweep#0"]
    assert main(["runs", "show", str(last)]) == 0
    assert "\n  trial 1 of study lr sweep\n" in capsys.readouterr().out
    assert main(["runs", "list", "--study", "nothing", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["runs", "list", "--study", "nothing"]) == 0
    assert capsys.readouterr().out.startswith("no runs of study nothing yet in ")
