"""What a model costs on this machine (`workbench.insight.cost`, `summary --measure`): figures that come from
running the model, on an injected clock where the logic is checked, with few runs where real time is taken."""

from __future__ import annotations

import json
from functools import partial

import pytest
import torch
from torch import nn

import workbench.insight.cost as cost_module
from tests.core.hostile import assert_one_error_line, run_cli
from workbench.cli import summary as cli_summary
from workbench.files.model_file import SavedModel, save_model
from workbench.insight.cost import BATCH, CostError, device_words, latency, measure_cost, milliseconds
from workbench.model import templates
from workbench.model.build import build_model
from workbench.model.formatting import human_bytes
from workbench.model.shapes import infer
from workbench.model.spec import from_json

FEW = {"repeats": 5, "min_repeats": 3, "warmup": 1, "budget_s": 0.1}  # a real clock, few runs
MNIST = templates.template("mnist-classic")


def spec_of(layers: list[dict], shape=(1, 28, 28)):
    return from_json({"format": "cnn-workbench.model", "version": 1, "input": list(shape), "layers": layers})


SMALL = spec_of([{"type": "Flatten"}, {"type": "Linear", "out_features": 10}], (1, 8, 8))
BIG = spec_of(
    [
        {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1},
        {"type": "ReLU"},
        {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 10},
    ]
)
WITH_BUFFERS = spec_of(
    [
        {"type": "Conv2d", "out_channels": 4, "kernel_size": 3},
        {"type": "BatchNorm2d"},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 3},
    ],
    (1, 6, 6),
)


class FakeClock:
    """Seconds that pass only when a `Ticking` model runs (or by `step` per reading)."""

    def __init__(self, step: float = 0.0) -> None:
        self.now, self.step, self.readings = 0.0, step, []

    def __call__(self) -> float:
        self.now += self.step
        self.readings.append(self.now)
        return self.now


class Ticking(nn.Module):
    """A model whose forward passes take the seconds listed per batch size on a FakeClock."""

    def __init__(self, clock: FakeClock, seconds: dict[int, list[float]]) -> None:
        super().__init__()
        self.clock, self.seconds, self.calls = clock, {n: iter(s) for n, s in seconds.items()}, []
        self.modes: set[tuple[bool, bool]] = set()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls.append(x.shape[0])
        self.modes.add((self.training, torch.is_grad_enabled()))
        self.clock.now += next(self.seconds[x.shape[0]])
        return x


def ticking(clock: FakeClock, batch1: list[float], batch64: list[float], warmup: int) -> Ticking:
    slow = [1000.0] * warmup  # warm-up runs are slow: were one timed, the budget would end the runs at once
    return Ticking(clock, {1: slow + batch1, BATCH: slow + batch64})


def test_warm_up_runs_are_not_timed_and_the_median_is_taken():
    clock = FakeClock()
    model = ticking(clock, [0.003, 0.001, 0.002, 0.100, 0.002], [0.064] * 5, warmup=2)
    timed = latency(model, (1, 2, 2), repeats=5, min_repeats=2, warmup=2, budget_s=10.0, clock=clock)
    assert model.calls[:4] == [1, BATCH, 1, BATCH]  # warm-up first, each batch size
    assert model.calls[4:] == [1, BATCH] * 5  # then alternating timed runs
    assert timed.repeats == 5
    assert timed.batch1_ms == pytest.approx(2.0)  # median of 3, 1, 2, 100, 2 ms
    assert timed.batch_ms == pytest.approx(64.0)
    assert model.modes == {(False, False)}  # in eval mode, without gradients
    assert model.training  # and put back as it was


