"""Training commands for `python -m workbench`: train (and --resume), with the options and data loading the
other commands share (evaluate, calibrate and export-logits are `cli/evaluate.py`)."""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from workbench.cli import distributed as cli_distributed
from workbench.cli.common import USER_ERRORS, CommandError, guard
from workbench.data.datasets import DATASET_NAMES, Dataset, load_dataset
from workbench.distributed.ranks import DistributedTrainer, leave_process_group
from workbench.events import (
    BatchEnded,
    CheckpointSaved,
    DataProgress,
    EpochEnded,
    Event,
    Failed,
    Finished,
    Notice,
    Stopped,
    ValidationChecked,
)
from workbench.files.model_file import load_model
from workbench.model.spec import load
from workbench.runs.recorder import RunRecorder, start_recording
from workbench.runs.store import RunStore, RunStoreError
from workbench.training.config import (
    OPTIMIZERS,
    SCHEDULES,
    ConfigError,
    TrainConfig,
    default_threads,
)
from workbench.training.control import RunControl
from workbench.training.run_folder import CHECKPOINT, MODEL, keep_run
from workbench.training.trainer import Trainer


def register(sub: argparse._SubParsersAction, handlers: dict) -> None:
    p = sub.add_parser("train", help="train a model spec on a dataset")
    p.add_argument("spec", nargs="?", help="model spec JSON (not needed with --resume)")
    data_arguments(p)
    training_arguments(p)
    p.add_argument("--out", help="run folder for history.csv, the model and the checkpoint")
    p.add_argument("--resume", metavar="RUN_DIR", help="continue the run saved in RUN_DIR (its data as it was)")
    p.add_argument("--force", action="store_true", help="replace an earlier run in the --out folder")
    p.add_argument("--runs-dir", help="the run store's folder (default: $WORKBENCH_RUNS_DIR or the per-user one)")
    cli_distributed.add_arguments(p)
    handlers["train"] = guard(_cmd_train)


def training_arguments(p: argparse.ArgumentParser) -> None:
    """The settings of a run, named like TrainConfig's fields (see _config_from_args)."""
    p.add_argument("--epochs", type=int, help="number of epochs (default 1; with --resume: the new total)")
    p.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=TrainConfig.optimizer)
    p.add_argument("--lr", type=float, default=TrainConfig.lr, help="(peak) learning rate")
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--nesterov", action="store_true")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--schedule", choices=SCHEDULES, default=TrainConfig.schedule)
    p.add_argument("--label-smoothing", type=float, default=0.0)
    p.add_argument("--augment", action="store_true", help="random shifts and rotations of whole batches")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument(
        "--mixed-precision",
        action=argparse.BooleanOptionalAction,
        default=TrainConfig.mixed_precision,
        help="bfloat16 (or float16) autocast on CUDA (default: on)",
    )
    p.add_argument(
        "--channels-last",
        action=argparse.BooleanOptionalAction,
        default=TrainConfig.channels_last,
        help="NHWC memory for convolutional models on CPU and CUDA (default: on)",
    )
    p.add_argument("--compile", action="store_true", help="torch.compile the model (says so where it cannot)")
    p.add_argument("--target-accuracy", type=float, help="end when the validation accuracy reaches this (0-1)")
    p.add_argument("--time-budget", type=float, help="end after this many seconds of training")
    p.add_argument("--patience", type=int, default=0, help="end after N epochs without a better val accuracy")
    p.add_argument("--checks-per-epoch", type=int, default=0, help="validation checks per epoch (0: automatic)")
    p.add_argument(
        "--threads", type=int, default=default_threads(), help="CPU threads (default: all cores, or $WORKBENCH_THREADS)"
    )


def data_arguments(p: argparse.ArgumentParser, dataset_default: str | None = "mnist") -> None:
    p.add_argument("--dataset", choices=DATASET_NAMES, default=dataset_default)
    p.add_argument("--data-dir", help="data folder (default: $WORKBENCH_DATA_DIR or the per-user folder)")
    p.add_argument("--folder", help="image folder with one sub-folder per class (for --dataset folder)")
    p.add_argument("--limit", type=int, help="use at most this many training images (quick runs)")
    p.add_argument("--val-fraction", type=float, help="share of the training images kept for validation (0.1)")


