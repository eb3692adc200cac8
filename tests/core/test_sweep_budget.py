"""A study's budget, on an injected clock: trials that ran or run are counted (a trial failed because its worker
died or stopped is not: it runs again), and minutes are the time during which at least one trial was running,
so the gaps while a study was stopped are not spent."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from optuna.trial import FrozenTrial, TrialState

from workbench.experiments.plan import DataChoice, StudyPlan
from workbench.experiments.space import parse_space
from workbench.experiments.worker import budget_spent, busy_seconds
from workbench.model import templates
from workbench.training.config import TrainConfig

T0 = datetime(2026, 12, 6, 12, 0, 0)
SPEC = templates.template("mnist-fast")


def _trial(number: int, state: TrialState, start: float, end: float | None, **attrs) -> FrozenTrial:
    return FrozenTrial(
        number=number,
        state=state,
        value=0.5 if state == TrialState.COMPLETE else None,
        values=None,
        datetime_start=T0 + timedelta(seconds=start),
        datetime_complete=None if end is None else T0 + timedelta(seconds=end),
        params={},
        distributions={},
        user_attrs=attrs,
        system_attrs={},
        intermediate_values={},
        trial_id=number,
    )


def _plan(**budget) -> StudyPlan:
    config = TrainConfig()
    space = parse_space({"lr": {"log": [1e-4, 1e-2]}}, SPEC, config)
    return StudyPlan(SPEC, space, DataChoice("digits"), config, **budget)


def test_busy_time_is_the_union_of_the_trials_times_with_the_gaps_left_out():
    trials = [
        _trial(0, TrialState.COMPLETE, 0, 10),
        _trial(1, TrialState.COMPLETE, 5, 20),  # overlaps the first: 0–20 counted once
        _trial(2, TrialState.COMPLETE, 100, 130),  # after a stop of 80 s, not counted
        _trial(3, TrialState.RUNNING, 125, None),  # still running: up to now
    ]
    now = (T0 + timedelta(seconds=150)).timestamp()
    assert busy_seconds(trials, now) == pytest.approx(20 + 50)


@pytest.mark.parametrize(
    ("elapsed", "spent"),
    [(0.0, False), (59.999, False), (60.0, True), (3600.0, True)],
)
def test_the_minutes_budget_at_both_extremes_of_the_clock(elapsed, spent):
    trials = [_trial(0, TrialState.RUNNING, 0, None)]
    reason = budget_spent(trials, _plan(minutes=1), now=(T0 + timedelta(seconds=elapsed)).timestamp())
    assert (reason == "the time budget of 1 minutes is spent") is spent
    if not spent:
        assert reason is None


def test_failed_trials_count_only_when_their_configuration_failed_not_their_worker():
    died = _trial(0, TrialState.FAIL, 0, 1)  # a dead or stopped worker's trial: tried again, not counted
    impossible = _trial(1, TrialState.FAIL, 1, 2, error="layer 8 MaxPool2d: …")
    done = [_trial(2, TrialState.COMPLETE, 2, 3), _trial(3, TrialState.PRUNED, 3, 4)]
    waiting = _trial(4, TrialState.WAITING, 4, None)
    now = (T0 + timedelta(seconds=10)).timestamp()
    assert budget_spent([died, impossible, *done, waiting], _plan(trials=4), now) is None
    assert budget_spent([died, impossible, *done, waiting], _plan(trials=3), now) == "the budget of 3 trials is spent"
    assert budget_spent([], _plan(trials=1), now) is None
