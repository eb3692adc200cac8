"""What a model costs on this machine, measured by running it rather than estimated: latency per image at batch 1
and at batch 64 (the median of timed runs after untimed warm-up runs, on a stated device with a stated number of
threads), the size of its model file (the real one, or one written with untrained weights for a spec) and the
memory its parameters and buffers take.

The shape inference of `model/shapes.py` says what a model should cost; this says what it does here. The CLI's
`summary --measure` and the Build tab's "Measure on this machine" both call `measure_cost`. The clock and the
number of runs are injected, so tests time a few runs on a clock of their own.

Devices are resolved by the caller (`training.config.resolve_device`, above this room); `device_words` says a
device, for a measurement and for a run (`training.config.describe_device` is this function).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from workbench.files.model_file import SavedModel, load_model, model_from_saved, save_model
from workbench.messages import say
from workbench.model.build import build_model
from workbench.model.formatting import human_bytes
from workbench.model.shape_rules import shape_text
from workbench.model.shapes import MAX_ACTIVATION_BYTES, infer
from workbench.model.spec import ModelSpec
from workbench.text import count, one_line

BATCH = 64  # the larger batch measured: throughput, where batch 1 is latency
REPEATS = 50  # timed runs at most, of each batch size
MIN_REPEATS = 5  # timed runs at least, however long they take
WARMUP = 3  # untimed runs of each batch size first (allocations, kernel choice, caches)
BUDGET_S = 3.0  # timed runs go on until this much time has passed (and MIN_REPEATS are done) or REPEATS are
# The largest batch of layer outputs measured: what the app already allows a batch of 8 of the largest model.
MAX_BATCH_BYTES = 8 * MAX_ACTIVATION_BYTES

Source = ModelSpec | SavedModel | str | os.PathLike


class CostError(ValueError):
    """The model cannot be measured; the message says why in one line."""


@dataclass(frozen=True)
class Latency:
    """Median milliseconds of a forward pass at batch 1 and at batch BATCH (None when it was not run)."""

    batch1_ms: float
    batch_ms: float | None
    repeats: int


@dataclass(frozen=True)
class Cost:
    """What running a model here cost. Times are medians in milliseconds; bytes are bytes."""

    batch1_ms: float  # one image alone
    batch64_ms: float | None  # a whole batch of 64 (None: not measured, see `note`)
    batch64_ms_per_image: float | None
    device: str  # in words: "CPU · 2 threads", "CUDA · NVIDIA H100 80GB HBM3"
    threads: int  # torch threads during the measurement
    repeats: int  # timed runs of each batch size
    parameters: int
    parameter_bytes: int  # parameters and buffers (BatchNorm's running statistics) in memory
    file_bytes: int  # the model file: the real one, or the one a spec would write (untrained weights)
    input_shape: tuple[int, ...]
    note: str = ""  # why batch 64 was not measured, if it was not

    def to_json(self) -> dict:
        data = asdict(self)
        data["input_shape"] = list(self.input_shape)
        return data

    def latency_text(self) -> str:
        """`0.42 ms per image at batch 1, 0.05 ms per image at batch 64 (3.1 ms per batch)`."""
        text = f"{milliseconds(self.batch1_ms)} ms per image at batch 1"
        if self.batch64_ms is None or self.batch64_ms_per_image is None:
            return f"{text}; batch {BATCH} not measured ({self.note})"
        return (
            f"{text}, {milliseconds(self.batch64_ms_per_image)} ms per image at batch {BATCH} "
            f"({milliseconds(self.batch64_ms)} ms per batch)"
        )

    def runs_text(self) -> str:
        return f"{self.device} · median of {count(self.repeats, 'run')}"

    def lines(self) -> list[str]:
        """What `summary --measure` prints under the table."""
        return [
            f"latency: {self.latency_text()} · {self.runs_text()}",
            f"size: model file {human_bytes(self.file_bytes)}, parameters {self.parameters:,} "
            f"({human_bytes(self.parameter_bytes)} in memory)",
        ]


def milliseconds(value: float) -> str:
    """A time in ms with about three significant figures, never in exponent form: 123, 12.3, 1.23, 0.0123."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}" if value > 0 else "0"


