"""Experiments from the command line and the core: a grid tries every configuration once, scored by the mean of its
seeds with their spread; each seed is an ordinary run recorded with its study and trial; only the best trials keep
their model files; a configuration that turns out impossible is a failed trial and the study goes on; the pruner
ends a trial that cannot learn; a stopped study resumes where it was; a killed worker's trial is tried again."""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.experiments import storage as studies
from workbench.experiments.launch import WorkerProcesses
from workbench.experiments.plan import DataChoice, StudyPlan
from workbench.experiments.space import parse_space
from workbench.experiments.worker import KEEP_BEST, Worker, study_folder
from workbench.model import templates
from workbench.model.vary import Domain
from workbench.runs.store import RunStore
from workbench.training.config import TrainConfig
from workbench.training.control import RunControl

SPEC = templates.template("mnist-fast")
FAST = {"batch_size": 64, "lr": 0.01, "epochs": 1}


def _files(tmp_path: Path, space: dict) -> tuple[str, str]:
    spec, space_file = tmp_path / "m.json", tmp_path / "space.json"
    spec.write_text(SPEC.dumps())
    space_file.write_text(json.dumps(space))
    return str(spec), str(space_file)


def _show(name: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["sweep", "show", name, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_a_grid_with_seeds_tries_each_configuration_once_and_keeps_the_best_models(tmp_path, capsys):
    spec, space = _files(tmp_path, {"lr": {"choice": [0.01, 0.003]}, "layers.0.out_channels": {"choice": [4, 8]}})
    args = ["sweep", spec, "--dataset", "digits", "--limit", "400", "--space", space, "--study", "grid", "--seeds", "2"]
    assert main([*args, "--workers", "1", "--batch-size", "64"]) == 0
    out, err = capsys.readouterr()
    final = json.loads(out.splitlines()[-1])
    assert final["ended"] == "every configuration of the grid was tried" and final["trials"] == 4
    assert err.count("COMPLETE") == 4
    report = _show("grid", capsys)
    trials = report["trials"]
    assert sorted((t["params"]["lr"], t["params"]["layers.0.out_channels"]) for t in trials) == [
        (0.003, 4),
        (0.003, 8),
        (0.01, 4),
        (0.01, 8),
    ]
    for trial in trials:
        assert trial["state"] == "COMPLETE" and len(trial["seeds"]) == 2 and len(trial["runs"]) == 2
        assert trial["value"] == pytest.approx(statistics.fmean(trial["seeds"]))
        assert trial["spread"] == pytest.approx(statistics.stdev(trial["seeds"]))
    best = max(trials, key=lambda t: t["value"])
    assert report["best"]["number"] == best["number"] and 0 < report["best"]["test"]["accuracy"] <= 1
    runs = RunStore().runs(study="grid")
    assert sorted(run.id for run in runs) == sorted(run for t in trials for run in t["runs"])
    assert {(run.study, run.trial) for run in runs} == {("grid", t["number"]) for t in trials}
    kept = sorted(int(path.parts[-3].split("-")[1]) for path in study_folder("grid").glob("trial-*/seed-*/model.cnnwb"))
    best_numbers = sorted(t["number"] for t in sorted(trials, key=lambda t: -t["value"])[:KEEP_BEST])
    assert kept == sorted(best_numbers * 2)  # two seeds each
    assert main(["sweep", "delete", "grid"]) == 0
    assert RunStore().runs(study="grid") == [] and not study_folder("grid").exists()
    assert main(["sweep", "show", "grid"]) == 2


def test_an_impossible_combination_is_a_failed_trial_with_the_shape_error_and_the_study_goes_on(tmp_path, capsys):
    # the spec's own marks are the space: kernel 27 leaves 2×2 without padding, and the second max pool cannot
    # fit; with padding 1 it works
    first = (
        SPEC.layers[0]
        .with_vary("kernel_size", Domain("choice", (3, 27)))
        .with_vary("padding", Domain("choice", (0, 1)))
    )
    spec = tmp_path / "marked.json"
    spec.write_text(SPEC.with_layers([first, *SPEC.layers[1:]]).dumps())
    assert main(["sweep", str(spec), "--dataset", "digits", "--limit", "300", "--study", "shapes"]) == 0
    trials = {tuple(t["params"].values()): t for t in _show("shapes", capsys)["trials"]}
    assert [trials[key]["state"] for key in ((3, 0), (3, 1), (27, 1))] == ["COMPLETE"] * 3
    assert trials[27, 0]["state"] == "FAIL" and trials[27, 0]["why"].startswith(
        "layer 8 MaxPool2d: kernel 2 does not fit"
    )


def _plan(space: dict, **changes) -> StudyPlan:
    config = TrainConfig(**{**FAST, **changes.pop("config", {})})
    return StudyPlan(
        SPEC,
        parse_space(space, SPEC, config),
        DataChoice("digits", limit=changes.pop("limit", None)),
        config,
        **changes,
    )


def test_the_median_pruner_ends_a_trial_whose_learning_rate_is_too_small_to_learn():
    plan = _plan({"lr": {"choice": [0.01, 1e-7]}}, trials=4, sampler="random", pruner="median")
    study, _ = studies.create_or_resume(studies.open_storage(), "prune", plan)
    for lr in (0.01, 0.01, 0.01, 1e-7):
        study.enqueue_trial({"lr": lr}, skip_if_exists=False)
    assert Worker(None, "prune").run() == "the budget of 4 trials is spent"
    trials = study.get_trials()
    assert [t.state.name for t in trials] == ["COMPLETE", "COMPLETE", "COMPLETE", "PRUNED"]
    assert trials[3].params["lr"] == 1e-7 and "pruned at validation check" in trials[3].user_attrs["pruned"]
    assert len(trials[3].intermediate_values) < len(trials[0].intermediate_values) == 4


def test_a_stopped_study_resumes_where_it_was_and_a_larger_budget_goes_on(tmp_path, capsys):
    plan = _plan({"lr": {"log": [1e-3, 1e-2]}}, trials=2, limit=300, config={"epochs": 3})
    studies.create_or_resume(studies.open_storage(), "resume", plan)
    control = RunControl()
    stopped = []

    def stop_in_the_first_trial(event) -> None:
        if type(event).__name__ == "EpochEnded" and not stopped:
            stopped.append(event)
            control.stop()

    assert Worker(None, "resume", control=control, listener=stop_in_the_first_trial).run() == "stopped"
    study, _ = studies.load_study(studies.open_storage(), "resume")
    first = study.get_trials()
    assert [t.state.name for t in first] == ["FAIL", "WAITING"]
    assert first[1].system_attrs["fixed_params"] == first[0].params
    assert Worker(None, "resume").run() == "the budget of 2 trials is spent"
    after = studies.load_study(studies.open_storage(), "resume")[0].get_trials()
    assert [t.state.name for t in after] == ["FAIL", "COMPLETE", "COMPLETE"] and after[1].params == first[0].params
    studies.create_or_resume(
        studies.open_storage(), "resume", _plan(plan.space.to_json(), trials=3, limit=300, config={"epochs": 3})
    )
    assert Worker(None, "resume").run() == "the budget of 3 trials is spent"
    assert len(studies.load_study(studies.open_storage(), "resume")[0].get_trials()) == 4


@pytest.mark.slow
def test_a_killed_workers_trial_fails_by_its_heartbeat_and_another_worker_tries_it_again(tmp_path, monkeypatch):
    monkeypatch.setenv(studies.ENV_HEARTBEAT, "1")
    plan = _plan({"lr": {"choice": [0.01]}}, trials=1, limit=300, config={"epochs": 20})
    studies.create_or_resume(studies.open_storage(), "killed", plan)
    workers = WorkerProcesses(None, "killed", workers=1, threads=1)
    workers.start()
    worker = workers.children[0]
    study = studies.load_study(studies.open_storage(), "killed")[0]
    deadline = time.monotonic() + 60
    while not any(t.state.name == "RUNNING" for t in study.get_trials()) and time.monotonic() < deadline:
        assert worker.poll() is None, workers.logs[0].read_text()
        time.sleep(0.1)
    time.sleep(1.5)  # its heartbeat thread has beaten (a trial that never beat is not judged stale)
    assert worker.poll() is None
    worker.kill()
    worker.wait(5)
    time.sleep(studies.GRACE_BEATS * 1 + 1)  # the dead worker's heartbeat goes stale
    assert Worker(None, "killed").run() == "every configuration of the grid was tried"
    trials = study.get_trials()
    assert [t.state.name for t in trials] == ["FAIL", "COMPLETE"]
    assert trials[1].system_attrs.get("failed_trial") == trials[0].number
    assert trials[0].user_attrs["worker"] != trials[1].user_attrs["worker"]
