"""Small pieces of the training loop: per-epoch sums and the non-blocking loss read-back."""

from __future__ import annotations

import time
from collections.abc import Callable

import torch

Clock = Callable[[], float]  # seconds, monotonic: time.perf_counter, or a test's own


class EpochMeter:
    """Sums for one epoch plus the per-batch points not yet reported. `clock` tells the time (injected, so
    that tests decide when a report is due and when a time budget runs out)."""

    def __init__(self, clock: Clock = time.perf_counter) -> None:
        self.clock = clock
        self.started = clock()
        self.last_report = self.started
        self.loss_sum = 0.0
        self.correct = 0
        self.seen = 0
        self.batches = 0
        self._steps: list[int] = []
        self._losses: list[float] = []

    def add(self, step: int, loss: float, correct: int, size: int) -> None:
        self.loss_sum += loss
        self.correct += correct
        self.seen += size
        self.batches += 1
        self._steps.append(step)
        self._losses.append(loss)

    @property
    def unreported(self) -> int:
        """Batches added since the last `take_points`."""
        return len(self._steps)

    def report_due(self, interval: float) -> bool:
        """Whether `interval` seconds have passed since the last report (0: always; infinity: never)."""
        return self.clock() - self.last_report >= interval

    def take_points(self) -> tuple[tuple[int, ...], tuple[float, ...]]:
        points = (tuple(self._steps), tuple(self._losses))
        self._steps.clear()
        self._losses.clear()
        self.last_report = self.clock()
        return points

    @property
    def seconds(self) -> float:
        return self.clock() - self.started

    @property
    def accuracy(self) -> float:
        return self.correct / max(1, self.seen)

    @property
    def mean_loss(self) -> float:
        return self.loss_sum / max(1, self.batches)

    @property
    def images_per_second(self) -> float:
        return self.seen / max(1e-9, self.seconds)


def copy_to_cpu(stats: torch.Tensor):
    """Start copying two numbers to the CPU; return a function that waits for them."""
    if stats.device.type != "cuda":
        return lambda: stats.tolist()
    host = torch.empty(stats.shape, dtype=stats.dtype, pin_memory=True)
    host.copy_(stats, non_blocking=True)
    done = torch.cuda.Event()
    done.record()

    def wait() -> list[float]:
        done.synchronize()
        return host.tolist()

    return wait


def backup_buffers(buffers: list[torch.Tensor]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """BatchNorm running statistics (and counters) change in the forward pass, before the loss is known
    to be finite; keep a copy so a diverged batch can leave them as they were."""
    return [(b, b.detach().clone()) for b in buffers]


def restore_buffers(backup: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
    with torch.no_grad():
        for buffer, saved in backup:
            buffer.copy_(saved)