def device_words(device: torch.device, threads: int) -> str:
    """'CPU · 2 threads' or 'CUDA · NVIDIA H100'."""
    if device.type == "cuda":
        return f"CUDA · {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS"
    return f"CPU · {count(threads, 'thread')}"


def measure_cost(
    source: Source,
    input_shape: Iterable[int] | None = None,
    *,
    device: torch.device | str = "cpu",
    threads: int | None = None,
    repeats: int = REPEATS,
    min_repeats: int = MIN_REPEATS,
    warmup: int = WARMUP,
    budget_s: float = BUDGET_S,
    clock: Callable[[], float] = time.perf_counter,
    progress: Callable[[int, int], object] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Cost:
    """Run the model of `source` (a spec, with untrained weights; a SavedModel; or a model file's path) on random
    inputs of `input_shape` (default: the spec's input) and measure it. `threads`: torch threads for the measurement
    (default: the calling thread's count), the previous count restored after. Timed runs go on while `budget_s`
    lasts, at least `min_repeats` and at most `repeats` of each batch size; `progress(done, repeats)` after each.
    Raises a ValueError with the reason in one line: CostError (cannot run, cancelled), BuildError, ModelFileError."""
    if not 1 <= min_repeats <= repeats:
        raise CostError(f"repeats must be at least min_repeats and min_repeats at least 1 ({min_repeats}, {repeats})")
    spec, model, file_bytes = _model_and_file(source, input_shape)
    shape = tuple(input_shape) if input_shape is not None else tuple(spec.input)
    device, threads = _device_and_threads(device, threads)
    note = _batch_note(spec, shape)
    runs = {"repeats": repeats, "min_repeats": min_repeats, "warmup": warmup, "budget_s": budget_s, "clock": clock}
    with _threads(threads):
        batch = None if note else BATCH
        timed = latency(
            model.to(device), shape, device=device, batch=batch, progress=progress, cancelled=cancelled, **runs
        )
    return Cost(
        batch1_ms=timed.batch1_ms,
        batch64_ms=timed.batch_ms,
        batch64_ms_per_image=None if timed.batch_ms is None else timed.batch_ms / BATCH,
        device=device_words(device, threads),
        threads=threads,
        repeats=timed.repeats,
        parameters=sum(p.numel() for p in model.parameters()),
        parameter_bytes=sum(t.numel() * t.element_size() for t in (*model.parameters(), *model.buffers())),
        file_bytes=file_bytes,
        input_shape=shape,
        note=note,
    )


def _batch_note(spec, shape: tuple[int, ...]) -> str:
    """Why batch 64 is not measured ("" when it is): its layer outputs would pass MAX_BATCH_BYTES."""
    batch_bytes = BATCH * (infer(spec.with_input(shape)).activation_bytes + 4 * _numel(shape))
    return "" if batch_bytes <= MAX_BATCH_BYTES else say("cost.too_big", size=human_bytes(batch_bytes))


@contextlib.contextmanager
def _threads(threads: int):
    """torch's thread count set for the measurement, and the caller's put back after."""
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def _device_and_threads(device: torch.device | str, threads: int | None) -> tuple[torch.device, int]:
    """The device to measure on (CostError when it is a CUDA GPU this machine lacks) and the thread count
    (default: the calling thread's)."""
    device = torch.device(device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise CostError("no CUDA GPU is available here; measure on the CPU")
    threads = torch.get_num_threads() if threads is None else threads
    if threads < 1:
        raise CostError(f"threads must be at least 1, not {threads}")
    return device, threads


def latency(
    model: nn.Module,
    input_shape: Iterable[int],
    *,
    device: torch.device | str = "cpu",
    batch: int | None = BATCH,
    repeats: int = REPEATS,
    min_repeats: int = MIN_REPEATS,
    warmup: int = WARMUP,
    budget_s: float = BUDGET_S,
    clock: Callable[[], float] = time.perf_counter,
    progress: Callable[[int, int], object] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> Latency:
    """Median forward times of `model` (already on `device`) at batch 1 and at `batch` (None: batch 1 only), in
    eval mode without gradients. `warmup` untimed runs of each first; then a run of each per repeat, alternating, so
    both see the same machine, until `budget_s` has passed on `clock` (and `min_repeats` are done) or `repeats`
    are. On CUDA the device is synchronized before and after each timed run."""
    device = torch.device(device)
    shape = tuple(int(n) for n in input_shape)
    sync = _synchronizer(device)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            seeded = torch.Generator().manual_seed(0)  # the same inputs each time; the global generator untouched
            inputs = [torch.rand(n, *shape, generator=seeded).to(device) for n in ((1, batch) if batch else (1,))]
            for _ in range(warmup):
                for x in inputs:
                    _check(cancelled)
                    _forward(model, x)
            sync()
            times: list[list[float]] = [[] for _ in inputs]
            start = clock()
            while len(times[0]) < repeats:
                _check(cancelled)
                for x, series in zip(inputs, times, strict=True):
                    sync()
                    began = clock()
                    _forward(model, x)
                    sync()
                    series.append(clock() - began)
                if progress is not None:
                    progress(len(times[0]), repeats)
                if len(times[0]) >= min_repeats and clock() - start >= budget_s:
                    break
    finally:
        model.train(was_training)
    medians = [1000 * statistics.median(series) for series in times]
    return Latency(medians[0], medians[1] if batch else None, len(times[0]))


def _check(cancelled: Callable[[], bool]) -> None:
    if cancelled():
        raise CostError("the measurement was cancelled")


def _forward(model: nn.Module, x: torch.Tensor) -> None:
    """One forward pass; what keeps it from running (a layer that refuses the input, memory) in one line."""
    try:
        model(x)
    except (MemoryError, torch.OutOfMemoryError) as exc:
        raise CostError(f"out of memory running a batch of {x.shape[0]} ({one_line(str(exc), 160)})") from None
    except Exception as exc:
        raise CostError(
            f"the model fails to run on a batch of {x.shape[0]} × {shape_text(tuple(x.shape[1:]))}: "
            f"{type(exc).__name__}: {one_line(str(exc), 300)}"
        ) from None


def _synchronizer(device: torch.device) -> Callable[[], object]:
    if device.type == "cuda":
        return lambda: torch.cuda.synchronize(device)
    if device.type == "mps":
        return torch.mps.synchronize
    return lambda: None


def _numel(shape: tuple[int, ...]) -> int:
    total = 1
    for n in shape:
        total *= n
    return total


def _model_and_file(source: Source, input_shape: Iterable[int] | None) -> tuple[ModelSpec, nn.Module, int]:
    """The spec, the network (on the CPU) and the size of its model file."""
    if isinstance(source, ModelSpec):
        spec = source if input_shape is None else source.with_input(tuple(input_shape))
        model = build_model(spec)  # BuildError (a ValueError) names the layer that does not fit
        return spec, model, _written_size(SavedModel(spec=spec, state=model.state_dict()))
    if isinstance(source, SavedModel):
        return source.spec, model_from_saved(source), _written_size(source)
    path = Path(source)
    saved = load_model(path)
    return saved.spec, model_from_saved(saved), path.stat().st_size


def _written_size(saved: SavedModel) -> int:
    """The size of the model file `saved` makes, found by writing one (and removing it)."""
    with tempfile.TemporaryDirectory(prefix="workbench-cost-") as folder:
        path = Path(folder) / "model.cnnwb"
        save_model(path, saved)
        return path.stat().st_size
