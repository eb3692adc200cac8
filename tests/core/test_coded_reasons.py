"""Why a run ended, why a value is refused and where a model's weights come from are coded messages, and the
places that keep them (the run store, a study's trials) keep the code with the English line, so a window can
show them in its own language later; anything stored before (or damaged) reads as the English line it was."""

from __future__ import annotations

import json
import sqlite3

import optuna
import pytest

from workbench.experiments.report import trial_row
from workbench.insight.classify import Classifier
from workbench.messages import Said, from_record, say, to_record
from workbench.model import templates
from workbench.model.catalog import CATALOG
from workbench.model.params import ParamError
from workbench.model.vary import VaryError, param_domain
from workbench.runs.store import STORE_FILE, RunStore
from workbench.training.stopping import Moment, Patience, TargetAccuracy, TimeBudget


def moment(**changes) -> Moment:
    base = {"epoch": 3, "step": 120, "seconds": 9.0, "val_accuracy": 0.9, "at_epoch_end": True, "history": []}
    return Moment(**{**base, **changes})


def test_the_stop_rules_say_why_with_codes_and_the_english_of_before():
    history = [{"val_accuracy": value} for value in (0.5, 0.7, 0.6, 0.65)]
    reasons = {
        TargetAccuracy(0.85).reason_to_stop(moment()): "stop.target",
        TimeBudget(5).reason_to_stop(moment()): "stop.time_epoch_end",
        TimeBudget(5).reason_to_stop(moment(at_epoch_end=False)): "stop.time",
        Patience(2).reason_to_stop(moment(history=history)): "stop.patience",
        Patience(1).reason_to_stop(moment(history=history[:3])): "stop.patience_one",
    }
    assert [reason.code for reason in reasons] == list(reasons.values())
    assert next(iter(reasons)) == "reached the target validation accuracy 85% (90.00%) in epoch 3 at step 120"
    assert (
        list(reasons)[3] == "validation accuracy did not improve for 2 epochs (best 70.00% in epoch 2): stopped early"
    )
    assert list(reasons)[4] == "validation accuracy did not improve for 1 epoch (best 70.00% in epoch 2): stopped early"


def test_a_record_gives_the_coded_message_back_and_anything_else_its_english_line():
    said = say(
        "vary.cannot_use",
        name="lr",
        value="2",
        reason=say("param.out_of_range", name="lr", value="2", range=say("range.between", low="0", high="1")),
    )
    record = json.loads(json.dumps(to_record(said)))
    back = from_record(record, str(said))
    assert isinstance(back, Said) and back == said and back.values["reason"].values["range"].code == "range.between"
    assert to_record("plain") is None
    assert from_record({"code": "no.such.code", "values": {}}, "as stored") == "as stored"
    assert from_record({"code": "stop.stopped_at", "values": {}}, "as stored") == "as stored"  # a value missing
    assert from_record("not a record", "as stored") == "as stored"
    # a code whose words changed since the line was stored: the stored line, as it was written
    assert from_record({"code": "stop.stopped_at", "values": {"step": "3"}}, "halted at 3") == "halted at 3"


def test_the_run_store_keeps_a_reasons_code_and_reads_older_rows_as_english(isolated_run_store):
    store = RunStore()
    spec = templates.template("mlp")
    coded, plain, damaged = (store.start_run(spec, {}, "bars", source="cli") for _ in range(3))
    store.finish(coded, "stopped", reason=say("stop.stopped_at", step=20))
    store.finish(plain, "failed", reason="a line from an older version")
    store.finish(damaged, "stopped", reason=say("stop.stopped_at", step=7))
    store.close()
    with sqlite3.connect(isolated_run_store / STORE_FILE) as db:
        db.execute("UPDATE runs SET reason_code = '{not json' WHERE id = ?", (damaged,))
    store = RunStore()
    reasons = {run.id: run.reason for run in store.runs()}
    assert store.summary(coded).reason == reasons[coded] == "stopped at step 20"
    store.close()
    assert isinstance(reasons[coded], Said) and reasons[coded].values == {"step": "20"}
    assert not isinstance(reasons[plain], Said) and reasons[plain] == "a line from an older version"
    assert not isinstance(reasons[damaged], Said) and reasons[damaged] == "stopped at step 7"


def test_a_trial_keeps_why_it_was_pruned_with_its_code(tmp_path):
    study = optuna.create_study(storage=f"sqlite:///{tmp_path / 'study.db'}")
    trial = study.ask()
    reason = say("stop.pruned", check=2, epoch=1, step=40, accuracy="61.50")
    trial.set_user_attr("pruned", str(reason))
    trial.set_user_attr("pruned_code", to_record(reason))
    study.tell(trial, state=optuna.trial.TrialState.PRUNED)
    (frozen,) = optuna.load_study(study_name=study.study_name, storage=f"sqlite:///{tmp_path / 'study.db'}").trials
    why = trial_row(frozen)["why"]
    assert isinstance(why, Said) and why.code == "stop.pruned" and why == reason


def test_refused_values_and_domains_are_coded():
    out_channels = next(param for param in CATALOG["Conv2d"].params if param.name == "out_channels")
    with pytest.raises(ParamError) as refused:
        out_channels.check(0)
    said = refused.value.args[0]
    assert said.code == "param.out_of_range" and said.values["range"].code == "range.between"
    assert str(refused.value) == "out_channels=0 is out of range; use a value from 1 to 4096"
    with pytest.raises(VaryError) as bad_domain:
        param_domain(out_channels, {"choice": [8, 0]})
    assert bad_domain.value.args[0].code == "vary.cannot_use" and bad_domain.value.args[0].values["reason"] == said
    assert Classifier.untrained(templates.template("mlp"), (0.0,), (1.0,), ()).description.code == "model.untrained"