def load_data(args: argparse.Namespace, name: str, seed: int = 0, quiet: bool = False) -> Dataset:
    progress = Progress(quiet)
    return load_dataset(
        name,
        args.data_dir,
        folder=args.folder,
        val_fraction=0.1 if args.val_fraction is None else args.val_fraction,
        seed=seed,
        limit=args.limit,
        progress=lambda message, done, total: progress(DataProgress(message, done, total)),
    )


def config_from_args(args: argparse.Namespace, recommended: Mapping[str, Any] | None = None) -> TrainConfig:
    """The options are named like TrainConfig's fields (--batch-size → batch_size). `recommended` (a spec's
    recommended settings) fills every setting the command line does not give explicitly."""
    given = {f.name: getattr(args, f.name) for f in fields(TrainConfig) if hasattr(args, f.name)}
    if given.get("val_fraction") is None:
        given.pop("val_fraction", None)  # not given: the default
    given["epochs"] = 1 if args.epochs is None else args.epochs
    if recommended:
        names = {f.name for f in fields(TrainConfig)}
        unknown = sorted(set(recommended) - names)
        if unknown:
            raise CommandError(f"the spec recommends {unknown[0]!r}, which is not a training setting; remove it")
        explicit = explicit_settings(getattr(args, "argv", []))
        given.update({name: value for name, value in recommended.items() if name not in explicit})
    if not recommended:
        return TrainConfig(**given)
    try:
        return TrainConfig(**given)
    except ConfigError as exc:  # said with where the value came from
        raise CommandError(f"{exc} (with the spec's recommended settings {dict(recommended)})") from None


def explicit_settings(argv: Sequence[str]) -> set[str]:
    """The training settings `argv` gives explicitly (abbreviated options too): it is parsed again by the same
    options with no defaults, so that only what was given is set."""
    parser = argparse.ArgumentParser(add_help=False)
    training_arguments(parser)
    parser.add_argument("--val-fraction", type=float)
    for action in parser._actions:
        action.default = argparse.SUPPRESS
    given, _ = parser.parse_known_args(list(argv))
    return set(vars(given))


def _cmd_train(args: argparse.Namespace) -> int:
    if cli_distributed.wants_launch(args):
        return _launch_ranks(args)
    if cli_distributed.ranks_from_env() is not None:
        return _train_as_rank(args)
    return _train(args)


def _launch_ranks(args: argparse.Namespace) -> int:
    """Check what can be checked here, then run this command once per rank through torchrun."""
    if args.resume:
        run_dir = _resumable(args)
    else:
        _new_run_inputs(args)
        config_from_args(args)
        run_dir = Path(args.out)
    run_folder_ready(run_dir, force=bool(args.force or args.resume))
    return cli_distributed.launch_ranks(args, args.argv, run_dir / CHECKPOINT)


def _train_as_rank(args: argparse.Namespace) -> int:
    """One rank of a distributed run: a failure is written where the launcher reads it (one line for the run)."""
    try:
        ranks = cli_distributed.as_rank(args)
        return _train(args, ranks)
    except (*USER_ERRORS, OSError) as exc:
        return cli_distributed.report_rank_failure(str(exc).replace("\n", " "))
    finally:
        leave_process_group()


def _resumable(args: argparse.Namespace) -> Path:
    run_dir = Path(args.resume)
    if not (run_dir / CHECKPOINT).is_file():
        raise CommandError(f"{run_dir} has no {CHECKPOINT}; give the --out folder of an earlier run")
    return run_dir


def _new_run_inputs(args: argparse.Namespace):
    if not args.spec:
        raise CommandError("give a model spec JSON file, or --resume RUN_DIR")
    if not args.out:
        raise CommandError("give --out RUN_DIR, the folder for the history, model and checkpoint")
    return load(args.spec)


def run_folder_ready(run_dir: Path, force: bool) -> None:
    """Everything about the run folder that can fail, checked before any training: it is a folder (made if
    missing), it can be written, and it does not hold an earlier run unless `force` (or resuming) says so."""
    if run_dir.exists() and not run_dir.is_dir():
        raise CommandError(f"--out {run_dir} is a file, not a folder; give a folder for the run")
    if not force and any((run_dir / name).exists() for name in (MODEL, CHECKPOINT)):
        raise CommandError(
            f"{run_dir} holds an earlier run ({MODEL}, {CHECKPOINT}); give another --out, "
            f"--resume {run_dir} to continue it, or --force to replace it"
        )
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=run_dir):
            pass
    except OSError as exc:
        raise CommandError(f"cannot write into {run_dir}: {exc.strerror or exc}; give a folder you can write") from None


