"""Time to 99% MNIST test accuracy: the app's engine (CLI path, and inside the app with every panel
live) against a bare PyTorch loop with the same model and recipe, in back-to-back pairs.

    .venv/bin/python bench/bench_99.py [--device auto|cpu|cuda] [--pairs 3] [--no-app]

The model is the `mnist-fast` template and the recipe its recommended settings (Adam, one-cycle with
peak lr 0.01, label smoothing 0.1, batch 128, one epoch, channels_last; on CUDA bf16 autocast and
cuDNN benchmark for both). The bare loop is what a PyTorch user writes: the whole training set
(60,000 images) as one tensor on the device, a seeded permutation sliced into batches, then one
pass over the test set; its time includes that test pass. The engine runs as its users get it: 54,000
images to train on and 6,000 held out for validation, checked at the epoch's end, with events, the
probe and checkpoints; its time is `Finished.seconds` (the whole `fit`, test pass included).
`--bare-data same` trains the bare loop on the engine's 54,000 instead.

Prints every run (seconds, test accuracy) and the median of the pair ratios engine/bare and
app/bare (targets: accuracy ≥ 99.0%, ratio ≤ 1.0). Ratios of pairs, not of medians: throughput
here drifts by ±20% between runs, and a pair shares the drift.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext, redirect_stdout
from io import StringIO
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import torch

from workbench.cli.main import main as cli_main
from workbench.data.datasets import Dataset, iterate_batches, load_dataset, to_device
from workbench.model import templates
from workbench.model.build import build_model
from workbench.training.config import TrainConfig, resolve_device

TEMPLATE = "mnist-fast"


def recipe() -> TrainConfig:
    return TrainConfig(**templates.RECIPES[TEMPLATE])


def bare_loop(dataset: Dataset, config: TrainConfig, device: torch.device, data: str) -> tuple[float, float]:
    """(seconds, test accuracy) of the recipe in plain PyTorch."""
    torch.manual_seed(config.seed)
    model = build_model(templates.template(TEMPLATE)).to(device).to(memory_format=torch.channels_last)
    train = dataset.train if data == "same" else _concat(dataset.train, dataset.val)
    x, y = to_device(train, dataset.mean, dataset.std, device)
    tx, ty = to_device(dataset.test, dataset.mean, dataset.std, device)
    x, tx = (t.contiguous(memory_format=torch.channels_last) for t in (x, tx))
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    steps = -(-len(x) // config.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config.lr, total_steps=steps)
    autocast = (lambda: torch.autocast("cuda", dtype=torch.bfloat16)) if device.type == "cuda" else nullcontext
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    generator = torch.Generator().manual_seed(config.seed)
    _sync(device)
    started = time.perf_counter()
    for xb, yb in iterate_batches(x, y, config.batch_size, shuffle=True, generator=generator):
        with autocast():
            loss = torch.nn.functional.cross_entropy(model(xb).float(), yb, label_smoothing=config.label_smoothing)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
    model.eval()
    with torch.no_grad(), autocast():
        chunks = range(0, len(tx), 1024)
        correct = sum(int((model(tx[i : i + 1024]).argmax(1) == ty[i : i + 1024]).sum()) for i in chunks)
    _sync(device)
    return time.perf_counter() - started, correct / len(tx)


def _concat(a, b):
    from workbench.data.images import ImageSet

    return ImageSet(torch.cat([a.images, b.images]), torch.cat([a.labels, b.labels]))


def cli_run(spec_path: Path, config: TrainConfig, device: torch.device, data_dir: str | None) -> tuple[float, float]:
    """(seconds, test accuracy) from `python -m workbench train`, run in this process."""
    with tempfile.TemporaryDirectory() as out:
        argv = ["train", str(spec_path), "--dataset", "mnist", "--out", str(Path(out) / "run")]
        argv += ["--epochs", str(config.epochs), "--batch-size", str(config.batch_size)]
        argv += ["--optimizer", config.optimizer, "--lr", str(config.lr), "--schedule", config.schedule]
        argv += ["--label-smoothing", str(config.label_smoothing), "--device", str(device), "--seed", str(config.seed)]
        if data_dir:
            argv += ["--data-dir", data_dir]
        printed = StringIO()
        with redirect_stdout(printed):
            status = cli_main(argv)
        assert status == 0, f"the CLI run failed with status {status}"
        final = json.loads(printed.getvalue().strip().splitlines()[-1])
    return final["seconds"], final["test_accuracy"]


def app_run(app, window, config: TrainConfig) -> tuple[float, float]:
    """(seconds, test accuracy) of a run started from the real window's Train tab, panels live."""
    from workbench.events import Finished

    dashboard = window.dashboard
    dashboard.settings.apply_config(config)
    finished: list[Finished] = []
    assert dashboard.start()
    dashboard.run.event_emitted.connect(lambda event: finished.append(event) if isinstance(event, Finished) else None)
    while dashboard.running or dashboard.state != "idle":
        app.processEvents()
        time.sleep(0.001)
    assert finished, "the app run did not finish"
    return finished[-1].seconds, finished[-1].test_accuracy


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _median_ratio(runs: list[tuple[float, float]], bare: list[tuple[float, float]]) -> str:
    ratios = [r[0] / b[0] for r, b in zip(runs, bare, strict=True)]
    return f"{statistics.median(ratios):.3f} (pairs {', '.join(f'{r:.2f}' for r in ratios)})"


