"""What each template costs and gives: train it with its recipe (templates.RECIPES) and print the
time and the test accuracy, for the figures quoted in templates.MEASURED and shown in the app.

    .venv/bin/python bench/bench_templates.py [--device auto] [--only mnist-fast,lenet5]

MNIST templates train on real MNIST ($WORKBENCH_DATA_DIR). A template for another input (vgg-mini,
3×32×32) is timed on random images of its shape for one epoch of 50,000: its accuracy needs its own
dataset (CIFAR-10), so none is printed unless that dataset is in the data folder.
"""

from __future__ import annotations

import argparse
import os

import torch

from workbench.data.datasets import Dataset, load_dataset
from workbench.data.images import DataError, ImageSet
from workbench.events import Finished
from workbench.model import templates
from workbench.training.config import TrainConfig, describe_device, resolve_device
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--only", help="comma-separated template names")
    args = parser.parse_args()
    device = resolve_device(args.device)
    names = args.only.split(",") if args.only else list(templates.TEMPLATES)
    try:
        load_dataset("cifar10", download=False, limit=10)
        cifar_ok = True
    except DataError:
        cifar_ok = False
    threads = os.cpu_count() or 1
    print(f"device: {describe_device(device, threads)}, torch {torch.__version__}")
    for name in names:
        spec = templates.template(name)
        config = TrainConfig(**templates.recipe(name), device=str(device))
        dataset, data_name = dataset_for(spec, cifar_ok)
        timing_only = dataset is None
        if timing_only:
            dataset = random_images(tuple(spec.input), 50_000)
            config = config.with_changes(epochs=1)
        events = []
        trainer = Trainer(spec, dataset, config, listener=events.append)
        assert trainer.fit() == "finished", events[-1]
        finished = next(e for e in events if isinstance(e, Finished))
        seconds = sum(row["seconds"] for row in trainer.history)
        accuracy = "n/a" if timing_only else f"{100 * finished.test_accuracy:.2f}%"
        print(
            f"{name:<14} {data_name:<22} {config.epochs:>3} epoch(s)  {seconds:7.1f} s training "
            f"({finished.seconds:6.1f} s with evaluation)  test accuracy {accuracy}  "
            f"{finished.images_per_second:,.0f} img/s  [{finished.features}]",
            flush=True,
        )


if __name__ == "__main__":
    main()