def _train(args: argparse.Namespace, ranks=None) -> int:
    main = ranks is None or ranks.main
    control = RunControl()
    progress = Progress(quiet=not main)
    listeners = Fanout(progress)
    make = (
        Trainer
        if ranks is None
        else functools.partial(DistributedTrainer, ranks=ranks, sync_batchnorm=args.sync_batchnorm)
    )
    if args.resume:
        run_dir = _resumable(args)
        if main:
            run_folder_ready(run_dir, force=True)
        checkpoint = run_dir / CHECKPOINT
        saved = load_model(checkpoint, kind="checkpoint")
        config = TrainConfig.from_json(saved.train_config)
        dataset = _resumed_data(args, saved, config.seed, quiet=not main)
        machine = {"threads": args.threads} if ranks is None else {"device": args.device, "threads": args.threads}
        resume = (
            Trainer.from_checkpoint
            if ranks is None
            else functools.partial(DistributedTrainer.from_checkpoint, ranks=ranks, sync_batchnorm=args.sync_batchnorm)
        )
        trainer = resume(
            str(checkpoint), dataset, epochs=args.epochs, machine=machine, listener=listeners, control=control
        )
    else:
        spec = _new_run_inputs(args)
        config = config_from_args(args, spec.recommended)
        run_dir = Path(args.out)
        if main:
            run_folder_ready(run_dir, force=args.force)
        dataset = load_data(args, args.dataset, config.seed, quiet=not main)
        trainer = make(
            spec, dataset, config, listener=listeners, control=control, checkpoint_path=str(run_dir / CHECKPOINT)
        )
    if not main:
        outcome = trainer.fit()
        return cli_distributed.report_rank_failure(trainer.failure) if outcome == "failed" else 0
    return _train_and_save(args, trainer, control, progress, listeners, run_dir)


def _train_and_save(args, trainer: Trainer, control: RunControl, progress, listeners, run_dir: Path) -> int:
    recording = record_run(args, trainer, run_dir, listeners)
    try:
        outcome = trainer.fit()
    except KeyboardInterrupt:  # the loop checks between batches; a second Ctrl+C lands here
        control.stop()
        outcome = "stopped"
    kept = keep_run(trainer, outcome, run_dir)
    if recording is not None:
        if kept.model is not None:
            recording.set_model(str(kept.model.resolve()))
        if recording.problem:
            print(f"warning: {recording.problem}", file=sys.stderr)
    if kept.problem:
        raise CommandError(kept.problem)
    if outcome == "stopped":
        print(f"stopped after epoch {trainer.epoch}; continue with --resume {run_dir}", file=sys.stderr)
        return 130
    run_id = recording.run_id if recording is not None else None
    print(json.dumps({**_final_line(progress.finished, trainer, run_dir), "run": run_id}))
    return 0


def _resumed_data(args: argparse.Namespace, saved, seed: int, quiet: bool) -> Dataset:
    """The resumed run's own data, as it was defined when the run started (saved with its checkpoint):
    the same images, the same split (`saved.data`, its fields' kinds checked on load: files/schema.py Source).
    Options that would change it are refused."""
    source = saved.data
    if not source:  # a checkpoint from before the data was saved with it: as the options say
        return load_data(args, saved.dataset or args.dataset, seed, quiet=quiet)
    for option, key in (("limit", "limit"), ("val_fraction", "val_fraction"), ("folder", "folder")):
        given = getattr(args, option, None)
        if given is None or given == source.get(key) or (key == "folder" and _same_path(given, source.get(key))):
            continue
        flag = "--" + option.replace("_", "-")
        raise CommandError(
            f"{flag} {given} differs from the run's {source.get(key)}; a resumed run keeps its data (leave out {flag})"
        )
    progress = Progress(quiet)
    size = source.get("image_size")
    return load_dataset(
        source.get("name") or saved.dataset,
        args.data_dir,
        folder=source.get("folder"),
        val_fraction=source.get("val_fraction", 0.1),
        seed=source.get("seed", seed),
        limit=source.get("limit"),
        image_size=None if size is None else tuple(size),
        progress=lambda message, done, total: progress(DataProgress(message, done, total)),
    )


def _same_path(given: str, saved: str | None) -> bool:
    return saved is not None and Path(given).resolve() == Path(saved)


