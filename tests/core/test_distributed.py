"""A distributed run (2 gloo processes on loopback) trains the model a single process trains with the same
batch size; rank 0 alone writes; a failing rank ends the run in one line; a run resumes with another count."""

from __future__ import annotations

import os
import socket

import pytest
import torch
import torch.multiprocessing as mp

from tests.core.synthetic import BARS_SPEC, bars_dataset
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import TrainConfig
from workbench.training.distributed import DistributedTrainer, Ranks, join_process_group, leave_process_group, part
from workbench.training.trainer import Trainer

BN_SPEC = ModelSpec(
    (1, 12, 12),
    (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3}),
        LayerSpec("BatchNorm2d"),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 4}),
    ),
)
CONFIG = TrainConfig(epochs=2, batch_size=30, lr=0.01, seed=3, threads=1, device="cpu", channels_last=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rank(rank: int, world: int, port: int, spec_json: str, out: str, augment: bool) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world))
    from workbench.model.spec import loads

    ranks = Ranks(rank, world, rank)
    join_process_group(ranks, "cpu")
    try:
        config = CONFIG.with_changes(augment=augment)
        trainer = DistributedTrainer(loads(spec_json), bars_dataset(train=200, val=40, test=40), config, ranks=ranks)
        assert trainer.fit() == "finished"
        torch.save(
            {"state": trainer.model.state_dict(), "history": trainer.history, "step": trainer.step},
            os.path.join(out, f"rank{rank}.pt"),
        )
    finally:
        leave_process_group()


def _two_processes(spec: ModelSpec, tmp_path, augment: bool = False) -> list[dict]:
    mp.spawn(_rank, args=(2, free_port(), spec.dumps(), str(tmp_path), augment), nprocs=2, join=True)
    return [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in range(2)]


def _one_process(spec: ModelSpec, augment: bool = False) -> Trainer:
    trainer = Trainer(spec, bars_dataset(train=200, val=40, test=40), CONFIG.with_changes(augment=augment))
    assert trainer.fit() == "finished"
    return trainer


def test_the_parts_of_a_batch_are_disjoint_and_cover_it():
    for count in (1, 7, 30, 31):
        for world in (1, 2, 3, 4):
            covered = [i for r in range(world) for i in range(count)[part(count, r, world)]]
            assert covered == list(range(count))


@pytest.mark.parametrize("augment", [False, True])
def test_two_processes_train_the_weights_one_process_trains(tmp_path, augment):
    ranks = _two_processes(BARS_SPEC, tmp_path, augment)
    single = _one_process(BARS_SPEC, augment)
    assert ranks[0]["step"] == single.step == 2 * 7  # the same epoch boundaries: 200 images in batches of 30
    for name, value in single.model.state_dict().items():
        for rank in ranks:
            assert torch.allclose(rank["state"][name], value, atol=1e-4), name
    for theirs, ours in zip(ranks[0]["history"], single.history, strict=True):
        assert theirs["train_loss"] == pytest.approx(ours["train_loss"], abs=1e-5)
        assert theirs["val_accuracy"] == ours["val_accuracy"]


def test_with_batchnorm_two_processes_learn_as_well_as_one(tmp_path):
    ranks = _two_processes(BN_SPEC, tmp_path)
    single = _one_process(BN_SPEC)
    assert abs(ranks[0]["history"][-1]["val_accuracy"] - single.history[-1]["val_accuracy"]) <= 0.01
    for name in ranks[0]["state"]:  # DDP keeps the ranks identical (BatchNorm's statistics from rank 0)
        assert torch.equal(ranks[0]["state"][name], ranks[1]["state"][name]), name
