"""One run across several processes with PyTorch's own engine: torchrun (torch.distributed.run) starts one
process per device, each a rank of the run, and DistributedDataParallel all-reduces the gradients.

How a run is split, so that N processes train the same model as one process would with the same batch
size: every rank holds the whole training split on its device and draws the same seeded permutation each
epoch (so the epochs have a single process's boundaries); of each batch, rank r trains on its own slice
(disjoint from the others'), its loss weighted so that the gradients DDP averages over the ranks are the
whole batch's. Without BatchNorm the weights then follow the single-process run to float rounding; with
it, each rank normalises with its own slice's statistics unless SyncBatchNorm (CUDA only) is asked for.

Rank 0 alone reports events, writes checkpoints and the model; every rank evaluates its slice of a split
and the results are gathered, so that all ranks reach the same decisions (target accuracy, patience);
decisions that depend on one process's clock or controls (time budget, stop, pause) are rank 0's,
broadcast to the others between batches.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from workbench.data.datasets import Dataset
from workbench.events import Notice, ignore
from workbench.insight.evaluate import Evaluation, evaluation_of
from workbench.model.build import compute_logits
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig, default_threads
from workbench.training.trainer import Trainer, TrainingError

__all__ = ["DistributedTrainer", "Ranks", "check_world", "part", "ranks_from_env", "threads_per_rank"]

STOP, GO, STILL_PAUSED, CHANGED, FAILED = 0, 1, 2, 3, 4  # rank 0's word between batches and after a save
DRIFT_LIMIT = 1e-5  # DDP's all-reduced gradients are the same on every rank: the weights stay equal
PAUSE_HEARTBEAT_S = 60.0  # well inside the collectives' timeout (30 minutes for gloo, 10 for nccl)


@dataclass(frozen=True)
class Ranks:
    rank: int  # 0 … world − 1 over all nodes
    world: int
    local_rank: int  # on this node: which device

    @property
    def main(self) -> bool:
        return self.rank == 0


def ranks_from_env() -> Ranks | None:
    """This process's place in a run started by torchrun (it sets RANK, WORLD_SIZE, LOCAL_RANK); None outside one."""
    try:
        rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    except (KeyError, ValueError):
        return None
    return Ranks(rank, world, int(os.environ.get("LOCAL_RANK", rank)))


