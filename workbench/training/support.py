"""Small pieces of the training loop: whether a model and its data fit together (`check_fits`), the speed
settings (mixed precision, channels_last, warm-up), per-epoch sums and the non-blocking loss read-back."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import nullcontext

import torch
from torch import nn

from workbench.messages import say
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import infer

Clock = Callable[[], float]  # seconds, monotonic: time.perf_counter, or a test's own
MAX_BATCH_BYTES = 16 * 1024**3  # layer outputs of a training batch, forward and backward
TRAINING_COPIES = 3  # the outputs, their gradients and what autograd keeps besides, roughly


class TrainingError(ValueError):
    """The run cannot start (model and data do not fit together, bad settings); one-line message."""


def check_fits(spec, dataset, batch_size: int) -> None:
    """TrainingError unless `spec` can be trained on `dataset` in batches of `batch_size`: the input shape,
    a model that builds within the size budget, a batch's layer outputs, the class count, a training split."""
    data_shape = tuple(dataset.input_shape)
    if tuple(spec.input) != data_shape:
        raise TrainingError(
            say("train.input_shape", model=shape_text(spec.input), dataset=dataset.title, data=shape_text(data_shape))
        )
    inference = infer(spec)
    if inference.error is not None:
        raise TrainingError(say("train.cannot_build", error=inference.error.message))
    if inference.over_budget is not None:
        raise TrainingError(inference.over_budget)
    batch_bytes = TRAINING_COPIES * inference.activation_bytes * batch_size
    if batch_bytes > MAX_BATCH_BYTES:
        fits = max(1, MAX_BATCH_BYTES // (TRAINING_COPIES * inference.activation_bytes))
        raise TrainingError(say("train.batch_memory", batch=batch_size, gib=f"{batch_bytes / 1024**3:.1f}", fits=fits))
    out, classes = inference.output, len(dataset.class_names)
    if len(out) != 1 or out[0] != classes:
        raise TrainingError(say("train.class_count", outputs=shape_text(out), dataset=dataset.title, classes=classes))
    if len(dataset.train) == 0:
        raise TrainingError(say("train.empty_split"))


def mixed_precision(config, device: torch.device):
    """(a GradScaler or None, a function giving the autocast context): bf16 autocast on CUDA where supported,
    else float16 with a scaler; plain float32 elsewhere or when the config says no."""
    if not (config.mixed_precision and device.type == "cuda"):
        return None, nullcontext
    if torch.cuda.is_bf16_supported():
        return None, lambda: torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.amp.GradScaler("cuda"), lambda: torch.autocast("cuda", dtype=torch.float16)


def use_channels_last(config, device: torch.device, model: nn.Module) -> bool:
    """channels_last pays off for convolutions on CPU (oneDNN) and CUDA (cuDNN); elsewhere it does nothing."""
    has_conv = any(isinstance(module, nn.Conv2d) for module in model.modules())
    return config.channels_last and device.type in ("cpu", "cuda") and has_conv


def compile_forward(head: nn.Module, batch: torch.Tensor, autocast) -> tuple[nn.Module | None, str]:
    """torch.compile `head`, compiling it here on `batch` (forward and backward) so that a missing compiler or
    an unsupported platform shows up now: (the compiled module or None, the notice to show). The caller
    clears the gradients and restores BatchNorm's statistics afterwards."""
    started = time.perf_counter()
    try:
        compiled = torch.compile(head)
        with autocast():
            out = compiled(batch)
        out.float().sum().backward()
    except Exception as exc:  # torch raises many kinds here (no compiler, no triton, unsupported op)
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        return None, (
            f"torch.compile is not available here ({type(exc).__name__}: {first}); "
            "training without it. Turn off Compile to skip this attempt"
        )
    return compiled, f"torch.compile: the model compiled in {time.perf_counter() - started:.1f} s"


def warm_up() -> None:
    """Do torch's one-time lazy initialisation now (constructing the first optimizer imports
    torch._dynamo: about 1.4 s, partly holding the GIL). The app calls this while it loads the
    dataset, so that pressing Train does not freeze the window for a moment."""
    layer = nn.Conv2d(1, 1, 3)
    optimizer = torch.optim.Adam(layer.parameters())
    layer(torch.zeros(1, 1, 4, 4)).sum().backward()
    optimizer.step()


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