def _line(name: str, runs: list[tuple[float, float]]) -> str:
    seconds = statistics.median(r[0] for r in runs)
    reached = sum(r[1] >= 0.99 for r in runs)
    each = ", ".join(f"{s:.1f} s {100 * a:.2f}%" for s, a in runs)
    return f"{name:<28} median {seconds:6.1f} s · {reached}/{len(runs)} runs ≥ 99.0%  ({each})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--no-app", action="store_true", help="leave out the run inside the app")
    parser.add_argument("--bare-data", choices=("all", "same"), default="all")
    parser.add_argument("--data-dir", help="folder with MNIST/raw (default: $WORKBENCH_DATA_DIR)")
    args = parser.parse_args()
    device = resolve_device(args.device)
    config = recipe().with_changes(device=str(device))
    threads = config.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    dataset = load_dataset("mnist", args.data_dir, val_fraction=config.val_fraction, seed=config.seed)
    what = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{threads} CPU threads"
    print(f"{TEMPLATE} to 99% MNIST test accuracy on {device} ({what}), torch {torch.__version__}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        spec_path = Path(folder) / f"{TEMPLATE}.json"
        spec_path.write_text(templates.template(TEMPLATE).dumps())
        app = window = None
        if not args.no_app:
            from app_window import open_window  # bench/ is the script's folder
            from PySide6.QtWidgets import QApplication

            app = QApplication.instance() or QApplication([])
            window = open_window(app, templates.template(TEMPLATE), dataset)
        bare_loop(dataset, config, device, args.bare_data)  # warm-up: allocator, kernels, lazy imports
        bare, cli, gui = [], [], []
        for pair in range(args.pairs):
            bare.append(bare_loop(dataset, config, device, args.bare_data))
            cli.append(cli_run(spec_path, config, device, args.data_dir))
            if window is not None:
                gui.append(app_run(app, window, config))
            print(
                f"pair {pair + 1}: bare {bare[-1][0]:.1f} s, CLI {cli[-1][0]:.1f} s"
                + (f", app {gui[-1][0]:.1f} s" if gui else ""),
                file=sys.stderr,
                flush=True,
            )
        if window is not None:
            window.document.undo_stack.setClean()
            window.close()
    print(_line(f"bare loop ({'54,000' if args.bare_data == 'same' else '60,000'} images)", bare))
    print(_line("engine, CLI path", cli))
    if gui:
        print(_line("engine, in the app", gui))
    print(f"CLI / bare  {_median_ratio(cli, bare)}   target ≤ 1.0")
    if gui:
        print(f"app / bare  {_median_ratio(gui, bare)}   target ≤ 1.0")


if __name__ == "__main__":
    main()
