"""The events a trainer emits about its run (started, a batch, an epoch, finished), each built from where the
trainer is. They are the run's whole outward face: the CLI's progress, the run store and the window read them."""

from __future__ import annotations

from workbench.events import BatchEnded, EpochEnded, Finished, RunStarted
from workbench.messages import say
from workbench.model.shapes import infer
from workbench.training.config import describe_device
from workbench.training.support import EpochMeter

__all__ = ["batch_ended", "epoch_ended", "epoch_row", "finished", "run_started"]


def run_started(trainer) -> RunStarted:
    inference, data = infer(trainer.spec), trainer.dataset
    return RunStarted(
        dataset=data.name,
        class_names=tuple(data.class_names),
        train_size=len(data.train),
        val_size=len(data.val),
        test_size=len(data.test),
        input_shape=tuple(data.input_shape),
        parameters=inference.total_params,
        macs=inference.total_macs,
        device=describe_device(trainer.device, trainer.threads),
        features=trainer.features(),
        config=trainer.config.to_json(),
        start_epoch=trainer.epoch + 1,
        epochs=trainer.config.epochs,
        batches_per_epoch=trainer.batches_per_epoch,
        start_step=trainer.step,
    )


def batch_ended(trainer, meter: EpochMeter, steps: tuple[int, ...], losses: tuple[float, ...]) -> BatchEnded:
    """The batches trained since the last report (`steps`, `losses`), at the batch the trainer is at."""
    return BatchEnded(
        epoch=trainer.epoch + 1,
        batch=trainer.batch_in_epoch,
        batches_per_epoch=trainer.batches_per_epoch,
        step=trainer.step,
        loss=losses[-1],
        accuracy=meter.accuracy,
        lr=trainer.lr(),
        images_per_second=meter.images_per_second,
        steps=steps,
        losses=losses,
    )


def epoch_row(trainer, meter: EpochMeter, val) -> dict:
    """The history's row of the epoch just closed (`val`: its validation result, None without a split)."""
    return {
        "epoch": trainer.epoch,
        "train_loss": meter.mean_loss,
        "train_accuracy": meter.accuracy,
        "val_loss": val.loss if val else None,
        "val_accuracy": val.accuracy if val else None,
        "seconds": meter.seconds,
        "images_per_second": meter.images_per_second,
        "lr": trainer.lr(),
    }


def epoch_ended(trainer, row: dict, val) -> EpochEnded:
    """The epoch's row with its validation confusion and the first 64 validation images it got wrong."""
    wrong = None
    if val is not None:
        wrong = (val.predictions != trainer.dataset.val.labels.numpy()).nonzero()[0][:64]
    return EpochEnded(
        epochs=trainer.config.epochs,
        confusion=val.confusion if val else None,
        misclassified=wrong,
        misclassified_predictions=None if wrong is None else val.predictions[wrong],
        calibration=val.calibration.to_json() if val is not None and val.calibration is not None else None,
        **row,
    )


def finished(trainer, seconds: float, test) -> Finished:
    """The run's end: its history, the test result (`test`, None without a test split) and totals."""
    history = trainer.history
    trained = sum(row.get("seconds") or 0.0 for row in history) or 1e-9
    images = sum((row.get("images_per_second") or 0.0) * (row.get("seconds") or 0.0) for row in history)
    epochs = trainer.config.epochs
    reason = trainer.stop_reason or (say("stop.epoch_done") if epochs == 1 else say("stop.epochs_done", count=epochs))
    return Finished(
        tuple(history),
        None if test is None else test.loss,
        None if test is None else test.accuracy,
        seconds,
        images / trained,
        reason=reason,
        device=describe_device(trainer.device, trainer.threads),
        features=trainer.features(),
    )
