"""What the tab makes of a study's results, without widgets: the best configuration put into a model (its marks
kept, so the user can sweep again) and into the training settings, the lines that say how a study stands and what
it found, what a search space varies, and the report (with the best model's test accuracy) read on a background task."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from ui.i18n import translate
from ui.messages import translated
from workbench.experiments.apply import configure
from workbench.experiments.plan import StudyPlan
from workbench.experiments.report import study_report
from workbench.experiments.space import SearchSpace, SpaceError, layer_path
from workbench.experiments.storage import load_study, open_storage
from workbench.experiments.worker import study_folder
from workbench.model import tree
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig

__all__ = [
    "best_line",
    "budget_text",
    "progress_line",
    "read_report",
    "same_layers",
    "score_text",
    "shown_value",
    "space_html",
    "use_values",
    "varied_label",
]


def use_values(spec: ModelSpec, config: TrainConfig, params: Mapping[str, Any]) -> tuple[ModelSpec, TrainConfig]:
    """`spec` with a configuration's layer values put in, its marks kept; `config` with its settings."""
    with_values = spec
    for name, value in params.items():
        param = layer_path(name)
        if param is not None:
            path, layer = param.locate(with_values)
            with_values = tree.with_layer(with_values, path, layer.with_params(**{param.param: value}))
    return with_values, configure(spec, config, params)[1]


def varied_label(name: str, spec: ModelSpec | None = None) -> tuple[str, str]:
    """A varied name as a header shows it ("L1 out_channels": layer 1 as the Build tab counts; "L3.2" the second
    layer in the block of row 3, "L4.b2.1" the first of branch 2) and in words."""
    param = layer_path(name)
    if param is None:
        return name, translate("Experiments", "the training setting {name}").format(name=name)
    numbers = [str(int(step) + 1) if step.isdigit() else step for step in param.steps[1:]]
    short = ".".join(numbers).replace("layers.", "").replace("branches.", "b")
    layer = translate("Experiments", "layer {number}").format(number=short)
    try:
        words = translated(tree.where(spec, param.locate(spec)[0])) if spec is not None else layer
    except SpaceError:
        words = layer
    return f"L{short} {param.param}", f"{words}: {param.param}"


def same_layers(spec: ModelSpec, other: ModelSpec) -> bool:
    """Whether a study's layer paths still point at the same layers in `spec`."""
    return [(path, layer.type) for path, layer in tree.walk(spec)] == [
        (path, layer.type) for path, layer in tree.walk(other)
    ]


def read_report(storage_url: str | None, name: str) -> dict[str, Any]:
    """On a worker thread: the study's report, its best trial's test accuracy measured once (from its model file:
    seconds) and kept with the study."""
    study, plan = load_study(open_storage(storage_url), name)
    return study_report(study, plan, study_folder(name))


def progress_line(rows, plan: StudyPlan | None) -> str:
    """ "3 of 8 trials finished · 1 running · 1 pruned" for the trials read so far."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["state"]] = counts.get(row["state"], 0) + 1
    done = sum(counts.get(state, 0) for state in ("COMPLETE", "PRUNED")) + _failed_with_reason(rows)
    budget = plan.budget_trials if plan is not None else None
    if budget:
        parts = [translate("Experiments", "{done} of {budget} trials finished").format(done=done, budget=budget)]
    else:
        parts = [translate("Experiments", "{done} trials finished").format(done=done)]
    words = {
        "RUNNING": translate("Experiments", "{count} running"),
        "PRUNED": translate("Experiments", "{count} pruned"),
        "FAIL": translate("Experiments", "{count} failed"),
    }
    parts.extend(word.format(count=counts[state]) for state, word in words.items() if counts.get(state))
    return " · ".join(parts)


def _failed_with_reason(rows) -> int:
    """Failed trials that count (their configuration failed); a stopped one is run again."""
    return sum(1 for row in rows if row["state"] == "FAIL" and row["why"])


def best_line(best: Mapping[str, Any] | None) -> str:
    """The best trial of a report (with its test accuracy), or of a snapshot's row (without)."""
    if best is None:
        return translate("Experiments", "No trial has finished with a score yet.")
    values = ", ".join(f"{varied_label(name)[0]} = {shown_value(value)}" for name, value in best["params"].items())
    line = translate("Experiments", "Best: trial {number}, {score} on validation ({values})").format(
        number=best["number"], score=score_text(best), values=values
    )
    test = best.get("test")
    if isinstance(test, Mapping):
        line += _test_part(test)
    return line


def _test_part(test: Mapping[str, Any]) -> str:
    accuracy = test.get("accuracy")
    if accuracy is None:
        why = test.get("why")
        why = translated(why) if why else translate("Experiments", "its model is not kept")
        return translate("Experiments", "; no test accuracy: {why}").format(why=why)
    if test.get("images") is None:
        return translate("Experiments", "; {accuracy}% on the test images").format(accuracy=f"{100 * accuracy:.2f}")
    return translate("Experiments", "; {accuracy}% on {images} test images").format(
        accuracy=f"{100 * accuracy:.2f}", images=test["images"]
    )


def shown_value(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def score_text(row: Mapping[str, Any]) -> str:
    """ "96.12% ± 0.40": the mean over the seeds, with their spread when there were several."""
    spread = row.get("spread")
    several = len(row.get("seeds") or ()) > 1
    return f"{100 * row['value']:.2f}%" + (f" ± {100 * spread:.2f}" if several and spread is not None else "")


def space_html(space: SearchSpace) -> str:
    """What a search space varies, a line per name (rich text)."""
    lines = [f"<b>{html.escape(varied_label(d.name)[0])}</b>: {html.escape(domain_text(d))}" for d in space.domains]
    return html.escape(translate("Experiments", "Varies")) + "<br>" + "<br>".join(lines)


def domain_text(dimension) -> str:
    """What a varied name takes: its values, or its range ("0.0001 to 0.1 (log-uniform)")."""
    domain = dimension.domain
    if domain.is_choice:
        return domain.describe()
    scales = {
        "log": translate("Experiments", "{low} to {high} (log-uniform)"),
        "int": translate("Experiments", "{low} to {high} (integers)"),
        "uniform": translate("Experiments", "{low} to {high} (uniform)"),
    }
    return scales[domain.kind].format(low=f"{domain.low:g}", high=f"{domain.high:g}")


def budget_text(plan: StudyPlan) -> str:
    """ "4 trials, 1 seed each" and the like."""
    trials = plan.budget_trials
    parts = [
        translate("Experiments", "{trials} trials").format(trials=trials)
        if trials
        else translate("Experiments", "no trial limit")
    ]
    if plan.minutes:
        parts.append(translate("Experiments", "{minutes} minutes").format(minutes=f"{plan.minutes:g}"))
    if plan.seeds > 1:
        parts.append(translate("Experiments", "{seeds} seeds each").format(seeds=plan.seeds))
    else:
        parts.append(translate("Experiments", "{seeds} seed each").format(seeds=plan.seeds))
    return translate("Experiments", ", ").join(parts)
