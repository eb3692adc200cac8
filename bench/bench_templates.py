"""What each template costs and gives: train it with its recipe (templates.RECIPES) and print the
time and the test accuracy, for the figures quoted in templates.MEASURED and shown in the app.

    .venv/bin/python bench/bench_templates.py [--device auto] [--only mnist-fast,lenet5] [--seeds 3]

Each template trains --seeds times (seeds 0, 1, …): one line per run, then a line with the mean, lowest and
highest test accuracy and the median seconds per run, the reliable figure MEASURED quotes. Threads: every core
unless WORKBENCH_THREADS says how many (as in the app). MNIST templates train on real MNIST
($WORKBENCH_DATA_DIR). A template for another input (vgg-mini, 3×32×32) is timed on random images of its shape
for one epoch of 50,000: its accuracy needs its own dataset (CIFAR-10), so none is printed unless that dataset
is in the data folder.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass

import torch

from workbench.data.datasets import Dataset, load_dataset
from workbench.data.images import DataError, ImageSet
from workbench.events import Finished
from workbench.model import templates
from workbench.training.config import TrainConfig, default_threads, describe_device, resolve_device
from workbench.training.trainer import Trainer


def random_images(shape: tuple[int, int, int], count: int, classes: int = 10) -> Dataset:
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (count, *shape), dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, classes, (count,), generator=generator)
    empty = ImageSet(images[:0], labels[:0])
    mean, std = (0.5,) * shape[0], (0.25,) * shape[0]
    names = tuple(str(i) for i in range(classes))
    return Dataset("random", "random images", names, shape, ImageSet(images, labels), empty, empty, mean, std)


def dataset_for(spec, cifar_ok: bool) -> tuple[Dataset | None, str]:
    if tuple(spec.input) == (1, 28, 28):
        return load_dataset("mnist", download=False), "MNIST"
    if cifar_ok:
        return load_dataset("cifar10", download=False), "CIFAR-10"
    return None, "random (timing only)"


@dataclass(frozen=True)
class RunResult:
    accuracy: float | None  # test accuracy 0-1; None where only timed (random images)
    seconds: float  # the whole run, evaluation included
    line: str


def train_once(name: str, config: TrainConfig, dataset: Dataset, data_name: str, timing_only: bool) -> RunResult:
    events = []
    trainer = Trainer(templates.template(name), dataset, config, listener=events.append)
    assert trainer.fit() == "finished", events[-1]
    finished = next(e for e in events if isinstance(e, Finished))
    seconds = sum(row["seconds"] for row in trainer.history)
    accuracy = None if timing_only else finished.test_accuracy
    shown = "n/a" if accuracy is None else f"{100 * accuracy:.2f}%"
    line = (
        f"{name:<14} seed {config.seed:<3} {data_name:<22} {config.epochs:>3} epoch(s)  {seconds:7.1f} s training "
        f"({finished.seconds:6.1f} s with evaluation)  test accuracy {shown}  "
        f"{finished.images_per_second:,.0f} img/s  [{finished.features}]"
    )
    return RunResult(accuracy, finished.seconds, line)


def summary_line(name: str, epochs: int, runs: list[RunResult]) -> str:
    """The accuracy's mean and range; the seconds' median and range (on shared cores one disturbed run would move
    a mean of three)."""
    times = [run.seconds for run in runs]
    seconds = f"{statistics.median(times):.1f} s per run (median; {min(times):.1f}-{max(times):.1f} s)"
    if runs[0].accuracy is None:
        return f"{name:<14} {len(runs)} run(s), {epochs} epoch(s): accuracy n/a, {seconds}"
    accuracies = [100 * run.accuracy for run in runs]
    return (
        f"{name:<14} {len(runs)} run(s), {epochs} epoch(s): mean {statistics.mean(accuracies):.2f}% "
        f"(min {min(accuracies):.2f}%, max {max(accuracies):.2f}%), {seconds}"
    )


def bench_template(name: str, device, seeds: int, cifar_ok: bool) -> str:
    spec = templates.template(name)
    config = TrainConfig(**templates.recipe(name), device=str(device))
    dataset, data_name = dataset_for(spec, cifar_ok)
    timing_only = dataset is None
    if timing_only:
        dataset = random_images(tuple(spec.input), 50_000)
        config = config.with_changes(epochs=1)
    runs = []
    for seed in range(seeds):
        runs.append(train_once(name, config.with_changes(seed=seed), dataset, data_name, timing_only))
        print(runs[-1].line, flush=True)
    return summary_line(name, config.epochs, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--only", help="comma-separated template names")
    parser.add_argument("--seeds", type=int, default=3, help="runs per template, seeds 0 … N-1 (default 3)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be 1 or more")
    device = resolve_device(args.device)
    names = args.only.split(",") if args.only else list(templates.TEMPLATES)
    unknown = [name for name in names if name not in templates.TEMPLATES]
    if unknown:
        parser.error(f"unknown template {unknown[0]!r}; choose from {', '.join(templates.TEMPLATES)}")
    try:
        load_dataset("cifar10", download=False, limit=10)
        cifar_ok = True
    except DataError:
        cifar_ok = False
    threads = default_threads()
    print(f"device: {describe_device(device, threads)}, torch {torch.__version__}, {args.seeds} seed(s)")
    summaries = [bench_template(name, device, args.seeds, cifar_ok) for name in names]
    print("\nper template (test accuracy over the seeds, seconds per run with evaluation):")
    for line in summaries:
        print(line, flush=True)


if __name__ == "__main__":
    main()