def part(count: int, rank: int, world: int) -> slice:
    """Rank `rank`'s contiguous slice of `count` items: the slices of all ranks are disjoint and cover them."""
    return slice(count * rank // world, count * (rank + 1) // world)


class RankGroup:
    """What one rank of a DDP run answers where processes must agree (see `training.processes.Processes`).
    Rank 0 obeys the run's controls, decides a time budget by its clock and writes the files; every decision
    reaches the others as a word broadcast at the same point of the loop on every rank."""

    compile_refusal = "torch.compile is not used in a distributed run; training without it"

    def __init__(self, ranks: Ranks, *, sync_batchnorm: bool = False, pause_heartbeat: float | None = None) -> None:
        self.ranks, self.sync_batchnorm = ranks, sync_batchnorm
        self.pause_heartbeat = pause_heartbeat or PAUSE_HEARTBEAT_S
        self.main = ranks.main
        self.device = torch.device("cpu")
        self._empty_part = False

    def prepare(self, model: nn.Sequential, device: torch.device) -> nn.Sequential:
        self.device = device
        if not self.sync_batchnorm:
            return model
        if self.device.type != "cuda":
            raise TrainingError(
                "SyncBatchNorm works on CUDA GPUs only; on CPU each process normalises its own part of the batch "
                "(leave out --sync-batchnorm)"
            )
        return nn.SyncBatchNorm.convert_sync_batchnorm(model)  # swaps the modules in place, keeps the parameters

    def wrap(self, head: nn.Module) -> nn.Module:
        device_ids = [self.device.index] if self.device.type == "cuda" else None
        return DistributedDataParallel(head, device_ids=device_ids)

    def unwrap(self, forward: nn.Module, head: nn.Module) -> nn.Module:
        return head  # DDP holds the process group (see leave_process_group): the next fit wraps again

    def part(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
        mine = part(len(yb), self.ranks.rank, self.ranks.world)
        count = mine.stop - mine.start
        self._empty_part = count == 0
        if self._empty_part:  # a last batch smaller than the ranks: train on nothing, but take part in the all-reduce
            return xb[:2], yb[:2], 0.0
        return xb[mine], yb[mine], count * self.ranks.world / len(yb)

    def summed(self, stats: torch.Tensor) -> torch.Tensor:
        if self._empty_part:
            stats = stats * 0
        dist.all_reduce(stats)
        return stats

    def evaluate(self, model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, classes: int) -> Evaluation:
        for buffer in model.buffers():  # BatchNorm's statistics: rank 0's (each rank updated its own)
            dist.broadcast(buffer, src=0)
        mine = part(len(y), self.ranks.rank, self.ranks.world)
        logits = compute_logits(model, x[mine]).float().cpu()  # the logits: a final Softmax left out
        gathered: list[Any] = [None] * self.ranks.world
        dist.all_gather_object(gathered, logits)  # between this run's own processes
        return evaluation_of(torch.cat(gathered), y.cpu(), classes)

    def _word(self, word: int = GO) -> int:
        """Rank 0's `word` on every rank (what the others pass is overwritten)."""
        flag = torch.tensor([word], device=self.device if self.device.type == "cuda" else "cpu")
        dist.broadcast(flag, src=0)
        return int(flag.item())

    def agree(self, go: bool, changes: dict[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
        """Rank 0 says GO, STOP or CHANGED (the new settings follow); while it is paused, STILL_PAUSED every
        `pause_heartbeat` seconds (see wait_while_paused), so that no collective outlasts its timeout."""
        if self.main:
            word = STOP if not go else CHANGED if changes is not None else GO
            self._word(word)
        else:
            while (word := self._word()) == STILL_PAUSED:
                pass
        if word == CHANGED:
            settings = [changes]
            dist.broadcast_object_list(settings, src=0)  # plain values between our own processes
            changes = settings[0]
        return word != STOP, changes if word == CHANGED else None

    def wait_while_paused(self, control) -> None:
        while not control.wait_while_paused(self.pause_heartbeat):
            self._word(STILL_PAUSED)

    def rank0_reason(self, reason: str | None) -> str | None:
        stop = self._word(STOP if reason is not None else GO) == STOP
        if self.main:
            return reason
        return "rank 0 ended the run" if stop else None

    def saved(self, ok: bool) -> bool:
        return self._word(GO if ok else FAILED) == GO

    def after_fit(self, model: nn.Sequential) -> str | None:
        """DDP keeps the ranks' weights equal as long as every rank applies the same settings: a difference
        means they did not, and the run's results are not to be trusted."""
        drift = _weights_drift(model, self.device)
        if drift <= DRIFT_LIMIT:
            return None
        return (
            f"the processes' weights drifted apart (by up to {drift:.2e}) though DDP keeps them equal; "
            "the run's results are not to be trusted: train again"
        )

    def describe(self, features: list[str]) -> str:
        backend = dist.get_backend() if dist.is_initialized() else "?"
        return " · ".join([*(f for f in features if f != "compiled"), f"DDP × {self.ranks.world} ({backend})"])


def _weights_drift(model: nn.Module, device: torch.device) -> float:
    """The largest difference between a parameter on any rank and on rank 0."""
    largest = torch.zeros(1, device=device)
    with torch.no_grad():
        for parameter in model.parameters():
            reference = parameter.detach().clone()
            dist.broadcast(reference, src=0)
            largest = torch.maximum(largest, (parameter - reference).abs().max().reshape(1))
    dist.all_reduce(largest, op=dist.ReduceOp.MAX)
    return float(largest.item())


class DistributedTrainer(Trainer):
    """A Trainer that is one rank of a distributed run (the process group must be initialised: see
    `join_process_group`): the same loop, with a RankGroup as its `processes`. Rank 0 reports and writes; the
    other ranks get no listener, checkpoint or layer health. `sync_batchnorm` turns BatchNorm into
    SyncBatchNorm (CUDA only)."""

    def __init__(
        self,
        spec: ModelSpec,
        dataset: Dataset,
        config: TrainConfig | None = None,
        *,
        ranks: Ranks,
        sync_batchnorm: bool = False,
        pause_heartbeat: float | None = None,
        **kwargs: Any,
    ) -> None:
        self.ranks = ranks
        config = config or TrainConfig()
        if not ranks.main:
            kwargs.update(listener=ignore, checkpoint_path=None, health_interval=None)
        if sync_batchnorm and kwargs.get("health_interval") is not None:
            # a measurement is rank 0's alone, and SyncBatchNorm's forward would wait for the others
            kwargs["health_interval"] = None
            kwargs.get("listener", ignore)(Notice("layer health is not measured with SyncBatchNorm"))
        check_world(config.batch_size, ranks.world)
        group = RankGroup(ranks, sync_batchnorm=sync_batchnorm, pause_heartbeat=pause_heartbeat)
        super().__init__(spec, dataset, config, processes=group, **kwargs)


def join_process_group(ranks: Ranks, device: str) -> str:
    """Join the run's process group: nccl for CUDA devices, gloo otherwise. Returns the device this rank
    trains on ("cuda:<local rank>" when CUDA is asked for or chosen by "auto")."""
    cuda = device.startswith("cuda") or (device == "auto" and torch.cuda.is_available())
    if cuda:
        if torch.cuda.device_count() <= ranks.local_rank:
            raise TrainingError(
                f"rank {ranks.rank} needs GPU {ranks.local_rank} but this machine has {torch.cuda.device_count()}; "
                "start at most one process per GPU"
            )
        torch.cuda.set_device(ranks.local_rank)
        device = f"cuda:{ranks.local_rank}"
    elif device == "auto":
        device = "cpu"
    if not dist.is_initialized():
        # imported by DDP anyway; imported after the group exists, its functions would hold it (as the default of
        # their `group` argument) until the process exits, and leave_process_group could not close it
        importlib.import_module("torch.distributed.nn")
        dist.init_process_group("nccl" if cuda else "gloo")
    return device


def check_world(batch_size: int, world: int) -> None:
    """TrainingError unless each of `world` processes gets a part of every batch."""
    if batch_size < world:
        raise TrainingError(
            f"a batch of {batch_size} cannot be shared by {world} processes; make the batch size at least {world}"
        )


def threads_per_rank(threads: int | None) -> int:
    """A rank's CPU threads: the `threads` asked for, or a run's default (every core, or WORKBENCH_THREADS: see
    config.default_threads), shared by the ranks on this machine."""
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1") or 1)
    return max(1, (threads or default_threads()) // local)


def leave_process_group() -> None:
    """Leave the run's process group and close it. destroy_process_group only forgets the group: whatever still
    holds it keeps it open, and with a gloo group its worker threads, until the interpreter exits; a worker that is
    still letting go of the last collective's tensors then needs the GIL while the interpreter finalises, and the
    process aborts ("terminate called without an active exception"). Nothing holds the group past this call
    (join_process_group imports torch.distributed.nn first; DistributedTrainer.fit lets go of DDP), so the last
    reference, dropped here, closes it: its destructor waits for the workers, with the GIL released."""
    if not dist.is_initialized():
        return
    group = dist.group.WORLD
    dist.destroy_process_group()
    del group  # the last reference: the group closes now
