"""A run's checkpoint: everything needed to continue it exactly (weights, optimizer, schedule, RNG states, the
epoch and batch counters, the history), written at each epoch's end and on stop, read to resume.

Checkpoints are model files of kind "checkpoint" (`files/model_file.py`: no pickle), their resume state in
`extra`, whose fields' kinds are declared in `files/schema.py` (ResumeState). A write is atomic: one that
fails leaves the last good checkpoint as it was, and ends the run with `CheckpointNotSaved`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from workbench.files.model_file import SavedModel, load_model, save_model
from workbench.text import printable
from workbench.training.config import TrainConfig
from workbench.training.support import TrainingError

__all__ = ["CheckpointNotSaved", "read_checkpoint", "restore", "resume_state", "write_checkpoint"]


class CheckpointNotSaved(Exception):
    """Writing the checkpoint failed (a full disk, a folder gone); the message says why."""


def write_checkpoint(path: str, saved: SavedModel, step: int) -> None:
    """Write `saved` (its extra: `resume_state`) to `path` atomically; CheckpointNotSaved if the system refuses."""
    try:
        save_model(path, saved, kind="checkpoint")
    except OSError as exc:
        raise CheckpointNotSaved(
            f"cannot save the checkpoint at step {step} ({printable(exc.strerror or str(exc))}); "
            "make room on the disk or choose another folder"
        ) from None


def resume_state(trainer) -> dict[str, Any]:
    """What `restore` needs besides the weights and history, from a Trainer between two steps."""
    state = {
        "optimizer": trainer.optimizer.state_dict(),
        "schedule": trainer.schedule.state_dict(),
        "epoch": trainer.epoch,
        "step": trainer.step,
        "batch_in_epoch": trainer.batch_in_epoch,
        "epoch_shuffle_state": trainer.epoch_shuffle_state,
        "torch_rng": torch.get_rng_state(),
    }
    if trainer.device.type == "cuda":
        state["cuda_rng"] = torch.cuda.get_rng_state(trainer.device)
    if trainer.scaler is not None:
        state["scaler"] = trainer.scaler.state_dict()
    return state


def read_checkpoint(path: str, epochs: int | None, machine: dict | None) -> tuple[SavedModel, TrainConfig]:
    """The checkpoint at `path` and the settings to go on with: its own, with `epochs` (the new total) and
    `machine` (where it runs now: device, threads) changed if given."""
    saved = load_model(path, kind="checkpoint")
    config = TrainConfig.from_json(saved.train_config)
    if epochs is not None:
        config = config.with_changes(epochs=epochs)
    if machine:
        config = config.with_changes(**machine)
    return saved, config


def restore(trainer, saved: SavedModel, path: str) -> None:
    """Put `trainer` (built on the weights of the checkpoint at `path`) where the checkpoint stopped. The fields'
    kinds were checked on load; what torch checks (the optimizer's groups against the model, the RNG states'
    sizes) and what a checkpoint must hold are refused as a damaged training state (TrainingError)."""
    extra = saved.extra
    try:
        trainer.optimizer.load_state_dict(extra["optimizer"])
        trainer.schedule.load_state_dict(extra["schedule"])
        trainer.epoch, trainer.step, trainer.batch_in_epoch = extra["epoch"], extra["step"], extra["batch_in_epoch"]
        trainer.epoch_shuffle_state = extra["epoch_shuffle_state"].to(torch.uint8)
        torch.set_rng_state(extra["torch_rng"].to(torch.uint8))
        if "cuda_rng" in extra and trainer.device.type == "cuda":
            torch.cuda.set_rng_state(extra["cuda_rng"].to(torch.uint8), trainer.device)
        if "scaler" in extra and trainer.scaler is not None:
            trainer.scaler.load_state_dict(extra["scaler"])
    except (KeyError, ValueError, TypeError, RuntimeError, AttributeError, OverflowError) as exc:
        raise TrainingError(
            f"the checkpoint's training state is damaged ({printable(str(exc))}); start a new run"
        ) from None
    trainer.history = list(saved.history)
    if trainer.checkpoint_path and Path(trainer.checkpoint_path) == Path(path):
        trainer.checkpoint_epoch = trainer.epoch  # until a new one is written, the last good one is this
