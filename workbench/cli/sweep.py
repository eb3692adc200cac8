"""`python -m workbench sweep …`: experiments on Optuna.

    sweep SPEC --dataset NAME --space SPACE.json [--trials N] [--minutes M] [--seeds S] [--workers K] …
    sweep show [NAME] [--storage URL] [--json]      (without NAME: the studies in the storage)
    sweep join NAME [--storage URL] [--workers K]   (another machine, or more workers here)
    sweep delete NAME [--storage URL]               (the study, its runs and its trial folders)

Everything is checked before any training (the storage, the space against the model, the data). With more than
one worker, each is a `sweep join` process of its own, with the cores' threads split between them, and this
process prints each trial as it ends. Ctrl+C stops the workers; the study goes on where it was with the same
command, or `sweep join`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import threading
import time
from datetime import datetime

from workbench.cli.common import CommandError, guard
from workbench.cli.train import config_from_args, data_arguments, load_data, training_arguments
from workbench.experiments import storage as studies
from workbench.experiments.apply import check_feasible
from workbench.experiments.launch import WorkerProcesses, split_threads
from workbench.experiments.plan import MAX_SEEDS, PRUNERS, SAMPLERS, DataChoice, StudyPlan
from workbench.experiments.report import describe_trial, study_report, trial_row
from workbench.experiments.space import load_space, space_of
from workbench.experiments.worker import Worker, study_folder
from workbench.model.spec import load
from workbench.runs import files as run_files
from workbench.runs.store import RunStore
from workbench.training.config import default_threads
from workbench.training.control import RunControl
from workbench.training.support import check_fits

VERBS = ("show", "join", "delete")
POLL_SECONDS = 1.0
STOP_SECONDS = 5.0  # a worker's grace to end its trial's run after Ctrl+C, before it is killed


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser(
        "sweep",
        help="experiments: train many configurations of a model (Optuna), or show, join or delete a study",
        description="sweep SPEC --space SPACE.json … | sweep show [NAME] | sweep join NAME | sweep delete NAME",
    )
    p.add_argument("spec", metavar="SPEC|show|join|delete", help="model spec JSON, or what to do with a study")
    p.add_argument("name", nargs="?", help="the study (show, join, delete)")
    p.add_argument("--space", help="SPACE.json: what varies (layers.I.NAME or a setting); default: the spec's marks")
    p.add_argument("--trials", type=int, help="the study's budget in trials (default 20; a grid: its size)")
    p.add_argument("--minutes", type=float, help="the study's budget in minutes of running trials")
    p.add_argument(
        "--seeds", type=int, default=1, help=f"seeds per configuration, 1 to {MAX_SEEDS} (scored by the mean)"
    )
    p.add_argument("--workers", type=int, help="trials at once on this machine (default: one per core, up to 8)")
    p.add_argument("--pruner", choices=PRUNERS, default="none", help="end trials that fall behind early")
    p.add_argument("--sampler", choices=SAMPLERS, help="how values are picked (default: grid for choices, else tpe)")
    p.add_argument("--study", help="the study's name (default: the spec's name and the time)")
    p.add_argument("--storage", help="sqlite:///FILE or postgresql://USER@HOST/DB (default: the per-user file)")
    p.add_argument("--json", action="store_true", help="show: print the study as JSON")
    p.add_argument("--runs-dir", help="the run store's folder (default: $WORKBENCH_RUNS_DIR or the per-user one)")
    data_arguments(p)
    training_arguments(p)
    handlers["sweep"] = guard(_cmd_sweep)


def _cmd_sweep(args: argparse.Namespace) -> int:
    verb = args.spec if args.spec in VERBS else None
    if verb is None and args.name is not None:
        raise CommandError(f"sweep takes one model spec, not {args.name!r} too; name the study with --study")
    if verb in ("join", "delete") and not args.name:
        raise CommandError(f"give the study's name: sweep {verb} NAME")
    return {"show": _show, "join": _join, "delete": _delete, None: _sweep}[verb](args)


def _workers(args: argparse.Namespace, budget: int | None) -> int:
    if args.workers is not None:
        if not 1 <= args.workers <= 64:
            raise CommandError(f"--workers must be 1 to 64, not {args.workers}")
        return args.workers
    return max(1, min(default_threads(), 8, budget or 8))


def _sweep(args: argparse.Namespace) -> int:
    spec = load(args.spec)
    config = config_from_args(args, spec.recommended)  # the base of every trial, as `train SPEC` would run it
    space = load_space(args.space, spec, config) if args.space else space_of(spec, config)
    check_feasible(space, spec)
    sampler = args.sampler or ("grid" if space.all_choices else "tpe")
    trials = args.trials if args.trials is not None or args.minutes is not None or sampler == "grid" else 20
    data = DataChoice(args.dataset, args.limit, config.val_fraction, args.folder)
    plan = StudyPlan(spec, space, data, config, trials, args.minutes, args.seeds, sampler, args.pruner)
    dataset = load_data(args, args.dataset, config.seed)
    check_fits(spec, dataset, config.batch_size)
    name = args.study or _default_name(spec.name or os.path.splitext(os.path.basename(args.spec))[0])
    storage = studies.open_storage(args.storage)
    resumed = studies.create_or_resume(storage, name, plan)[1]
    budget = plan.budget_trials
    print(
        f"{'resuming' if resumed else 'started'} study {name} in {studies.shown_url(storage.url)}: "
        f"{len(space.domains)} varied, budget {budget or 'open'} trials"
        + (f", {args.minutes:g} minutes" if args.minutes else ""),
        file=sys.stderr,
    )
    return _work(args, name, _workers(args, budget), dataset, test=True)


def _default_name(stem: str) -> str:
    clean = "".join(c if c.isalnum() or c in "._-" else "-" for c in stem).strip("-._") or "sweep"
    return f"{clean[:60]}-{datetime.now():%Y%m%d-%H%M%S}"


def _join(args: argparse.Namespace) -> int:
    return _work(args, args.name, _workers(args, None), None, test=False)


def _work(args: argparse.Namespace, name: str, workers: int, dataset, test: bool) -> int:
    """Run the study's workers: this process is one, the others are forked (`WorkerProcesses`). The final JSON
    line has the best trial (its test accuracy measured when `test` and the study was not stopped: a `join`
    worker leaves that to `sweep` and `sweep show`)."""
    threads = split_threads(args.threads or default_threads(), workers)
    control, shown = RunControl(), set()
    worker = Worker(  # one line now, before any worker starts, if the study is not there
        args.storage,
        name,
        threads=threads,
        data_dir=args.data_dir,
        runs_dir=args.runs_dir,
        control=control,
        after_trial=lambda: _print_new_trials(worker.study, shown),
        dataset=dataset,
    )
    others = WorkerProcesses(args.storage, name, workers - 1, threads, args.data_dir, args.runs_dir)
    starting = threading.Thread(target=others.start, daemon=True)  # the fork server may take seconds to come up:
    starting.start()  # this process's worker trains meanwhile
    ended = _work_here(worker, control, others, starting)
    _print_new_trials(worker.study, shown)
    report = study_report(
        worker.study, worker.plan, study_folder(name), args.data_dir, test=test and ended != "stopped"
    )
    print(json.dumps({"study": name, "ended": ended, "trials": len(report["trials"]), "best": report["best"]}))
    return 130 if ended == "stopped" else 0


def _work_here(worker: Worker, control: RunControl, others: WorkerProcesses, starting: threading.Thread) -> str:
    """This process's worker, beside `others`; after_trial prints each trial as it ends, whoever ran it."""

    def stop_then_interrupt(number, frame) -> None:
        """The first Ctrl+C ends the trials at their next batch (queued again for a resume); a second one
        interrupts at once."""
        control.stop()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = (
        signal.signal(signal.SIGTERM, lambda *_: control.stop()),
        signal.signal(signal.SIGINT, stop_then_interrupt),
    )
    try:
        ended = worker.run()
        starting.join()
        while others.running and ended != "stopped":  # this one is done; the others end their trials
            time.sleep(POLL_SECONDS)
            worker.after_trial()
    except KeyboardInterrupt:
        control.stop()
        ended = "stopped"
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])
    if ended == "stopped":
        starting.join()
        others.stop(STOP_SECONDS)
    problem = others.problem()
    if problem is not None:
        raise CommandError(problem)
    return "stopped" if others.stopped else ended


