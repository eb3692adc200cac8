"""`python -m workbench runs …`: the kept runs, listed, shown, compared and deleted."""

from __future__ import annotations

import argparse
import json
import sys
import time

from workbench.cli.common import CommandError, guard
from workbench.runs import files as run_files
from workbench.runs import tensorboard
from workbench.runs.diff import diff_specs, summary_line
from workbench.runs.store import RunRecord, RunStore, RunSummary
from workbench.text import printable, show_path


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("runs", help="the kept training runs: list, show, compare, delete")
    p.add_argument("--runs-dir", help="the run store's folder (default: $WORKBENCH_RUNS_DIR or the per-user one)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", parser_class=type(p))
    verbs.required = True
    q = verbs.add_parser("list", help="every run, newest first")
    q.add_argument("--study", metavar="NAME", help="only the runs that are trials of this experiment's study")
    q.add_argument("--json", action="store_true")
    q = verbs.add_parser("show", help="one run: settings, history, files")
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")
    q = verbs.add_parser("compare", help="runs side by side, and how their architectures differ")
    q.add_argument("ids", type=int, nargs="+", metavar="ID")
    q.add_argument("--json", action="store_true")
    q = verbs.add_parser("delete", help="forget a run and delete its model and checkpoint files")
    q.add_argument("id", type=int)
    q.add_argument("--keep-files", action="store_true", help="forget the run but leave its files")
    q = verbs.add_parser("tensorboard", help="write a run as TensorBoard event files (needs tensorboard)")
    q.add_argument("ids", type=int, nargs="+", metavar="ID")
    q.add_argument("--out", required=True, help="the log folder (point `tensorboard --logdir` at it)")
    handlers["runs"] = guard(_cmd_runs)


def _cmd_runs(args: argparse.Namespace) -> int:
    store = RunStore(args.runs_dir)
    try:
        if store.notice:
            print(f"warning: {store.notice}", file=sys.stderr)
        verbs = {"list": _list, "show": _show, "compare": _compare, "delete": _delete, "tensorboard": _tensorboard}
        return verbs[args.verb](store, args)
    finally:
        store.close()


def _list(store: RunStore, args) -> int:
    runs = store.runs(study=args.study)
    if args.json:
        print(json.dumps([run.to_json() for run in runs], indent=2))
        return 0
    if not runs:
        study = "" if args.study is None else f" of study {printable(args.study)}"
        print(f"no runs{study} yet in {show_path(store.path)}")
        return 0
    print(
        f"{'id':>4}  {'date':<16}  {'name':<20} {'trial':<16} {'dataset':<10} {'epochs':>6}  {'best val':>8}  "
        f"{'test':>7}  outcome"
    )
    for run in runs:
        print(
            f"{run.id:>4}  {_date(run.created):<16}  {run.name[:20]:<20} {_trial(run):<16} {run.dataset[:10]:<10} "
            f"{run.epochs:>6}  {_percent(run.best_val_accuracy):>8}  {_percent(run.test_accuracy):>7}  {run.outcome}"
        )
    return 0


def _trial(run: RunSummary, width: int = 16) -> str:
    """'study#3' for a trial of an experiment's study, the study's name cut to fit `width`; '-' for other runs."""
    if run.study is None:
        return "-"
    number = "" if run.trial is None else f"#{run.trial}"
    return printable(run.study)[: max(width - len(number), 1)] + number


def _record(store: RunStore, run_id: int) -> RunRecord:
    record = store.record(run_id)
    if record is None:
        raise CommandError(f"there is no run {run_id}; `runs list` shows the ones there are")
    return record