def _final_line(finished: Finished | None, trainer: Trainer, run_dir: Path) -> dict:
    return {
        "test_accuracy": finished.test_accuracy if finished else None,
        "test_loss": finished.test_loss if finished else None,
        "epochs": trainer.epoch,
        "steps": trainer.step,
        "seconds": round(finished.seconds, 3) if finished else None,
        "images_per_second": round(finished.images_per_second, 1) if finished else None,
        "parameters": sum(p.numel() for p in trainer.model.parameters()),
        "ended": finished.reason if finished else None,
        "device": finished.device if finished else None,
        "features": finished.features if finished else None,
        "dataset": trainer.dataset.name,
        "model": str(run_dir / MODEL),
    }


class Progress:
    """A one-line progress display on stderr, redrawn at most ~10 times a second (`quiet`: nothing shown,
    for the ranks of a distributed run other than rank 0)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.failure: str | None = None
        self.finished: Finished | None = None
        self._last = 0.0
        self._tty = sys.stderr.isatty()

    def __call__(self, event: Event) -> None:
        if isinstance(event, BatchEnded):
            done = event.batch / event.batches_per_epoch
            self._show(
                f"epoch {event.epoch} {_bar(done)} {event.batch}/{event.batches_per_epoch}"
                f"  loss {event.loss:.4f}  acc {100 * event.accuracy:.1f}%  {event.images_per_second:,.0f} img/s",
                final=event.batch == event.batches_per_epoch,
            )
        elif isinstance(event, DataProgress):
            fraction = event.done / event.total if event.total else 0.0
            self._show(f"{event.message} {_bar(fraction)}", final=bool(event.total) and event.done >= event.total)
        elif isinstance(event, EpochEnded):
            val = (
                ""
                if event.val_accuracy is None
                else f"  val loss {event.val_loss:.4f}  val acc {100 * event.val_accuracy:.2f}%"
            )
            self._line(
                f"epoch {event.epoch}/{event.epochs}: train loss {event.train_loss:.4f}{val}  ({event.seconds:.1f} s)"
            )
        elif isinstance(event, ValidationChecked):
            self._line(f"epoch {event.epoch} step {event.step}: val acc {100 * event.val_accuracy:.2f}%")
        elif isinstance(event, Notice):
            self._line(event.message)
        elif isinstance(event, Failed):
            self.failure = event.reason
        elif isinstance(event, Finished):
            self.finished = event
            self._line(f"ended: {event.reason}")
        elif isinstance(event, Stopped):
            self._line(f"stopped at step {event.step}")
        elif isinstance(event, CheckpointSaved):
            pass

    def _show(self, text: str, final: bool) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if not final and now - self._last < (0.1 if self._tty else 5.0):
            return
        self._last = now
        if self._tty:
            sys.stderr.write("\r" + text[:150].ljust(150) + ("\n" if final else ""))
            sys.stderr.flush()
        else:
            self._line(text)

    def _line(self, text: str) -> None:
        if self.quiet:
            return
        if self._tty:
            sys.stderr.write("\r" + " " * 150 + "\r")
        print(text, file=sys.stderr, flush=True)


def _bar(fraction: float, width: int = 24) -> str:
    filled = int(max(0.0, min(1.0, fraction)) * width)
    return "[" + "#" * filled + "." * (width - filled) + "]"


def record_run(args: argparse.Namespace, trainer: Trainer, run_dir: Path, listeners: Fanout) -> RunRecorder | None:
    """Keep the run in the run store (a warning, not an error, if the store cannot be used)."""
    try:
        store = RunStore(getattr(args, "runs_dir", None))
    except RunStoreError as exc:
        print(f"warning: this run is not kept in the run store: {exc}", file=sys.stderr)
        return None
    if store.notice:
        print(f"warning: {store.notice}", file=sys.stderr)
    checkpoint = str((run_dir / CHECKPOINT).resolve())
    recorder = start_recording(
        store,
        trainer.spec,
        trainer.config,
        trainer.dataset.name,
        "cli",
        history=trainer.history,
        checkpoint_path=checkpoint,
        resume=bool(getattr(args, "resume", None)),
    )
    listeners.listeners.append(recorder)
    return recorder


class Fanout:
    """One listener that hands each event to several (the progress display, the run recorder)."""

    def __init__(self, *listeners) -> None:
        self.listeners = list(listeners)

    def __call__(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)
