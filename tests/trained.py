"""Trained models the tests share: each is trained once per test session, whichever xdist worker asks first, and
saved as an ordinary model file beside the workers' temporary folders; the others wait on a lock and load it.

The `digits_model` fixture (tests/conftest.py: mnist-fast on the built-in digits, 8 epochs) needs no files; a test
must not change the file. `mnist_subset` and `train_mnist_fast` serve bench/bench_teach.py.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from workbench.data.datasets import Dataset, load_dataset
from workbench.files.model_file import SavedModel, load_model, save_model
from workbench.model import templates
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

MNIST_TRAIN_IMAGES = 10_000


def mnist_at_hand() -> bool:
    root = os.environ.get("WORKBENCH_DATA_DIR")
    return bool(root) and (Path(root) / "MNIST" / "raw").is_dir()


def train_mnist_fast(dataset: Dataset, **changes) -> SavedModel:
    config = TrainConfig(**{**templates.recipe("mnist-fast"), "seed": 0, "threads": 1, **changes})
    trainer = Trainer(templates.template("mnist-fast"), dataset, config)
    assert trainer.fit() == "finished"
    return trainer.saved_model()


def mnist_subset(images: int = MNIST_TRAIN_IMAGES) -> Dataset:
    """MNIST with its first `images` training images (validation and test splits whole)."""
    dataset = load_dataset("mnist", download=False)
    return replace(dataset, train=dataset.train.subset(torch.arange(images)))


def shared_model(folder: Path, name: str, train: Callable[[], SavedModel]) -> Path:
    """The model file `name` in `folder` (shared by the session's workers), trained by the first to ask."""
    path = folder / f"{name}.cnnwb"
    with open(folder / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the process dies
        if not path.exists():
            save_model(path, train())
    return path


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder above every xdist worker's base temp (one worker: its own base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def load_shared(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, SavedModel]:
    trainers = {"digits": lambda: train_mnist_fast(load_dataset("digits"), epochs=8)}
    path = shared_model(session_folder(tmp_path_factory), name, trainers[name])
    return path, load_model(path)