def _show(store: RunStore, args) -> int:
    record = _record(store, args.id)
    if args.json:
        print(json.dumps(record.to_json(), indent=2))
        return 0
    run = record.summary
    print(f"run {run.id}: {run.name} ({run.outcome}{': ' + run.reason if run.reason else ''})")
    print(f"  started {_date(run.created)}, {run.source}, {run.dataset}, on {run.device or '?'} {run.features or ''}")
    if run.study is not None:
        print(f"  trial {'?' if run.trial is None else run.trial} of study {printable(run.study)}")
    print(f"  {run.parameters or 0:,} parameters, {run.layers} layers; test accuracy {_percent(run.test_accuracy)}")
    for row in record.history:
        loss = "-" if row["train_loss"] is None else f"{row['train_loss']:.4f}"
        val = _percent(row["val_accuracy"])
        print(f"  epoch {row['epoch']}: train loss {loss}, val accuracy {val}, {row['seconds'] or 0:.1f} s")
    for label, path in (("model", run.model_path), ("checkpoint", run.checkpoint_path)):
        if path:
            print(f"  {label}: {printable(path)}")  # whole, to copy
    return 0


def _compare(store: RunStore, args) -> int:
    records = [_record(store, run_id) for run_id in args.ids]
    first = records[0]
    diffs = {}
    for other in records[1:]:
        if first.spec is not None and other.spec is not None:
            diffs[other.summary.id] = diff_specs(first.spec, other.spec)
    if args.json:
        out = {
            "runs": [record.summary.to_json() for record in records],
            "val_accuracy_by_epoch": {r.summary.id: [row["val_accuracy"] for row in r.history] for r in records},
            "architecture_diffs": {
                run_id: [row.to_json() for row in rows if row.differs] for run_id, rows in diffs.items()
            },
        }
        print(json.dumps(out, indent=2))
        return 0
    fields = (
        ("name", lambda s: s.name),
        ("parameters", lambda s: f"{s.parameters or 0:,}"),
        ("epochs", lambda s: str(s.epochs)),
        ("best val", lambda s: _percent(s.best_val_accuracy)),
        ("test", lambda s: _percent(s.test_accuracy)),
        ("time", lambda s: "-" if s.seconds is None else f"{s.seconds:.1f} s"),
        ("images/s", lambda s: "-" if s.images_per_second is None else f"{s.images_per_second:,.0f}"),
        ("outcome", lambda s: s.outcome),
    )
    print(f"{'':<11}" + "".join(f"{'run ' + str(r.summary.id):>18}" for r in records))
    for label, value in fields:
        print(f"{label:<11}" + "".join(f"{value(r.summary)[:17]:>18}" for r in records))
    for run_id, rows in diffs.items():
        print(f"\narchitecture: run {first.summary.id} → run {run_id}: {summary_line(rows)}")
        for row in rows:
            if row.differs:
                print("  " + _diff_text(row))
    return 0


def _diff_text(row) -> str:
    if row.kind == "added":
        return f"+ layer {row.right.place} {row.right.layer} → {row.right.output}"
    if row.kind == "removed":
        return f"- layer {row.left.place} {row.left.layer} → {row.left.output}"
    return f"~ layer {row.left.place}→{row.right.place} {row.right.layer}: {row.what}"


def _delete(store: RunStore, args) -> int:
    summary: RunSummary | None = store.summary(args.id)
    if summary is None:
        raise CommandError(f"there is no run {args.id}; `runs list` shows the ones there are")
    removed = [] if args.keep_files else run_files.delete_files(store, summary)
    store.delete(args.id)
    what = f" and {', '.join(str(p) for p in removed)}" if removed else ""
    print(f"deleted run {args.id} ({summary.name}){what}", file=sys.stderr)
    return 0


def _tensorboard(store: RunStore, args) -> int:
    records = [_record(store, run_id) for run_id in args.ids]
    try:
        for record in records:
            folder = tensorboard.export_run(record, args.out)
            print(f"run {record.summary.id} → {folder}", file=sys.stderr)
    except tensorboard.TensorBoardMissing as exc:
        raise CommandError(str(exc)) from None
    print(f"see them with: tensorboard --logdir {args.out}", file=sys.stderr)
    return 0


def _date(stamp: float | None) -> str:
    return "-" if stamp is None else time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"