def _print_new_trials(study, shown: set[int]) -> None:
    """Each trial that has ended since the last call, whichever worker ran it, one line each."""
    for trial in study.get_trials(deepcopy=False):
        if trial.state.is_finished() and trial.number not in shown:
            shown.add(trial.number)
            print(describe_trial(trial_row(trial)), file=sys.stderr, flush=True)


def _show(args: argparse.Namespace) -> int:
    storage = studies.open_storage(args.storage)
    if not args.name:
        names = studies.study_names(storage)
        print(json.dumps(names) if args.json else "\n".join(names) or f"no studies in {studies.shown_url(storage.url)}")
        return 0
    study, plan = studies.load_study(storage, args.name)
    report = study_report(study, plan, study_folder(args.name), args.data_dir)
    if args.json:
        print(json.dumps(report))
        return 0
    for row in report["trials"]:
        print(describe_trial(row))
    best = report["best"]
    if best is None:
        print(f"study {args.name}: no trial has finished yet")
    else:
        test = best["test"]
        tested = "" if test.get("accuracy") is None else f", test {100 * test['accuracy']:.2f}%"
        print(f"best: trial {best['number']} {100 * best['value']:.2f}% on validation{tested}: {best['params']}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    storage = studies.open_storage(args.storage)
    studies.delete_study(storage, args.name)
    store = RunStore(args.runs_dir)
    try:
        gone, _ = run_files.delete_study(store, args.name)
    finally:
        store.close()
    shutil.rmtree(study_folder(args.name), ignore_errors=True)
    print(f"deleted study {args.name} and its {len(gone)} runs", file=sys.stderr)
    return 0
