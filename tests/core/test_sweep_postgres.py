"""A study in a real PostgreSQL server (started by the test, on loopback) is shared by workers that know only its
name and URL: two `sweep join` processes run every trial exactly once between them, both contribute, and
`optuna.load_study` on that URL sees the same trials and values as `sweep show --json`. Without Debian's
PostgreSQL binaries the test skips with its reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import optuna
import pytest

from tests.postgres import postgres_url  # noqa: F401  (the fixture)
from workbench.cli.main import main
from workbench.experiments import storage as studies
from workbench.experiments.plan import DataChoice, StudyPlan
from workbench.experiments.space import parse_space
from workbench.model import templates
from workbench.training.config import TrainConfig


@pytest.mark.slow
def test_two_workers_share_a_study_in_postgresql_and_each_trial_runs_once(postgres_url, capsys):  # noqa: F811
    spec = templates.template("mnist-fast")
    config = TrainConfig(batch_size=64, lr=0.01, epochs=1)
    space = parse_space({"lr": {"log": [1e-3, 3e-2]}, "layers.0.out_channels": {"choice": [4, 8]}}, spec, config)
    plan = StudyPlan(spec, space, DataChoice("digits", limit=400), config, trials=6, sampler="random")
    studies.create_or_resume(studies.open_storage(postgres_url), "shared", plan)
    join = [sys.executable, "-m", "workbench", "sweep", "join", "shared", "--storage", postgres_url, "--workers", "1"]
    workers = [
        subprocess.Popen(join, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy()) for _ in range(2)
    ]
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err.decode()
        assert json.loads(out.decode().splitlines()[-1])["ended"] == "the budget of 6 trials is spent"

    study = optuna.load_study(study_name="shared", storage=postgres_url)
    trials = study.get_trials()
    assert len(trials) in (6, 7)  # two workers racing for the last trial may both start one
    assert all(trial.state.name == "COMPLETE" for trial in trials)
    assert len({trial.user_attrs["worker"] for trial in trials}) == 2  # both contributed
    assert sorted(trial.number for trial in trials) == list(range(len(trials)))  # each ran once
    runs = [run for trial in trials for run in trial.user_attrs["runs"]]
    assert len(runs) == len(set(runs)) == len(trials)

    capsys.readouterr()
    assert main(["sweep", "show", "shared", "--storage", postgres_url, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["study"] == "shared" and shown["direction"] == "maximize"
    assert [(t["number"], t["state"], t["params"], t["value"]) for t in shown["trials"]] == [
        (t.number, t.state.name, t.params, t.value) for t in trials
    ]
    assert shown["best"]["number"] == study.best_trial.number and shown["best"]["value"] == study.best_value
