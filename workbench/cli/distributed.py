"""`train … --nproc-per-node N`: the same run through torchrun, one process per device.

Without RANK in the environment, `train` with --nproc-per-node launches itself N times through torchrun's
launcher (`workbench.distributed.launch`) and waits; each copy finds RANK set and runs as one rank of the run
(`workbench.distributed.ranks`). `torchrun --nproc-per-node N -m workbench train …` works as well.
A rank that fails writes its one-line reason where torchrun's agent reads it, so the launching process
shows exactly one line naming the rank.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.common import CommandError
from workbench.distributed.launch import LaunchError, Placement, launch, report_failure
from workbench.distributed.ranks import Ranks, join_process_group, ranks_from_env, threads_per_rank

EXIT_RANK_FAILED = 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("distributed (torchrun, DistributedDataParallel)")
    group.add_argument("--nproc-per-node", type=int, help="processes on this machine: one per GPU, or CPU processes")
    group.add_argument("--nnodes", type=int, default=1, help="machines in the run (default 1)")
    group.add_argument("--node-rank", type=int, default=0, help="this machine's number, 0 … nnodes-1")
    group.add_argument("--rdzv-endpoint", help="HOST:PORT where the machines meet (the first machine's)")
    group.add_argument("--sync-batchnorm", action="store_true", help="BatchNorm statistics over all ranks (CUDA)")


def wants_launch(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "nproc_per_node", None)) and ranks_from_env() is None


def launch_ranks(args: argparse.Namespace, argv: list[str], checkpoint: Path) -> int:
    """Run `argv` (this `train` command) as the ranks of a distributed run; one line if a rank fails."""
    placement = Placement(args.nproc_per_node, args.nnodes, args.node_rank, args.rdzv_endpoint)
    try:
        launch(placement, argv)
    except LaunchError as exc:
        kept = f"; the last checkpoint is {checkpoint} (continue with --resume {checkpoint.parent})"
        raise CommandError(f"{exc}{kept if checkpoint.is_file() else ''}") from None
    return 0


def as_rank(args: argparse.Namespace) -> Ranks | None:
    """In a rank of a distributed run: join its process group and set this rank's device and threads."""
    ranks = ranks_from_env()
    if ranks is None:
        return None
    args.device = join_process_group(ranks, args.device)
    args.threads = threads_per_rank(args.threads)  # the node's cores, shared
    return ranks


def report_rank_failure(message: str) -> int:
    """A rank's user-facing failure, for the launcher to show naming the rank (see launch.report_failure)."""
    report_failure(message)
    return EXIT_RANK_FAILED
