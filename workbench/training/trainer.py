"""The training engine: `Trainer.fit` runs the loop and reports through plain-Python events.

Design notes
- The whole dataset lives on the training device as one normalised tensor; batches are index
  slices of a seeded permutation (workbench.data.datasets.iterate_batches), so the hot loop runs no
  per-sample Python.
- The loss and the batch's correct count travel to the CPU in one non-blocking copy issued right
  after the forward pass; the CPU waits for it only after queueing backward, so on a GPU the wait
  overlaps with the backward pass. The value is needed before the optimizer step: a NaN/inf loss
  must stop the run with the last good weights intact.
- Stop and pause are cooperative (`RunControl`), checked between batches. Settings changed while
  paused (`Trainer.request_changes`) apply on resume with the optimizer state kept.
- Checkpoints (`checkpoints.py`) hold everything needed to continue the same run exactly.
- Speed: convolutional models run in channels_last memory (1.4x faster on 2 CPU cores for mnist-fast,
  and what cuDNN's tensor-core kernels want), cuDNN picks its kernels by measurement, CUDA runs
  autocast in bfloat16 (float16 with a scaler where bf16 is missing), and torch.compile is optional.
- A run may end before its epochs are done: its stop rules (`stopping.py`: a target validation accuracy,
  a time budget, patience, and any handed in, such as an experiment's pruner) are asked after each batch and
  when an epoch closes. Validation is then also checked within epochs (`TrainConfig.checks`).
- What differs when several processes train the run is one object, `processes` (`processes.py`): the loop
  is the same for one process and for each rank of a DDP run.
- Each batch is reported once, after every decision about it; the clock is injected (`clock`), so tests
  set the reporting interval to its extremes and make a time budget run out at a chosen step.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import nullcontext
from typing import Any

import torch
from torch import nn

from workbench.data.datasets import Dataset, augment_batch, black_value, iterate_batches, num_batches, to_device
from workbench.events import (
    CheckpointSaved,
    Failed,
    Listener,
    Notice,
    Paused,
    Resumed,
    Stopped,
    ValidationChecked,
    ignore,
)
from workbench.files.model_file import SavedModel, trained_model
from workbench.insight.health import HealthSampler
from workbench.insight.probe import ProbeFeed
from workbench.messages import say
from workbench.model.build import build_model, logits_model
from workbench.model.spec import ModelSpec
from workbench.training import checkpoints, reports
from workbench.training.checkpoints import CheckpointNotSaved
from workbench.training.config import (
    LIVE_SETTINGS,
    Schedule,
    TrainConfig,
    apply_live_settings,
    default_threads,
    make_optimizer,
    resolve_device,
)
from workbench.training.control import PendingChanges, RunControl
from workbench.training.processes import OneProcess, Processes
from workbench.training.stopping import Moment, StopRule, first_reason, rules_for
from workbench.training.support import (
    Clock,
    EpochMeter,
    TrainingError,
    backup_buffers,
    check_fits,
    compile_forward,
    copy_to_cpu,
    mixed_precision,
    restore_buffers,
    use_channels_last,
)

__all__ = ["CheckpointNotSaved", "Trainer", "TrainingError"]


class _NonFiniteLoss(Exception):
    pass


class Trainer:
    def __init__(
        self,
        spec: ModelSpec,
        dataset: Dataset,
        config: TrainConfig | None = None,
        *,
        listener: Listener = ignore,
        control: RunControl | None = None,
        checkpoint_path: str | None = None,
        initial_state: dict[str, torch.Tensor] | None = None,
        history: list[dict[str, Any]] | None = None,
        probe_interval: float = 0.25,
        batch_event_interval: float = 0.05,
        health_interval: float | None = None,
        clock: Clock = time.perf_counter,
        stop_rules: list[StopRule] | None = None,
        processes: Processes | None = None,
    ):
        """`batch_event_interval`, `probe_interval`: seconds between BatchEnded events (the last batch of an
        epoch and the batch a run ends at are always reported) and between probe updates; `clock` tells the
        time for them, for the time budget and for the epochs' seconds (tests inject their own); `stop_rules`:
        rules beside the config's own (target, time budget, patience); `processes`: what differs when several
        processes train this run (default: this one alone)."""
        self.spec, self.dataset = spec, dataset
        self.clock = clock
        self.config = config or TrainConfig()
        self.listener, self.control = listener, control or RunControl()
        self.processes = processes or OneProcess()
        self.checkpoint_path = checkpoint_path
        self.probe_interval, self.batch_event_interval = probe_interval, batch_event_interval
        self.stop_rules = [*rules_for(self.config), *(stop_rules or ())]
        self.num_classes = len(dataset.class_names)
        check_fits(spec, dataset, self.config.batch_size)
        self._build_model(initial_state)
        self._count_on_from(history)
        self.scaler, self._autocast = mixed_precision(self.config, self.device)
        self.pending = PendingChanges()
        self.weights_lock = threading.Lock()
        self.probe_feed = ProbeFeed()
        self._data: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
        self._black = black_value(dataset.mean, dataset.std)
        self.stop_reason: str | None = None  # why the run ended before its epochs were done
        self.failure: str | None = None  # why `fit` returned "failed"
        self.weights_usable = True  # after `fit`: whether the model holds weights worth keeping (not after a crash)
        self.checkpoint_epoch: int | None = None  # the epoch the last checkpoint written (or resumed from) holds
        # layer health on a sample batch every `health_interval` seconds; None: not measured
        self.health = None if health_interval is None else HealthSampler(self.model, health_interval)

    def _build_model(self, initial_state: dict[str, torch.Tensor] | None) -> None:
        self.device = resolve_device(self.config.device)
        self.threads = self.config.threads or default_threads()
        if self.device.type == "cpu":
            torch.set_num_threads(self.threads)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed batch shapes: measuring kernels once pays off
        torch.manual_seed(self.config.seed)
        self.model = build_model(self.spec).to(self.device)
        if initial_state is not None:
            self.model.load_state_dict(initial_state)
        self.channels_last = use_channels_last(self.config, self.device, self.model)
        if self.channels_last:
            self.model.to(memory_format=torch.channels_last)
        self.model = self.processes.prepare(self.model, self.device)
        self._head = logits_model(self.model)
        self._forward = self._head  # what a step runs: DDP around it, or the compiled module
        self._compiled = False
        self._buffers = list(self.model.buffers())  # BatchNorm statistics, backed up around each step

    def _count_on_from(self, history: list[dict[str, Any]] | None) -> None:
        """The optimizer and schedule, and the counters after `history` (the epochs the initial weights were
        trained for: this run's epochs count on from them)."""
        self.optimizer = make_optimizer(self.config, self.model.parameters())
        self.batches_per_epoch = num_batches(len(self.dataset.train), self.config.batch_size)
        self.history: list[dict[str, Any]] = [dict(row) for row in history or ()]
        self.epoch = len(self.history)  # completed epochs
        self.step = int(self.history[-1].get("step") or 0) if self.history else 0
        remaining = max(1, self.config.epochs - self.epoch)
        self.schedule = Schedule(self.config, self.optimizer, self.batches_per_epoch, remaining)
        self.batch_in_epoch = 0  # batches done in the current (unfinished) epoch
        self._shuffle = torch.Generator().manual_seed(self.config.seed)
        self.epoch_shuffle_state = self._shuffle.get_state()

    def _split(self, name: str) -> tuple[torch.Tensor, torch.Tensor]:
        if name not in self._data:
            x, y = to_device(self.dataset.split(name), self.dataset.mean, self.dataset.std, self.device)
            if self.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            self._data[name] = x, y
        return self._data[name]

    def features(self) -> str:
        """What the run uses beyond plain float32 eager PyTorch, e.g. 'bf16 autocast · channels_last'."""
        autocast = None if self._autocast is nullcontext else "fp16 autocast" if self.scaler else "bf16 autocast"
        used = (autocast, "channels_last" if self.channels_last else None, "compiled" if self._compiled else None)
        return self.processes.describe([part for part in used if part])

    def request_changes(self, **changes: Any) -> TrainConfig:
        """Queue setting changes (lr, weight_decay, momentum, nesterov, label_smoothing); they apply at
        the next batch boundary, i.e. on resume when paused. Raises ConfigError for invalid values."""
        return self.pending.add(self.config, **changes)

    def set_explain(self, method: str | None, target: int | None = None) -> None:
        """Send the probe's saliency map with every ProbeUpdate (see ProbeFeed.explain)."""
        self.probe_feed.explain(method, target)

    def set_probe(self, image, label: int | None = None) -> None:
        """Pin a sample (C, H, W), uint8 or float in [0, 1], to follow through every layer."""
        self.probe_feed.pin(image, label)

    def snapshot_state(self) -> dict[str, torch.Tensor]:
        """A CPU copy of the current weights, consistent (taken between optimizer steps)."""
        with self.weights_lock:
            return {k: v.detach().to("cpu", copy=True).contiguous() for k, v in self.model.state_dict().items()}

    def fit(self) -> str:
        """Train until the configured epochs are done; returns 'finished', 'stopped' or 'failed'.
        User-facing problems are reported as a Failed event, never raised."""
        if self._forward is self._head:
            self._forward = self.processes.wrap(self._head)
        try:
            outcome = self._fit()
            problem = None if outcome == "failed" else self.processes.after_fit(self.model)
            if problem is not None:
                self._fail(problem)
                return "failed"
            return outcome
        finally:
            self._forward = self.processes.unwrap(self._forward, self._head)

    def _fit(self) -> str:
        started = self.clock()
        self.weights_usable = True
        try:
            self.stop_reason = None
            self._compile()
            self.listener(reports.run_started(self))
            while self.epoch < self.config.epochs and self.stop_reason is None:
                if not self._run_epoch():
                    self._save_checkpoint()
                    self.listener(Stopped(self.epoch, self.step, tuple(self.history)))
                    return "stopped"
            self._finish(self.clock() - started)
            return "finished"
        except CheckpointNotSaved as exc:
            self._fail(str(exc))
        except _NonFiniteLoss:
            self._fail(say("train.diverged", epoch=self.epoch + 1, step=self.step + 1, lr=f"{self.lr():g}"))
        except torch.cuda.OutOfMemoryError:
            torch.cuda.empty_cache()
            half = max(1, self.config.batch_size // 2)
            self._fail(say("train.gpu_memory", batch=self.config.batch_size, half=half))
        except Exception as exc:
            self.weights_usable = False  # it may have struck between the weights' updates
            self._fail(say("train.unexpected", error=f"{type(exc).__name__}: {exc}".replace("\n", " ")))
        return "failed"

    def _fail(self, reason: str) -> None:
        self.failure = reason
        self.listener(Failed(reason))

    def _run_epoch(self) -> bool:
        """One epoch (or the rest of one, after a resume); False when stopped."""
        x, y = self._split("train")
        self.model.train()
        self._shuffle.set_state(self.epoch_shuffle_state)
        batches = iterate_batches(x, y, self.config.batch_size, shuffle=True, generator=self._shuffle)
        meter = EpochMeter(self.clock)
        checks = self._check_points()
        val = None
        for index, (xb, yb) in enumerate(batches, start=1):
            if index <= self.batch_in_epoch:
                continue  # resuming mid-epoch: same permutation, skip what was done
            if not self._between_batches(meter):
                self._report_batch(meter, force=True)  # what was trained since the last report
                return False
            if self.health is not None:
                self.health.before_step()
            try:
                loss, correct = self._train_step(xb, yb)
            except _NonFiniteLoss:
                self._report_batch(meter, force=True)  # the losses of the batches before the one that diverged
                raise
            self.step += 1
            if self.health is not None and (update := self.health.after_step(xb, yb, self.step)) is not None:
                self.listener(update)
            self.batch_in_epoch = index
            meter.add(self.step, loss, correct, len(yb))
            last = index == self.batches_per_epoch
            # the epoch's end has its own checks (_end_epoch); `val`: a check's result at this very step
            val = self._check_validation(index) if not last and index in checks else None
            if not last:
                self._decide_stop(val, meter.seconds, at_epoch_end=False)
            ends = last or self.stop_reason is not None
            self._report_batch(meter, force=ends)  # once per batch, after every decision about it
            if ends:
                break
        self._end_epoch(meter, val)
        return True

    def _check_points(self) -> set[int]:
        """Batch indices (1-based) of this epoch's validation checks before its end."""
        checks = self.config.checks if self.stop_rules and len(self.dataset.val) else 1  # the config's, a pruner
        return {round(self.batches_per_epoch * k / checks) for k in range(1, checks)} - {0}

    def _validate(self):
        return self._evaluate_split("val")

    def _evaluate_split(self, name: str):
        """Loss, accuracy, confusion matrix and predictions on a whole split (a distributed run gathers them)."""
        x, y = self._split(name)
        return self.processes.evaluate(self.model, x, y, self.num_classes)

    def _check_validation(self, index: int):
        """A validation check within the epoch (the stop rules look at it next)."""
        val = self._validate()
        self.listener(ValidationChecked(self.epoch + 1, index, self.step, val.loss, val.accuracy))
        return val

    def _decide_stop(self, val, epoch_seconds: float, at_epoch_end: bool) -> None:
        """Ask the stop rules where the run is now (`val`: a validation result at this very step, if any;
        `epoch_seconds`: training seconds of the epoch not yet in the history); the first reason ends the run,
        rank 0's on every process. A reason found earlier (a check in the epoch just closed) stands."""
        if self.stop_reason is None:
            moment = Moment(
                epoch=self.epoch if at_epoch_end else self.epoch + 1,
                step=self.step,
                seconds=self._trained_seconds() + epoch_seconds,
                val_accuracy=None if val is None else val.accuracy,
                at_epoch_end=at_epoch_end,
                history=self.history,
            )
            self.stop_reason = first_reason(self.stop_rules, moment)
        self.stop_reason = self.processes.rank0_reason(self.stop_reason)

    def _trained_seconds(self) -> float:
        return sum(row.get("seconds") or 0.0 for row in self.history)  # a number or null: files/schema.py

    def _between_batches(self, meter: EpochMeter) -> bool:
        """Whether to go on: the run's controls (stop, pause, settings changed while paused), obeyed by the
        main process and agreed on by the others, which apply the same changes."""
        go, changes = True, None
        if self.processes.main:
            before = self.config
            go = self._obey_controls(meter)
            if self.config != before:
                changes = {name: getattr(self.config, name) for name in LIVE_SETTINGS}
        go, changes = self.processes.agree(go, changes)
        if changes is not None and not self.processes.main:
            self.request_changes(**changes)
            self._apply_pending()
        if go:
            self._maybe_probe()
        return go

    def _obey_controls(self, meter: EpochMeter) -> bool:
        control = self.control
        if control.stop_requested:
            return False
        if control.pause_requested:
            self.listener(Paused(self.epoch + 1, self.step))
            paused_at = self.clock()
            self.processes.wait_while_paused(control)
            meter.started += self.clock() - paused_at  # paused time is not training time
            if control.stop_requested:
                return False
            self._apply_pending()
            self.listener(Resumed(self.config.to_json()))
        elif self.pending:
            self._apply_pending()
        return True

    def _train_step(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[float, int]:
        if self.config.augment:
            generator = torch.Generator().manual_seed(self.config.seed * 1_000_003 + self.step)
            xb = augment_batch(xb, generator, fill=self._black)
        images = len(yb)  # the whole batch, over every process of the run
        xb, yb, share = self.processes.part(xb, yb)
        buffers = backup_buffers(self._buffers)
        if self.channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        with self._autocast():
            out = self._forward(xb)
            loss = self._loss(out, yb)  # `out`: the logits, a final Softmax or LogSoftmax left out
        stats = torch.stack([loss.detach().float() * len(yb), (out.detach().argmax(1) == yb).sum().float()])
        ready = copy_to_cpu(self.processes.summed(stats))
        self.optimizer.zero_grad(set_to_none=True)
        weighted = loss if share == 1.0 else loss * share
        (self.scaler.scale(weighted) if self.scaler else weighted).backward()
        loss_sum, correct = ready()
        loss_value = loss_sum / images
        if not math.isfinite(loss_value):
            restore_buffers(buffers)
            raise _NonFiniteLoss
        with self.weights_lock:
            if self.scaler:
                self.scaler.step(self.optimizer)
                self.scaler.update()
            else:
                self.optimizer.step()
        self.schedule.batch_done()
        return loss_value, int(correct)

    def _loss(self, out: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(out.float(), yb, label_smoothing=self.config.label_smoothing)

    def _report_batch(self, meter: EpochMeter, force: bool) -> None:
        """A BatchEnded with the losses not yet reported, when `batch_event_interval` has passed or `force` says
        so; nothing when every batch is reported already (a report is never empty)."""
        if meter.unreported == 0 or not (force or meter.report_due(self.batch_event_interval)):
            return
        self.listener(reports.batch_ended(self, meter, *meter.take_points()))

    def _maybe_probe(self, force: bool = False) -> None:
        if not self.processes.main:
            return
        feed, data = self.probe_feed, self.dataset
        update = feed.update(self.model, data.mean, data.std, self.step, self.clock(), self.probe_interval, force)
        if update is not None:
            self.listener(update)

    def _end_epoch(self, meter: EpochMeter, val=None) -> None:
        """Close the epoch (also one cut short by a stop rule); `val` is a validation result taken at this very
        step, if there is one."""
        self.schedule.epoch_done()
        self.epoch += 1
        self.batch_in_epoch = 0
        self.epoch_shuffle_state = self._shuffle.get_state()
        if val is None and len(self.dataset.val):
            val = self._validate()
        row = reports.epoch_row(self, meter, val)
        self.history.append({**row, "step": self.step})  # the step lets a saved history be drawn on the step axis
        self._decide_stop(val, 0.0, at_epoch_end=True)
        self.listener(reports.epoch_ended(self, row, val))
        self._maybe_probe(force=True)
        self._save_checkpoint()

    def _finish(self, seconds: float) -> None:
        test = self._evaluate_split("test") if len(self.dataset.test) else None
        self.listener(reports.finished(self, seconds, test))

    def _compile(self) -> None:
        """torch.compile the forward pass now, on one batch (see support.compile_forward); where it cannot,
        a notice says so and the run goes on uncompiled."""
        if not self.config.compile or self._compiled:
            return
        if self.processes.compile_refusal is not None:
            self.listener(Notice(self.processes.compile_refusal))
            return
        buffers = backup_buffers(self._buffers)
        try:
            x, _ = self._split("train")
            compiled, notice = compile_forward(self._head, x[: self.config.batch_size], self._autocast)
        finally:
            self.optimizer.zero_grad(set_to_none=True)
            restore_buffers(buffers)
        if compiled is not None:
            self._forward, self._compiled = compiled, True
        self.listener(Notice(notice))

    def lr(self) -> float:
        """The learning rate the optimizer uses now."""
        return float(self.optimizer.param_groups[0]["lr"])

    def _apply_pending(self) -> None:
        changes = self.pending.take()
        if changes:
            new = self.config.with_changes(**changes)
            apply_live_settings(self.optimizer, self.schedule, self.config, new)
            self.config = new

    def saved_model(self, extra: dict | None = None) -> SavedModel:
        return trained_model(self.spec, self.snapshot_state(), self.dataset, self.config, self.history, extra)

    def _save_checkpoint(self) -> None:
        """Write the checkpoint (atomically: a failed write leaves the last good one), the main process alone;
        a failed write ends the run, on every process at this same point."""
        writes = bool(self.checkpoint_path) and self.processes.main
        failure = None
        if writes:
            try:
                saved = self.saved_model(checkpoints.resume_state(self))
                checkpoints.write_checkpoint(self.checkpoint_path, saved, self.step)
            except CheckpointNotSaved as exc:
                failure = exc
        if not self.processes.saved(failure is None):
            raise failure or CheckpointNotSaved("rank 0 could not save the checkpoint; the run ended on every process")
        if writes:
            self.checkpoint_epoch = self.epoch
            self.listener(CheckpointSaved(str(self.checkpoint_path), self.epoch))

    @classmethod
    def from_checkpoint(
        cls, path: str, dataset: Dataset, *, epochs: int | None = None, machine: dict | None = None, **kwargs: Any
    ) -> Trainer:
        """Continue a run from its checkpoint (written at epoch ends and on stop). `epochs` raises the
        total number of epochs; `machine` changes where it runs (device, threads); other keyword arguments
        are as for the constructor."""
        saved, config = checkpoints.read_checkpoint(path, epochs, machine)
        kwargs.setdefault("checkpoint_path", path)
        trainer = cls(saved.spec, dataset, config, initial_state=saved.state, **kwargs)
        checkpoints.restore(trainer, saved, path)
        return trainer
