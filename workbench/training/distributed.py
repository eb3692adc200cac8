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
from workbench.model.build import compute_logits, logits_model
from workbench.model.spec import ModelSpec
from workbench.training.config import LIVE_SETTINGS, TrainConfig
from workbench.training.evaluate import Evaluation, evaluation_of
from workbench.training.events import Notice, ignore
from workbench.training.trainer import CheckpointNotSaved, Trainer, TrainingError

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


class DistributedTrainer(Trainer):
    """A Trainer that is one rank of a distributed run (the process group must be initialised: see
    `join_process_group`). `sync_batchnorm` turns BatchNorm into SyncBatchNorm (CUDA only)."""

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
        self.ranks, self.pause_heartbeat = ranks, pause_heartbeat or PAUSE_HEARTBEAT_S
        config = config or TrainConfig()
        if not ranks.main:  # rank 0 reports and writes; the others only train
            kwargs.update(listener=ignore, checkpoint_path=None, health_interval=None)
        if sync_batchnorm and kwargs.get("health_interval") is not None:
            # a measurement is rank 0's alone, and SyncBatchNorm's forward would wait for the others
            kwargs["health_interval"] = None
            kwargs.get("listener", ignore)(Notice("layer health is not measured with SyncBatchNorm"))
        check_world(config.batch_size, ranks.world)
        super().__init__(spec, dataset, config, **kwargs)
        if sync_batchnorm:
            self._synchronise_batchnorm()
        self._forward = self._data_parallel()
        self._empty_part = False

    def _data_parallel(self) -> DistributedDataParallel:
        device_ids = [self.device.index] if self.device.type == "cuda" else None
        return DistributedDataParallel(self._head, device_ids=device_ids)

    def _synchronise_batchnorm(self) -> None:
        if self.device.type != "cuda":
            raise TrainingError(
                "SyncBatchNorm works on CUDA GPUs only; on CPU each process normalises its own part of the batch "
                "(leave out --sync-batchnorm)"
            )
        nn.SyncBatchNorm.convert_sync_batchnorm(self.model)  # swaps the modules in place, keeps the parameters
        self._head = logits_model(self.model)
        self._buffers = list(self.model.buffers())

    def fit(self) -> str:
        """Train (see Trainer.fit), then check that the ranks still hold the same weights: DDP keeps them equal
        as long as every rank applies the same settings, so a difference means they did not. DDP is let go of
        at the end, for it holds the process group (see leave_process_group); another fit wraps the model again."""
        if self._forward is self._head:
            self._forward = self._data_parallel()
        try:
            outcome = super().fit()
            if outcome != "failed":
                drift = self._weights_drift()
                if drift > DRIFT_LIMIT:
                    self._fail(
                        f"the processes' weights drifted apart (by up to {drift:.2e}) though DDP keeps them equal; "
                        "the run's results are not to be trusted: train again"
                    )
                    return "failed"
            return outcome
        finally:
            self._forward = self._head

    def _weights_drift(self) -> float:
        """The largest difference between a parameter on any rank and on rank 0."""
        largest = torch.zeros(1, device=self.device)
        with torch.no_grad():
            for parameter in self.model.parameters():
                reference = parameter.detach().clone()
                dist.broadcast(reference, src=0)
                largest = torch.maximum(largest, (parameter - reference).abs().max().reshape(1))
        dist.all_reduce(largest, op=dist.ReduceOp.MAX)
        return float(largest.item())

    def features(self) -> str:
        backend = dist.get_backend() if dist.is_initialized() else "?"
        inherited = [p for p in super().features().split(" · ") if p and p != "compiled"]  # DDP is not compiling
        return " · ".join([*inherited, f"DDP × {self.ranks.world} ({backend})"])

    # ----- the step -------------------------------------------------------------------------------------

    def _this_process_part(self, xb: torch.Tensor, yb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
        mine = part(len(yb), self.ranks.rank, self.ranks.world)
        count = mine.stop - mine.start
        self._empty_part = count == 0
        if self._empty_part:  # a last batch smaller than the ranks: train on nothing, but take part in the all-reduce
            return xb[:2], yb[:2], 0.0
        return xb[mine], yb[mine], count * self.ranks.world / len(yb)

    def _summed_over_processes(self, stats: torch.Tensor) -> torch.Tensor:
        if self._empty_part:
            stats = stats * 0
        dist.all_reduce(stats)
        return stats

    def _compile(self) -> None:
        if self.config.compile:
            self.listener(Notice("torch.compile is not used in a distributed run; training without it"))

    # ----- evaluation, gathered --------------------------------------------------------------------------

    def _evaluate_split(self, name: str) -> Evaluation:
        for buffer in self.model.buffers():  # BatchNorm's statistics: rank 0's (each rank updated its own)
            dist.broadcast(buffer, src=0)
        x, y = self._split(name)
        mine = part(len(y), self.ranks.rank, self.ranks.world)
        logits = compute_logits(self.model, x[mine]).float().cpu()  # the logits: a final Softmax left out
        gathered: list[Any] = [None] * self.ranks.world
        dist.all_gather_object(gathered, logits)  # between this run's own processes
        return evaluation_of(torch.cat(gathered), y.cpu(), self.num_classes)

    # ----- rank 0 decides ----------------------------------------------------------------------------------

    def _rank0_word(self, word: int = GO) -> int:
        """Rank 0's `word` on every rank (what the others pass is overwritten)."""
        flag = torch.tensor([word], device=self.device if self.device.type == "cuda" else "cpu")
        dist.broadcast(flag, src=0)
        return int(flag.item())

    def _rank0_says(self, verdict: bool) -> bool:
        return self._rank0_word(GO if verdict else STOP) == GO

    def _between_batches(self, meter) -> bool:
        """Rank 0 obeys its controls (stop, pause, settings changed while paused) and tells the others,
        which wait for its word: GO, STOP, CHANGED (then the new settings follow) or, every
        `pause_heartbeat` seconds of a pause, STILL_PAUSED, so that no collective outlasts its timeout."""
        if self.ranks.main:
            before = self.config
            go = super()._between_batches(meter)  # waits while paused: see _wait_for_resume
            word = STOP if not go else CHANGED if self.config != before else GO
            self._rank0_word(word)
            if word == CHANGED:
                dist.broadcast_object_list([self._live_settings()], src=0)  # plain values between our processes
            return go
        while (word := self._rank0_word()) == STILL_PAUSED:
            pass
        if word == CHANGED:
            settings = [None]
            dist.broadcast_object_list(settings, src=0)
            self.request_changes(**settings[0])
            self._apply_pending()
        return word != STOP

    def _wait_for_resume(self) -> None:
        while not self.control.wait_while_paused(self.pause_heartbeat):
            self._rank0_word(STILL_PAUSED)

    def _live_settings(self) -> dict[str, Any]:
        return {name: getattr(self.config, name) for name in LIVE_SETTINGS}

    def _check_time(self, meter) -> None:
        if self.ranks.main:
            super()._check_time(meter)
        self._follow_rank0_stop()

    def _end_epoch(self, meter, val=None) -> None:
        super()._end_epoch(meter, val)
        self._follow_rank0_stop()

    def _save_checkpoint(self) -> None:
        """Rank 0 writes; then every rank hears whether it could, so that a failed write ends the run on every
        rank at the same point (rank 0 alone failing would leave the others waiting in a collective)."""
        try:
            super()._save_checkpoint()  # the other ranks have no checkpoint path: nothing to write
        except CheckpointNotSaved:
            self._rank0_word(FAILED)
            raise
        if self._rank0_word(GO) == FAILED:
            raise CheckpointNotSaved("rank 0 could not save the checkpoint; the run ended on every process")

    def _follow_rank0_stop(self) -> None:
        stop = self._rank0_says(self.stop_reason is not None)
        if not self.ranks.main:
            self.stop_reason = "rank 0 ended the run" if stop else None

    def _maybe_probe(self, force: bool = False) -> None:
        if self.ranks.main:
            super()._maybe_probe(force)


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
    """A rank's CPU threads: the node's (or the `threads` asked for) shared by the ranks on it."""
    local = int(os.environ.get("LOCAL_WORLD_SIZE", "1") or 1)
    return max(1, (threads or os.cpu_count() or 1) // local)


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