def test_runs_go_on_until_the_budget_is_spent_but_at_least_the_minimum():
    clock = FakeClock()
    model = ticking(clock, [0.5] * 10, [0.5] * 10, warmup=1)
    timed = latency(model, (1, 2, 2), repeats=10, min_repeats=3, warmup=1, budget_s=1.0, clock=clock)
    assert timed.repeats == 3  # the budget was spent after the first repeat, the minimum is 3
    clock = FakeClock()
    model = ticking(clock, [0.001] * 10, [0.001] * 10, warmup=1)
    progress = []
    timed = latency(
        model,
        (1, 2, 2),
        repeats=4,
        min_repeats=1,
        warmup=1,
        budget_s=60.0,
        clock=clock,
        progress=lambda *a: progress.append(a),
    )
    assert timed.repeats == 4 and progress == [(1, 4), (2, 4), (3, 4), (4, 4)]  # at most `repeats`


def test_a_cancelled_measurement_stops_with_one_line():
    with pytest.raises(CostError, match="cancelled"):
        measure_cost(SMALL, cancelled=lambda: True, **FEW)
    with pytest.raises(CostError, match="min_repeats"):
        measure_cost(SMALL, repeats=2, min_repeats=3)


def test_the_figures_come_from_the_injected_clock_and_the_threads_are_put_back():
    before = torch.get_num_threads()
    cost = measure_cost(MNIST, threads=1, repeats=4, min_repeats=2, warmup=1, budget_s=60.0, clock=FakeClock(0.001))
    assert torch.get_num_threads() == before
    assert (cost.batch1_ms, cost.batch64_ms) == (pytest.approx(1.0), pytest.approx(1.0))  # one reading apart
    assert cost.batch64_ms_per_image == pytest.approx(1.0 / BATCH)
    assert cost.repeats == 4 and cost.threads == 1
    assert cost.device == "CPU · 1 thread" == device_words(torch.device("cpu"), 1)
    assert cost.parameters == 21_840 and cost.input_shape == (1, 28, 28)
    assert json.loads(json.dumps(cost.to_json()))["batch1_ms"] == pytest.approx(1.0)


def test_a_bigger_model_measures_slower_than_a_tiny_one():
    small, big = (measure_cost(spec, threads=1, **FEW) for spec in (SMALL, BIG))
    assert big.batch64_ms > 5 * small.batch64_ms, (big, small)
    assert big.batch1_ms > small.batch1_ms, (big, small)
    # A batch shares the fixed cost of a call: for the tiny model batch 1 is nearly all call (50 times the
    # per-image figure here); the big one's convolutions gain about 2 times, too little to hold under load
    assert small.batch64_ms_per_image * 4 < small.batch1_ms, small


def test_a_model_file_is_measured_with_its_own_size_and_its_buffers(tmp_path):
    model = build_model(WITH_BUFFERS)
    path = tmp_path / "m.cnnwb"
    save_model(path, SavedModel(spec=WITH_BUFFERS, state=model.state_dict(), class_names=("a", "b", "c")))
    cost = measure_cost(path, threads=1, **FEW)
    assert cost.file_bytes == path.stat().st_size
    assert cost.parameters == sum(p.numel() for p in model.parameters())
    tensors = list(model.state_dict().values())  # weights and BatchNorm's running statistics and count
    assert cost.parameter_bytes == sum(t.numel() * t.element_size() for t in tensors)
    assert cost.parameter_bytes > 4 * cost.parameters  # the buffers count too
    from_spec = measure_cost(WITH_BUFFERS, threads=1, **FEW)  # the file a spec would write: written, measured
    assert abs(from_spec.file_bytes - cost.file_bytes) < 512  # the same weights' sizes, fewer class names
    assert from_spec.parameter_bytes == cost.parameter_bytes


def test_a_model_that_cannot_run_is_one_line(tmp_path):
    path = tmp_path / "m.cnnwb"
    save_model(path, SavedModel(spec=WITH_BUFFERS, state=build_model(WITH_BUFFERS).state_dict()))
    with pytest.raises(CostError, match="fails to run on a batch of 1 × 3×6×6") as caught:
        measure_cost(path, input_shape=(3, 6, 6), **FEW)
    assert "\n" not in str(caught.value)
    with pytest.raises(ValueError, match="kernel 8 does not fit"):  # BuildError, named by shape inference
        measure_cost(spec_of([{"type": "MaxPool2d", "kernel_size": 8}], (1, 4, 4)), **FEW)


