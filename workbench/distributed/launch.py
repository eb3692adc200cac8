"""Start a command as the ranks of a distributed run through torchrun's own launcher (torch.distributed's
elastic agent, the engine behind `torchrun`), and turn a rank's failure into one line naming the rank.

The command is this app's CLI run again (`python -m workbench train …`) in each process; torchrun gives
each its RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous address, which `distributed.ranks_from_env` reads.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["LaunchError", "Placement", "launch", "process_choices", "report_failure"]

CPU_PROCESSES_VARIABLE = "WORKBENCH_CPU_PROCESSES"


class LaunchError(RuntimeError):
    """The distributed run ended with a failed rank; the message is one line naming it."""


@dataclass(frozen=True)
class Placement:
    """Where the ranks run: `nproc_per_node` processes on each of `nnodes` machines; this machine is number
    `node_rank`; the machines meet at `rdzv_endpoint` (HOST:PORT, the first machine; needed with nnodes > 1)."""

    nproc_per_node: int
    nnodes: int = 1
    node_rank: int = 0
    rdzv_endpoint: str | None = None

    def problem(self) -> str | None:
        if self.nproc_per_node < 1 or self.nnodes < 1:
            return "--nproc-per-node and --nnodes are at least 1"
        if not 0 <= self.node_rank < self.nnodes:
            return f"--node-rank is between 0 and {self.nnodes - 1} for {self.nnodes} machines"
        if self.nnodes > 1 and not self.rdzv_endpoint:
            return "several machines meet at one address: give --rdzv-endpoint HOST:PORT (the first machine's)"
        if self.rdzv_endpoint and ":" not in self.rdzv_endpoint:
            return f"--rdzv-endpoint is HOST:PORT, not {self.rdzv_endpoint!r}"
        return None


def launch(placement: Placement, argv: Sequence[str], monitor_interval: float = 0.5, module: str = "workbench") -> None:
    """Run `python -m MODULE ARGV…` as `nproc_per_node` ranks on this machine and wait for all of them;
    LaunchError (one line) when one fails, after the launcher has ended the others."""
    from torch.distributed.elastic.multiprocessing.errors import ChildFailedError
    from torch.distributed.launcher.api import LaunchConfig, elastic_launch

    problem = placement.problem()
    if problem is not None:
        raise LaunchError(problem)
    single = placement.nnodes == 1 and not placement.rdzv_endpoint
    config = LaunchConfig(
        min_nodes=placement.nnodes,
        max_nodes=placement.nnodes,
        nproc_per_node=placement.nproc_per_node,
        run_id=uuid.uuid4().hex if single else "workbench",
        rdzv_backend="c10d" if single else "static",
        rdzv_endpoint="localhost:0" if single else placement.rdzv_endpoint,  # localhost:0: any free port
        rdzv_configs={} if single else {"rank": placement.node_rank},
        max_restarts=0,
        monitor_interval=monitor_interval,
        start_method="spawn",
    )
    for name in ("torch.distributed.elastic", "torch.distributed.launcher"):
        logging.getLogger(name).setLevel(logging.CRITICAL)  # its own notes of each step; a failure is told below
    try:
        elastic_launch(config, sys.executable)("-m", module, *argv)
    except ChildFailedError as exc:
        raise LaunchError(failure_line(exc.failures)) from None


def culprit(failures: dict) -> int:
    """The rank that brought the run down: one killed by a signal other than the SIGTERM the launcher sends
    the rest (they fail for want of a peer), else one that said why it failed, earliest first, then the lowest."""

    def order(rank: int) -> tuple:
        failure = failures[rank]
        code = failure.exitcode if failure.exitcode is not None else 0
        killed = code < 0 and -code != signal.SIGTERM
        data = failure.error_file_data if isinstance(failure.error_file_data, dict) else {}
        told = code > 0 and bool(data)
        when = data.get("time_ns") if isinstance(data.get("time_ns"), int) else (failure.timestamp or 0) * 10**9
        return (not killed, not told, when, rank)

    return min(failures, key=order)


def failure_line(failures: dict) -> str:
    """'rank 1 was killed (signal SIGKILL)' for the rank that failed first (and how many others failed)."""
    rank = culprit(failures)
    failure = failures[rank]
    code = failure.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = str(-code)
        how = f"was killed (signal {name}{', out of memory?' if name == 'SIGKILL' else ''})"
    else:
        how = f"ended with exit code {code}"
    text = failure.message.get("message", "") if isinstance(failure.message, dict) else failure.message
    message = str(text or "").strip().splitlines()
    noise = ("To enable traceback", "Signal ")
    detail = f": {message[0][:300]}" if message and not message[0].startswith(noise) else ""
    others = f" ({len(failures) - 1} other rank(s) failed too)" if len(failures) > 1 else ""
    return f"rank {rank} {how}{detail}{others}; the run was ended on every rank"


def report_failure(message: str) -> None:
    """A rank's user-facing failure, written where torchrun's agent reads it (the launcher's one line then
    names the rank); on stderr outside a launched run. The time is also kept in nanoseconds, so that the rank
    that failed first is told from the ranks that failed a moment later for want of it."""
    path = os.environ.get("TORCHELASTIC_ERROR_FILE")
    if path:
        now = time.time_ns()  # torch reads whole seconds ("timestamp"); the order of ranks needs finer
        record = {"message": message, "timestamp": now // 1_000_000_000, "time_ns": now}
        with open(path, "w", encoding="utf-8") as file:
            json.dump(record, file)
    else:
        print(f"error: {message}", file=sys.stderr)


def process_choices(gpus: int | None = None) -> list[tuple[str, str, int]]:
    """The several-process ways to train that this machine offers, as (label, device, processes): "all GPUs
    (N)" with two or more CUDA GPUs; and, when the environment variable WORKBENCH_CPU_PROCESSES is N ≥ 2,
    "CPU × N processes", to try a distributed run (or show one) on a machine without GPUs."""
    if gpus is None:
        import torch

        gpus = torch.cuda.device_count() if torch.cuda.is_available() else 0
    choices = [(f"all GPUs ({gpus})", "cuda", gpus)] if gpus >= 2 else []
    try:
        cpu = int(os.environ.get(CPU_PROCESSES_VARIABLE, "0") or 0)
    except ValueError:
        cpu = 0
    if cpu >= 2:
        choices.append((f"CPU × {cpu} processes", "cpu", cpu))
    return choices
