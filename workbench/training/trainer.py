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
- Checkpoints (workbench.files.model_file, no pickle) hold everything needed to continue the same run exactly:
  weights, optimizer, schedule, RNG states, epoch/batch counters and history.
- Speed: convolutional models run in channels_last memory (1.4x faster on 2 CPU cores for mnist-fast,
  and what cuDNN's tensor-core kernels want), cuDNN picks its kernels by measurement, CUDA runs
  autocast in bfloat16 (float16 with a scaler where bf16 is missing), and torch.compile is optional.
- A run may end before its epochs are done: at a target validation accuracy, after a time budget, or
  when the validation accuracy stops improving (patience). Validation is then also checked within
  epochs (`TrainConfig.checks`), and the run ends at the first check past the target.
"""

from __future__ import annotations

import math
import threading
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import torch
from torch import nn

from workbench.data.datasets import Dataset, augment_batch, black_value, iterate_batches, num_batches, to_device
from workbench.files.model_file import SavedModel, load_model, save_model, trained_model
from workbench.model.build import build_model, logits_model
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import infer
from workbench.model.spec import ModelSpec
from workbench.text import printable
from workbench.training.config import (
    Schedule,
    TrainConfig,
    default_threads,
    describe_device,
    make_optimizer,
    resolve_device,
)
from workbench.training.control import RunControl
from workbench.training.evaluate import evaluate
from workbench.training.events import (
    BatchEnded,
    CheckpointSaved,
    EpochEnded,
    Failed,
    Finished,
    Listener,
    Notice,
    Paused,
    Resumed,
    RunStarted,
    Stopped,
    ValidationChecked,
    ignore,
)
from workbench.training.health import HealthSampler
from workbench.training.probe import as_unit_image, probe
from workbench.training.support import Clock, EpochMeter, backup_buffers, copy_to_cpu, restore_buffers

MAX_BATCH_BYTES = 16 * 1024**3  # layer outputs of a training batch, forward and backward
TRAINING_COPIES = 3  # the outputs, their gradients and what autograd keeps besides, roughly


class TrainingError(ValueError):
    """The run cannot start (model and data do not fit together, bad settings); one-line message."""


class _NonFiniteLoss(Exception):
    pass


class CheckpointNotSaved(Exception):
    """Writing the checkpoint failed (a full disk, a folder gone); the message says why."""


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
    ):
        """`batch_event_interval`, `probe_interval`: seconds between BatchEnded events (the last batch of an
        epoch and the batch a run ends at are always reported) and between probe updates; `clock` tells the
        time for them, for the time budget and for the epochs' seconds (tests inject their own)."""
        self.spec, self.dataset = spec, dataset
        self.clock = clock
        self.config = config or TrainConfig()
        self.listener, self.control = listener, control or RunControl()
        self.checkpoint_path = checkpoint_path
        self.probe_interval, self.batch_event_interval = probe_interval, batch_event_interval
        self.num_classes = len(dataset.class_names)
        self._check_fits()
        self.device = resolve_device(self.config.device)
        self.threads = self.config.threads or default_threads()
        if self.device.type == "cpu":
            torch.set_num_threads(self.threads)
        if self.device.type == "cuda":
            torch.backends.cudnn.benchmark = True  # fixed batch shapes: measuring kernels once pays off
        torch.manual_seed(self.config.seed)
        self.model = build_model(spec).to(self.device)
        if initial_state is not None:
            self.model.load_state_dict(initial_state)
        self.channels_last = use_channels_last(self.config, self.device, self.model)
        if self.channels_last:
            self.model.to(memory_format=torch.channels_last)
        self._head = logits_model(self.model)
        self._forward = self._head  # replaced by the compiled module when torch.compile works
        self.optimizer = make_optimizer(self.config, self.model.parameters())
        self.batches_per_epoch = num_batches(len(dataset.train), self.config.batch_size)
        # `history`: the epochs the initial weights were trained for; this run's epochs count on from them
        self.history: list[dict[str, Any]] = [dict(row) for row in history or ()]
        self.epoch = len(self.history)  # completed epochs
        self.step = int(self.history[-1].get("step") or 0) if self.history else 0
        remaining = max(1, self.config.epochs - self.epoch)
        self.schedule = Schedule(self.config, self.optimizer, self.batches_per_epoch, remaining)
        self._scaler, self._autocast = self._mixed_precision()
        self.batch_in_epoch = 0  # batches done in the current (unfinished) epoch
        self._shuffle = torch.Generator().manual_seed(self.config.seed)
        self._epoch_shuffle_state = self._shuffle.get_state()
        self._pending: dict[str, Any] = {}
        self._pending_lock = threading.Lock()
        self.weights_lock = threading.Lock()
        self._probe_image: torch.Tensor | None = None
        self._probe_label: int | None = None
        self._explain: tuple[str, int | None] | None = None  # the probe's saliency: see set_explain
        self._last_probe = -1e9
        self._buffers = list(self.model.buffers())  # BatchNorm statistics, backed up around each step
        self._data: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
        self._black = black_value(dataset.mean, dataset.std)
        self.stop_reason: str | None = None  # why the run ended before its epochs were done
        self.failure: str | None = None  # why `fit` returned "failed"
        self.weights_usable = True  # after `fit`: whether the model holds weights worth keeping (not after a crash)
        self.checkpoint_epoch: int | None = None  # the epoch the last checkpoint written (or resumed from) holds
        # layer health on a sample batch every `health_interval` seconds; None: not measured
        self.health = None if health_interval is None else HealthSampler(self.model, health_interval)

    # ----- set-up -------------------------------------------------------------------------------

    def _check_fits(self) -> None:
        data_shape = tuple(self.dataset.input_shape)
        if tuple(self.spec.input) != data_shape:
            raise TrainingError(
                f"the model's input is {shape_text(self.spec.input)} but {self.dataset.title} images are "
                f"{shape_text(data_shape)}; set the model input to {shape_text(data_shape)}"
            )
        inference = infer(self.spec)
        if inference.error is not None:
            raise TrainingError(f"the model cannot be built: {inference.error.message}")
        if inference.over_budget is not None:
            raise TrainingError(inference.over_budget)
        batch_bytes = TRAINING_COPIES * inference.activation_bytes * self.config.batch_size
        if batch_bytes > MAX_BATCH_BYTES:
            fits = max(1, MAX_BATCH_BYTES // (TRAINING_COPIES * inference.activation_bytes))
            raise TrainingError(
                f"a batch of {self.config.batch_size} would take about {batch_bytes / 1024**3:.1f} GiB of layer "
                f"outputs to train; lower the batch size to {fits} or less"
            )
        out = inference.output
        if len(out) != 1 or out[0] != self.num_classes:
            raise TrainingError(
                f"the model ends with {shape_text(out)} outputs but {self.dataset.title} has {self.num_classes} "
                f"classes; make the last Linear layer's out_features {self.num_classes}"
            )
        if len(self.dataset.train) == 0:
            raise TrainingError("the training split is empty; choose a dataset with training images")

    def _mixed_precision(self):
        if not (self.config.mixed_precision and self.device.type == "cuda"):
            return None, nullcontext
        if torch.cuda.is_bf16_supported():
            return None, lambda: torch.autocast("cuda", dtype=torch.bfloat16)
        return torch.amp.GradScaler("cuda"), lambda: torch.autocast("cuda", dtype=torch.float16)

    def _split(self, name: str) -> tuple[torch.Tensor, torch.Tensor]:
        if name not in self._data:
            x, y = to_device(self.dataset.split(name), self.dataset.mean, self.dataset.std, self.device)
            if self.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            self._data[name] = x, y
        return self._data[name]

    def features(self) -> str:
        """What the run uses beyond plain float32 eager PyTorch, e.g. 'bf16 autocast · channels_last'."""
        parts = []
        if self._autocast is not nullcontext:
            parts.append("fp16 autocast" if self._scaler else "bf16 autocast")
        if self.channels_last:
            parts.append("channels_last")
        if self._forward is not self._head:
            parts.append("compiled")
        return " · ".join(parts)

    # ----- control from other threads ---------------------------------------------------------

    def request_changes(self, **changes: Any) -> TrainConfig:
        """Queue setting changes (lr, weight_decay, momentum, nesterov, label_smoothing); they apply at
        the next batch boundary, i.e. on resume when paused. Raises ConfigError for invalid values."""
        with self._pending_lock:
            merged = {**self._pending, **changes}
            candidate = self.config.with_live_changes(**merged)  # validates
            self._pending = merged
        return candidate

    def set_explain(self, method: str | None, target: int | None = None) -> None:
        """Send the probe's saliency map (`method` "grad-cam" or "gradient", for class `target`, None: the
        predicted one) with every ProbeUpdate; method None: none."""
        self._explain = None if method is None else (method, target)
        self._last_probe = -1e9  # show it at the next batch

    def set_probe(self, image, label: int | None = None) -> None:
        """Pin a sample (C, H, W), uint8 or float in [0, 1], to follow through every layer."""
        self._probe_image = None if image is None else as_unit_image(image)
        self._probe_label = label

    def snapshot_state(self) -> dict[str, torch.Tensor]:
        """A CPU copy of the current weights, consistent (taken between optimizer steps)."""
        with self.weights_lock:
            return {k: v.detach().to("cpu", copy=True).contiguous() for k, v in self.model.state_dict().items()}

    # ----- the loop -----------------------------------------------------------------------------

    def fit(self) -> str:
        """Train until the configured epochs are done; returns 'finished', 'stopped' or 'failed'.
        User-facing problems are reported as a Failed event, never raised."""
        started = self.clock()
        self.weights_usable = True
        try:
            self.stop_reason = None
            self._compile()
            self._emit_started()
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
            self._fail(
                f"the loss became NaN or infinite at epoch {self.epoch + 1}, step {self.step + 1}: training diverged. "
                f"The model keeps its last good weights; lower the learning rate (now {self._lr():g}) and train again"
            )
        except torch.cuda.OutOfMemoryError:
            torch.cuda.empty_cache()
            self._fail(
                f"the GPU ran out of memory at batch size {self.config.batch_size}; lower the batch size "
                f"(e.g. {max(1, self.config.batch_size // 2)}) and train again. The model keeps its weights"
            )
        except Exception as exc:
            self.weights_usable = False  # it may have struck between the weights' updates
            self._fail(f"training stopped by an unexpected error: {type(exc).__name__}: {exc}".replace("\n", " "))
        return "failed"

    def _fail(self, reason: str) -> None:
        self.failure = reason
        self.listener(Failed(reason))

    def _emit_started(self) -> None:
        inference = infer(self.spec)
        self.listener(
            RunStarted(
                dataset=self.dataset.name,
                class_names=tuple(self.dataset.class_names),
                train_size=len(self.dataset.train),
                val_size=len(self.dataset.val),
                test_size=len(self.dataset.test),
                input_shape=tuple(self.dataset.input_shape),
                parameters=inference.total_params,
                macs=inference.total_macs,
                device=describe_device(self.device, self.threads),
                features=self.features(),
                config=self.config.to_json(),
                start_epoch=self.epoch + 1,
                epochs=self.config.epochs,
                batches_per_epoch=self.batches_per_epoch,
                start_step=self.step,
            )
        )

    def _run_epoch(self) -> bool:
        """One epoch (or the rest of one, after a resume); False when stopped."""
        x, y = self._split("train")
        self.model.train()
        self._shuffle.set_state(self._epoch_shuffle_state)
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
            if not last and self.stop_reason is None:
                self._check_time(meter)
            ends = last or self.stop_reason is not None
            self._report_batch(meter, force=ends)  # once per batch, after every decision about it
            if ends:
                break
        self._end_epoch(meter, val)
        return True

    def _check_points(self) -> set[int]:
        """Batch indices (1-based) of this epoch's validation checks before its end."""
        checks = self.config.checks if self.config.stops_early and len(self.dataset.val) else 1
        return {round(self.batches_per_epoch * k / checks) for k in range(1, checks)} - {0}

    def _validate(self):
        return self._evaluate_split("val")

    def _evaluate_split(self, name: str):
        """Loss, accuracy, confusion matrix and predictions on a whole split (a distributed run gathers them)."""
        x, y = self._split(name)
        return evaluate(self.model, x, y, self.num_classes)

    def _check_validation(self, index: int):
        """A validation check within the epoch; ends the run when the target is reached."""
        val = self._validate()
        self.listener(ValidationChecked(self.epoch + 1, index, self.step, val.loss, val.accuracy))
        self._check_target(val.accuracy, self.epoch + 1)
        return val

    def _check_target(self, accuracy: float, epoch: int) -> None:
        """End the run if `accuracy`, measured in `epoch` (counted from 1), reaches the target."""
        target = self.config.target_accuracy
        if target is not None and accuracy >= target:
            self.stop_reason = (
                f"reached the target validation accuracy {100 * target:g}% ({100 * accuracy:.2f}%) "
                f"in epoch {epoch} at step {self.step}"
            )

    def _check_time(self, meter: EpochMeter) -> None:
        budget = self.config.time_budget
        if budget is not None and self._trained_seconds() + meter.seconds >= budget:
            self.stop_reason = f"used the time budget of {budget:g} s in epoch {self.epoch + 1} at step {self.step}"

    def _trained_seconds(self) -> float:
        return sum(row.get("seconds") or 0.0 for row in self.history)  # a number or null: files/schema.py

    def _check_patience(self) -> None:
        patience = self.config.patience
        scores = [row.get("val_accuracy") for row in self.history]
        scores = [score for score in scores if score is not None]
        if patience <= 0 or len(scores) <= patience:
            return
        best = max(range(len(scores)), key=scores.__getitem__)  # first epoch with the best accuracy
        if len(scores) - 1 - best >= patience:
            self.stop_reason = (
                f"validation accuracy did not improve for {patience} epoch{'s' if patience != 1 else ''} "
                f"(best {100 * scores[best]:.2f}% in epoch {best + 1}): stopped early"
            )

    def _between_batches(self, meter: EpochMeter) -> bool:
        control = self.control
        if control.stop_requested:
            return False
        if control.pause_requested:
            self.listener(Paused(self.epoch + 1, self.step))
            paused_at = self.clock()
            self._wait_for_resume()
            meter.started += self.clock() - paused_at  # paused time is not training time
            if control.stop_requested:
                return False
            self._apply_pending()
            self.listener(Resumed(self.config.to_json()))
        elif self._pending:
            self._apply_pending()
        self._maybe_probe()
        return True

    def _wait_for_resume(self) -> None:
        """Block while paused (a distributed run's rank 0 keeps telling the others it is still paused)."""
        self.control.wait_while_paused()

    def _train_step(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[float, int]:
        if self.config.augment:
            generator = torch.Generator().manual_seed(self.config.seed * 1_000_003 + self.step)
            xb = augment_batch(xb, generator, fill=self._black)
        images = len(yb)  # the whole batch, over every process of the run
        xb, yb, share = self._this_process_part(xb, yb)
        buffers = backup_buffers(self._buffers)
        if self.channels_last:
            xb = xb.contiguous(memory_format=torch.channels_last)
        with self._autocast():
            out = self._forward(xb)
            loss = self._loss(out, yb)  # `out`: the logits, a final Softmax or LogSoftmax left out
        stats = torch.stack([loss.detach().float() * len(yb), (out.detach().argmax(1) == yb).sum().float()])
        ready = copy_to_cpu(self._summed_over_processes(stats))
        self.optimizer.zero_grad(set_to_none=True)
        weighted = loss if share == 1.0 else loss * share
        (self._scaler.scale(weighted) if self._scaler else weighted).backward()
        loss_sum, correct = ready()
        loss_value = loss_sum / images
        if not math.isfinite(loss_value):
            restore_buffers(buffers)
            raise _NonFiniteLoss
        with self.weights_lock:
            if self._scaler:
                self._scaler.step(self.optimizer)
                self._scaler.update()
            else:
                self.optimizer.step()
        self.schedule.batch_done()
        return loss_value, int(correct)

    def _this_process_part(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
        """The part of the batch this process trains on, and what its mean loss is weighted by so that the
        gradients averaged over all processes are those of the whole batch (one process: all of it, 1)."""
        return xb, yb, 1.0

    def _summed_over_processes(self, stats: torch.Tensor) -> torch.Tensor:
        """[loss × images, correct] of this step, summed over the processes of the run."""
        return stats

    def _loss(self, out: torch.Tensor, yb: torch.Tensor) -> torch.Tensor:
        return nn.functional.cross_entropy(out.float(), yb, label_smoothing=self.config.label_smoothing)

    def _report_batch(self, meter: EpochMeter, force: bool) -> None:
        """A BatchEnded with the losses not yet reported, when `batch_event_interval` has passed or `force` says
        so; nothing when every batch is reported already (a report is never empty)."""
        if meter.unreported == 0 or not (force or meter.report_due(self.batch_event_interval)):
            return
        steps, losses = meter.take_points()
        self.listener(
            BatchEnded(
                epoch=self.epoch + 1,
                batch=self.batch_in_epoch,
                batches_per_epoch=self.batches_per_epoch,
                step=self.step,
                loss=losses[-1],
                accuracy=meter.accuracy,
                lr=self._lr(),
                images_per_second=meter.images_per_second,
                steps=steps,
                losses=losses,
            )
        )

    def _maybe_probe(self, force: bool = False) -> None:
        if self._probe_image is None:
            return
        now = self.clock()
        if not force and now - self._last_probe < self.probe_interval:
            return
        self._last_probe = now
        self.listener(
            probe(
                self.model,
                self._probe_image,
                self.dataset.mean,
                self.dataset.std,
                self._probe_label,
                self.step,
                self._explain,
            )
        )

    def _end_epoch(self, meter: EpochMeter, val=None) -> None:
        """Close the epoch (also one cut short by a target or the time budget); `val` is a
        validation result taken at this very step, if there is one."""
        seconds, images_per_second = meter.seconds, meter.images_per_second
        self.schedule.epoch_done()
        self.epoch += 1
        self.batch_in_epoch = 0
        self._epoch_shuffle_state = self._shuffle.get_state()
        if val is None and len(self.dataset.val):
            val = self._validate()
        row = {
            "epoch": self.epoch,
            "train_loss": meter.mean_loss,
            "train_accuracy": meter.accuracy,
            "val_loss": val.loss if val else None,
            "val_accuracy": val.accuracy if val else None,
            "seconds": seconds,
            "images_per_second": images_per_second,
            "lr": self._lr(),
        }
        self.history.append({**row, "step": self.step})  # the step lets a saved history be drawn on the step axis
        if val is not None and self.stop_reason is None:
            self._check_target(val.accuracy, self.epoch)  # the epoch just closed
            if self.stop_reason is None:
                self._check_patience()
        budget = self.config.time_budget
        if self.stop_reason is None and budget is not None and self._trained_seconds() >= budget:
            self.stop_reason = f"used the time budget of {budget:g} s by the end of epoch {self.epoch}"
        wrong = None
        if val is not None:
            wrong = (val.predictions != self.dataset.val.labels.numpy()).nonzero()[0][:64]
        self.listener(
            EpochEnded(
                epochs=self.config.epochs,
                confusion=val.confusion if val else None,
                misclassified=wrong,
                misclassified_predictions=None if wrong is None else val.predictions[wrong],
                **row,
            )
        )
        self._maybe_probe(force=True)
        self._save_checkpoint()

    def _finish(self, seconds: float) -> None:
        test_loss = test_accuracy = None
        if len(self.dataset.test):
            result = self._evaluate_split("test")
            test_loss, test_accuracy = result.loss, result.accuracy
        trained = self._trained_seconds() or 1e-9
        images = sum((r.get("images_per_second") or 0.0) * (r.get("seconds") or 0.0) for r in self.history)
        epochs = self.config.epochs
        reason = self.stop_reason or ("its epoch done" if epochs == 1 else f"all {epochs} epochs done")
        self.listener(
            Finished(
                tuple(self.history),
                test_loss,
                test_accuracy,
                seconds,
                images / trained,
                reason=reason,
                device=describe_device(self.device, self.threads),
                features=self.features(),
            )
        )

    def _compile(self) -> None:
        """torch.compile the forward pass, compiling it here on one batch so that a missing compiler or
        an unsupported platform shows up now, as a notice, and the run goes on uncompiled."""
        if not self.config.compile or self._forward is not self._head:
            return
        started = time.perf_counter()
        buffers = backup_buffers(self._buffers)
        try:
            compiled = torch.compile(self._head)
            x, _ = self._split("train")
            xb = x[: self.config.batch_size]
            with self._autocast():
                out = compiled(xb)
            out.float().sum().backward()
            self._forward = compiled
            self.listener(Notice(f"torch.compile: the model compiled in {time.perf_counter() - started:.1f} s"))
        except Exception as exc:  # torch raises many kinds here (no compiler, no triton, unsupported op)
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            self.listener(
                Notice(
                    f"torch.compile is not available here ({type(exc).__name__}: {first}); "
                    "training without it. Turn off Compile to skip this attempt"
                )
            )
        finally:
            self.optimizer.zero_grad(set_to_none=True)
            restore_buffers(buffers)

    def _lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])

    def _apply_pending(self) -> None:
        with self._pending_lock:
            changes, self._pending = self._pending, {}
        if not changes:
            return
        new = self.config.with_changes(**changes)
        if new.lr != self.config.lr:
            self.schedule.rescale(new.lr / self.config.lr)
        for group in self.optimizer.param_groups:
            group["weight_decay"] = new.weight_decay
            if "momentum" in group:
                group["momentum"] = new.momentum
            if "nesterov" in group:
                group["nesterov"] = new.nesterov
        self.config = new

    # ----- persistence --------------------------------------------------------------------------

    def saved_model(self, extra: dict | None = None) -> SavedModel:
        return trained_model(self.spec, self.snapshot_state(), self.dataset, self.config, self.history, extra)

    def _save_checkpoint(self) -> None:
        """Write the checkpoint (atomically: a failed write leaves the last good one); a failure ends the run."""
        if not self.checkpoint_path:
            return
        try:
            save_model(self.checkpoint_path, self.saved_model(self._resume_state()), kind="checkpoint")
        except OSError as exc:
            raise CheckpointNotSaved(
                f"cannot save the checkpoint at step {self.step} ({printable(exc.strerror or str(exc))}); "
                "make room on the disk or choose another folder"
            ) from None
        self.checkpoint_epoch = self.epoch
        self.listener(CheckpointSaved(str(self.checkpoint_path), self.epoch))

    def _resume_state(self) -> dict[str, Any]:
        state = {
            "optimizer": self.optimizer.state_dict(),
            "schedule": self.schedule.state_dict(),
            "epoch": self.epoch,
            "step": self.step,
            "batch_in_epoch": self.batch_in_epoch,
            "epoch_shuffle_state": self._epoch_shuffle_state,
            "torch_rng": torch.get_rng_state(),
        }
        if self.device.type == "cuda":
            state["cuda_rng"] = torch.cuda.get_rng_state(self.device)
        if self._scaler is not None:
            state["scaler"] = self._scaler.state_dict()
        return state

    @classmethod
    def from_checkpoint(
        cls, path: str, dataset: Dataset, *, epochs: int | None = None, machine: dict | None = None, **kwargs: Any
    ) -> Trainer:
        """Continue a run from its checkpoint (written at epoch ends and on stop). `epochs` raises the
        total number of epochs; `machine` changes where it runs (device, threads); other keyword arguments
        are as for the constructor."""
        saved = load_model(path, kind="checkpoint")
        config = TrainConfig.from_json(saved.train_config)
        if epochs is not None:
            config = config.with_changes(epochs=epochs)
        if machine:
            config = config.with_changes(**machine)
        kwargs.setdefault("checkpoint_path", path)
        trainer = cls(saved.spec, dataset, config, initial_state=saved.state, **kwargs)
        trainer._restore(saved)
        if kwargs["checkpoint_path"] and Path(kwargs["checkpoint_path"]) == Path(path):
            trainer.checkpoint_epoch = trainer.epoch  # until a new one is written, the last good one is this
        return trainer

    def _restore(self, saved: SavedModel) -> None:
        """Go on where the checkpoint stopped. Its fields' kinds were checked on load (`files/schema.py`);
        what torch checks (the optimizer's groups against the model, the RNG states' sizes) and what a
        checkpoint must hold are refused here as a damaged training state."""
        extra = saved.extra
        try:
            self.optimizer.load_state_dict(extra["optimizer"])
            self.schedule.load_state_dict(extra["schedule"])
            self.epoch, self.step, self.batch_in_epoch = extra["epoch"], extra["step"], extra["batch_in_epoch"]
            self._epoch_shuffle_state = extra["epoch_shuffle_state"].to(torch.uint8)
            torch.set_rng_state(extra["torch_rng"].to(torch.uint8))
            if "cuda_rng" in extra and self.device.type == "cuda":
                torch.cuda.set_rng_state(extra["cuda_rng"].to(torch.uint8), self.device)
            if "scaler" in extra and self._scaler is not None:
                self._scaler.load_state_dict(extra["scaler"])
        except (KeyError, ValueError, TypeError, RuntimeError, AttributeError, OverflowError) as exc:
            raise TrainingError(
                f"the checkpoint's training state is damaged ({printable(str(exc))}); start a new run"
            ) from None
        self.history = list(saved.history)


def use_channels_last(config: TrainConfig, device: torch.device, model: nn.Module) -> bool:
    """channels_last pays off for convolutions on CPU (oneDNN) and CUDA (cuDNN); elsewhere it does nothing."""
    has_conv = any(isinstance(module, nn.Conv2d) for module in model.modules())
    return config.channels_last and device.type in ("cpu", "cuda") and has_conv


def warm_up() -> None:
    """Do torch's one-time lazy initialisation now (constructing the first optimizer imports
    torch._dynamo: about 1.4 s, partly holding the GIL). The app calls this while it loads the
    dataset, so that pressing Train does not freeze the window for a moment."""
    layer = nn.Conv2d(1, 1, 3)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 1, 4, 4)).sum().backward()
    optimizer.step()