def test_a_batch_too_large_for_memory_is_not_run_and_says_so(monkeypatch):
    monkeypatch.setattr(cost_module, "MAX_BATCH_BYTES", 1024)
    cost = measure_cost(SMALL, threads=1, **FEW)
    assert cost.batch64_ms is None and cost.batch64_ms_per_image is None and cost.batch1_ms > 0
    needed = human_bytes(BATCH * (4 * 64 + infer(SMALL).activation_bytes))  # the inputs and every layer's outputs
    assert cost.note == f"it would take {needed} of layer outputs" == "it would take 34.50 KB of layer outputs"
    assert cost.lines()[0].startswith("latency: ") and f"; batch 64 not measured ({cost.note})" in cost.lines()[0]


def test_milliseconds_keep_three_figures_without_exponents():
    assert [milliseconds(v) for v in (1234.5, 56.01, 3.104, 0.4213, 0.00423, 0)] == [
        "1234",
        "56.0",
        "3.10",
        "0.421",
        "0.00423",
        "0",
    ]


# ---------------------------------------------------------------- the CLI


@pytest.fixture
def few_runs(monkeypatch):
    monkeypatch.setattr(cli_summary, "measure_cost", partial(measure_cost, **FEW))


def test_summary_of_a_spec_measures_it(capsys, tmp_path, few_runs):
    path = tmp_path / "m.json"
    path.write_text(MNIST.dumps())
    code, out, err = run_cli(["summary", str(path), "--measure", "--device", "cpu", "--threads", "1"], capsys)
    assert code == 0, err
    assert "Total params: 21,840" in out
    latency_line, size_line = out.splitlines()[-2:]
    assert latency_line.startswith("latency: ") and "ms per image at batch 1, " in latency_line
    assert latency_line.endswith("· CPU · 1 thread · median of 5 runs")
    assert size_line.startswith("size: model file ") and "parameters 21,840 (85.31 KB in memory)" in size_line


def test_summary_of_a_model_file_with_json(capsys, tmp_path, few_runs):
    path = tmp_path / "m.cnnwb"
    save_model(path, SavedModel(spec=WITH_BUFFERS, state=build_model(WITH_BUFFERS).state_dict()))
    code, out, _ = run_cli(["summary", str(path)], capsys)  # a model file without --measure: its spec's table
    assert code == 0 and "Total params" in out and "latency" not in out
    code, out, err = run_cli(["summary", str(path), "--measure", "--json", "--device", "cpu", "--threads", "1"], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert data["cost"]["file_bytes"] == path.stat().st_size
    assert data["cost"]["device"] == "CPU · 1 thread" and data["cost"]["repeats"] == 5
    assert data["cost"]["batch1_ms"] > 0 and data["cost"]["parameters"] == data["total_params"]


def test_what_cannot_be_measured_is_one_error_line(capsys, tmp_path, few_runs):
    bad = tmp_path / "bad.json"
    bad.write_text(spec_of([{"type": "MaxPool2d", "kernel_size": 8}], (1, 4, 4)).dumps())
    damaged = tmp_path / "damaged.cnnwb"
    damaged.write_bytes(b"not a zip")
    good = tmp_path / "m.json"
    good.write_text(SMALL.dumps())
    cases = [
        (["summary", str(bad), "--measure"], "kernel 8 does not fit"),
        (["summary", str(damaged), "--measure"], "damaged.cnnwb"),
        (["summary", str(good), "--measure", "--threads", "0"], "--threads must be at least 1"),
        (["summary", str(tmp_path / "missing.cnnwb"), "--measure"], "missing.cnnwb"),
    ]
    if not torch.cuda.is_available():
        cases.append((["summary", str(good), "--measure", "--device", "cuda"], "no CUDA GPU"))
    for argv, message in cases:
        code, _, err = run_cli(argv, capsys)
        assert_one_error_line(code, err, argv)
        assert message in err, (argv, err)
