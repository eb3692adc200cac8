"""A run's events to the Train tab: each event the training process sends goes to the run store's keeping, then
by its type to the panels, the progress bar and the session (paused, resumed, the result line)."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui import messages
from ui.i18n import translate
from ui.training.run_keeping import RunKeeping
from ui.training.session import TrainSession
from ui.training.train_layout import LivePanels, RunBox
from ui.window_texts import show_error
from workbench.events import (
    BatchEnded,
    EpochEnded,
    Failed,
    Finished,
    HealthUpdate,
    Notice,
    Paused,
    ProbeUpdate,
    Resumed,
    RunStarted,
    Stopped,
    ValidationChecked,
)


class RunEvents(QObject):
    status_message = Signal(str)
    device_used = Signal(str)  # what a run really trains on, e.g. "CUDA · NVIDIA H200 · bf16 autocast"

    def __init__(
        self, session: TrainSession, panels: LivePanels, run_box: RunBox, keeping: RunKeeping, host: QWidget
    ) -> None:
        """`host`: the widget a failure's message box belongs to."""
        super().__init__(host)
        self.session, self.panels, self.run_box, self.keeping, self.host = session, panels, run_box, keeping, host
        self.clock = time.monotonic  # what the ETA is measured with; injected by tests
        self._started_at = self.clock()
        self._first_step = self._last_step = 0
        self._total_steps = 0

    def handle(self, event) -> None:
        self.keeping.record(event)
        panels = self.panels
        handler = {
            RunStarted: self._on_started,
            BatchEnded: self._on_batch,
            EpochEnded: self._on_epoch,
            ProbeUpdate: panels.show_probe,
            HealthUpdate: panels.health.add_update,
            Paused: lambda e: self.session.set_state("paused"),
            Resumed: lambda e: self.session.set_state("running"),
            Finished: self._on_finished,
            Stopped: self._on_stopped,
            Failed: self._on_failed,
            ValidationChecked: panels.accuracy_plot.add_check,
            Notice: lambda e: self.status_message.emit(messages.translated(e.message)),
        }.get(type(event))
        if handler is not None:
            handler(event)

    def _on_started(self, event: RunStarted) -> None:
        self._started_at = self.clock()
        self._first_step = event.start_step
        self._total_steps = (event.epochs - event.start_epoch + 1) * event.batches_per_epoch
        self.run_box.progress.setRange(0, self._total_steps)
        device = messages.device_line(" · ".join(part for part in (event.device, event.features) if part))
        self.device_used.emit(device)
        self.status_message.emit(
            translate("RunEvents", "Training on {device}: {images} images, {parameters} parameters").format(
                device=device, images=f"{event.train_size:,}", parameters=f"{event.parameters:,}"
            )
        )

    def _on_batch(self, event: BatchEnded) -> None:
        self._last_step = event.step
        self.panels.loss_plot.add_batches(event)
        self.panels.accuracy_plot.add_batch(event)
        self.panels.lr_plot.add_batch(event)
        done = min(event.step - self._first_step, self._total_steps)
        self.run_box.progress.setValue(done)
        elapsed = self.clock() - self._started_at
        eta = elapsed / max(1, done) * (self._total_steps - done)
        self.run_box.set_format(
            translate("RunEvents", "epoch {epoch} · {batch}/{batches}").format(
                epoch=event.epoch, batch=event.batch, batches=event.batches_per_epoch
            )
        )
        minutes, seconds = divmod(int(eta), 60)
        self.run_box.progress_detail.setText(
            translate("RunEvents", "{speed} images/s · loss {loss} · ETA {time}").format(
                speed=f"{event.images_per_second:,.0f}", loss=f"{event.loss:.4f}", time=f"{minutes}:{seconds:02d}"
            )
        )

    def _on_epoch(self, event: EpochEnded) -> None:
        panels, dataset = self.panels, self.session.dataset
        panels.loss_plot.add_epoch(event, self._last_step)
        panels.accuracy_plot.add_epoch(event, self._last_step)
        if event.calibration is not None:
            panels.calibration.diagram.show_calibration(event.calibration, event.epoch)
        if event.confusion is not None and dataset is not None:
            panels.show_confusion(event.confusion, dataset.class_names, event.epoch)
            wrong = event.misclassified[:32]
            panels.misclassified.show_examples(
                dataset.val.images[wrong].numpy(),
                dataset.val.labels[wrong].numpy(),
                event.misclassified_predictions[:32],
                dataset.class_names,
            )

    def _on_finished(self, event: Finished) -> None:
        self.session.set_result(lambda: finished_text(event))

    def _on_stopped(self, event: Stopped) -> None:
        self.session.set_result(
            lambda: translate("RunEvents", "<b>Stopped</b> at step {step}; the model keeps the weights it had.").format(
                step=event.step
            )
        )

    def _on_failed(self, event: Failed) -> None:
        reason = event.reason
        self.session.set_result(
            lambda: translate("RunEvents", "<b>Training failed:</b> {reason}").format(
                reason=html.escape(messages.translated(reason))
            ),
            "error",
        )
        title = translate("RunEvents", "Training failed")
        show_error(self.host, title, messages.translated(reason), messages.details(reason))


def finished_text(event: Finished) -> str:
    """The result line of a run that finished (rich text)."""
    accuracy = "—" if event.test_accuracy is None else f"{100 * event.test_accuracy:.2f}%"
    lines = [
        translate("RunEvents", "<b>Finished</b> ({reason}). Test accuracy {accuracy}").format(
            reason=html.escape(messages.translated(event.reason)), accuracy=accuracy
        )
    ]
    last = event.history[-1] if event.history else {}
    val = last.get("val_accuracy")
    if val is not None:
        lines.append(translate("RunEvents", "validation {accuracy}%").format(accuracy=f"{100 * val:.2f}"))
    lines.append(
        translate("RunEvents", "{seconds} s · {speed} images/s").format(
            seconds=f"{event.seconds:.1f}", speed=f"{event.images_per_second:,.0f}"
        )
    )
    device = messages.device_line(" · ".join(part for part in (event.device, event.features) if part))
    if device:
        lines.append(translate("RunEvents", "on {device}").format(device=device))
    return "<br>".join(lines)
