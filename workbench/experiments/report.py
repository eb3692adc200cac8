"""What a study found, as `sweep show --json` prints it and the trial table reads it: each trial's state, values,
mean validation accuracy and its spread over seeds, runs and seconds, and the best configuration, whose test
accuracy is measured once (from its model file, on the machine that has it) and kept with the study."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import optuna
import torch
from optuna.trial import FrozenTrial, TrialState

from workbench.data.datasets import to_device
from workbench.experiments.plan import StudyPlan
from workbench.experiments.trial import trial_folder
from workbench.files.model_file import load_model, model_from_saved
from workbench.insight.evaluate import evaluate
from workbench.messages import from_record
from workbench.training.run_folder import MODEL

__all__ = ["best_trial", "describe_trial", "importances", "pareto_front", "study_report", "trial_row"]


def trial_row(trial: FrozenTrial) -> dict[str, Any]:
    attrs = trial.user_attrs
    return {
        "number": trial.number,
        "state": trial.state.name,
        "params": dict(trial.params or trial.system_attrs.get("fixed_params", {})),  # a queued retry: its values
        "value": trial.value if trial.state == TrialState.COMPLETE else _last_report(trial),
        "spread": attrs.get("spread"),
        "seeds": attrs.get("scores", []),
        "runs": attrs.get("runs", []),
        "seconds": attrs.get("seconds"),
        "parameters": attrs.get("parameters"),
        "why": _coded(attrs, "error") or _coded(attrs, "pruned"),
    }


def _coded(attrs: dict[str, Any], name: str) -> str | None:
    """A reason the trial keeps (`name`), coded again where it keeps the code too (`name`_code)."""
    text, record = attrs.get(name), attrs.get(f"{name}_code")
    return from_record(record, text) if isinstance(text, str) and record else text


def _last_report(trial: FrozenTrial) -> float | None:
    if not trial.intermediate_values:
        return None
    return trial.intermediate_values[max(trial.intermediate_values)]


def best_trial(trials: list[FrozenTrial]) -> FrozenTrial | None:
    complete = [trial for trial in trials if trial.state == TrialState.COMPLETE and trial.value is not None]
    return max(complete, key=lambda trial: (trial.value, -trial.number), default=None)


def study_report(
    study: optuna.Study, plan: StudyPlan, folder: Path, data_dir: str | None = None, *, test: bool = True
) -> dict[str, Any]:
    """The study as `sweep show --json` prints it; `test`: measure the best's test accuracy here if not kept yet
    (a worker leaving, stopped or done, does not: `sweep` and `sweep show` do)."""
    trials = study.get_trials(deepcopy=False)
    best = best_trial(trials)
    report: dict[str, Any] = {
        "study": study.study_name,
        "direction": "maximize",
        "trials": [trial_row(trial) for trial in trials],
        "best": None,
    }
    if best is not None:
        kept = study.user_attrs.get("test")
        measured = _test_once(study, plan, best, folder, data_dir) if test else None
        report["best"] = {**trial_row(best), "test": measured or (kept if _is_for(kept, best) else None)}
    return report


def _test_once(study: optuna.Study, plan: StudyPlan, best: FrozenTrial, folder: Path, data_dir) -> dict[str, Any]:
    """The best trial's test accuracy: kept with the study; measured here when this machine has its model."""
    kept = study.user_attrs.get("test")
    if _is_for(kept, best):
        return kept
    model = trial_folder(folder, best.number) / "seed-0" / MODEL
    if not model.is_file():
        host = best.user_attrs.get("host", "another machine")
        return {"trial": best.number, "accuracy": None, "why": f"its model is not on this machine (ran on {host})"}
    saved = load_model(model)
    dataset = plan.load_data(data_dir)
    x, y = to_device(dataset.test, saved.mean or dataset.mean, saved.std or dataset.std, torch.device("cpu"))
    result = evaluate(model_from_saved(saved), x, y, len(dataset.class_names))
    test = {"trial": best.number, "accuracy": result.accuracy, "loss": result.loss, "images": len(dataset.test)}
    study.set_user_attr("test", test)
    return test


def _is_for(kept: Any, best: FrozenTrial) -> bool:
    return isinstance(kept, dict) and kept.get("trial") == best.number


def describe_trial(row: dict[str, Any]) -> str:
    """One line per trial for the CLI: number, state, score (± spread), values, seconds, why."""
    value = row["value"]
    score = "      -" if value is None else f"{100 * value:6.2f}%"
    if row.get("spread"):
        score += f" ± {100 * row['spread']:.2f}"
    values = " ".join(f"{name}={_short(value)}" for name, value in row["params"].items())
    seconds = f" {row['seconds']:.1f} s" if row.get("seconds") is not None else ""
    why = f" ({row['why']})" if row.get("why") else ""
    return f"trial {row['number']:>3} {row['state']:<8} {score} {values}{seconds}{why}"


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def importances(study: optuna.Study) -> dict[str, float]:
    """How much each varied name explains the validation accuracy (Optuna's default evaluator, shares summing to
    1); empty until two complete trials differ in some value. (Its note that tied scores make equal shares is
    left out: the equal shares say it.)"""
    complete = [trial for trial in study.get_trials(deepcopy=False) if trial.state == TrialState.COMPLETE]
    varied = {
        name for trial in complete for name in trial.params if len({str(t.params.get(name)) for t in complete}) > 1
    }
    if len(complete) < 2 or not varied:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return dict(optuna.importance.get_param_importances(study, params=sorted(varied)))
    except (ValueError, RuntimeError):
        return {}


def pareto_front(points: list[tuple[float, float]]) -> list[int]:
    """Indices of the (size, accuracy) points no other point beats (as small or smaller and as accurate or more,
    better in one), by size."""
    order = sorted(range(len(points)), key=lambda index: (points[index][0], -points[index][1]))
    front, best = [], float("-inf")
    for index in order:
        if points[index][1] > best:
            front.append(index)
            best = points[index][1]
    return front
