"""Training throughput: the engine (events and probe on) against a bare PyTorch loop, on the same
model, batches and device in one run; and the fast data path against torchvision's DataLoader
with per-sample transforms.

    .venv/bin/python bench/bench_train.py [--dataset mnist|digits] [--limit 20000] [--device auto] [--repeats 3]

Prints images/s for each and the ratios (targets: engine/bare ≥ 0.95, fast path ≫ DataLoader).
Runs alternate and the median is reported, since machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch.utils.data import DataLoader
from torchvision.transforms import v2

from workbench.data.datasets import Dataset, iterate_batches, load_dataset, to_device
from workbench.data.images import ImageSet
from workbench.model import templates
from workbench.model.build import build_model
from workbench.training.config import TrainConfig, default_threads, resolve_device
from workbench.training.trainer import Trainer


def train_only(dataset: Dataset) -> Dataset:
    """The same data with empty validation and test splits, so a run's wall time is training time."""
    empty = ImageSet(dataset.train.images[:0], dataset.train.labels[:0])
    return Dataset(
        dataset.name,
        dataset.title,
        dataset.class_names,
        dataset.input_shape,
        dataset.train,
        empty,
        empty,
        dataset.mean,
        dataset.std,
    )


def bare_loop(spec, dataset: Dataset, config: TrainConfig, device: torch.device) -> float:
    torch.manual_seed(config.seed)
    model = build_model(spec).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    x, y = to_device(dataset.train, dataset.mean, dataset.std, device)
    generator = torch.Generator().manual_seed(config.seed)
    _sync(device)
    started = time.perf_counter()
    for xb, yb in iterate_batches(x, y, config.batch_size, shuffle=True, generator=generator):
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        loss.item()  # what any loop that logs its loss does
    _sync(device)
    return len(x) / (time.perf_counter() - started)


def engine(spec, dataset: Dataset, config: TrainConfig, device: torch.device) -> float:
    events = []
    trainer = Trainer(spec, dataset, config, listener=events.append, probe_interval=0.25)
    trainer.set_probe(dataset.train.images[0], int(dataset.train.labels[0]))
    trainer._split("train")  # the bare loop's timing also starts with the data on the device
    _sync(device)
    started = time.perf_counter()
    outcome = trainer.fit()
    _sync(device)
    assert outcome == "finished", events[-1]
    return len(dataset.train) / (time.perf_counter() - started)


class PerSample(torch.utils.data.Dataset):
    """What a torchvision tutorial does: one image at a time through ToTensor-like transforms."""

    def __init__(self, images: ImageSet, mean, std):
        self.images, self.labels = images.images, images.labels
        self.transform = v2.Compose([v2.ToDtype(torch.float32, scale=True), v2.Normalize(mean, std)])

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i):
        return self.transform(self.images[i]), self.labels[i]


def data_only(dataset: Dataset, device: torch.device, batch_size: int) -> tuple[float, float]:
    x, y = to_device(dataset.train, dataset.mean, dataset.std, device)
    _sync(device)
    started = time.perf_counter()
    for _batch in iterate_batches(x, y, batch_size, shuffle=True, generator=torch.Generator().manual_seed(0)):
        pass
    _sync(device)
    fast = len(x) / (time.perf_counter() - started)
    loader = DataLoader(PerSample(dataset.train, dataset.mean, dataset.std), batch_size=batch_size, shuffle=True)
    started = time.perf_counter()
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
    _sync(device)
    return fast, len(x) / (time.perf_counter() - started)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--template", default="mnist-classic")
    parser.add_argument("--limit", type=int, default=20000)  # runs of a few seconds: shorter ones are noise
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=default_threads())
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    device = resolve_device(args.device)
    dataset = train_only(load_dataset(args.dataset, limit=args.limit, val_fraction=0.0))
    spec = templates.template(args.template)
    # schedule "none": the bare loop has no LR schedule either, so both do the same work per batch
    config = TrainConfig(
        batch_size=args.batch_size, device=str(device), threads=args.threads, val_fraction=0.0, schedule="none"
    )
    torch.set_num_threads(args.threads)
    print(f"device {device} · threads {args.threads} · {args.template} on {len(dataset.train)} {dataset.name} images")
    engine(spec, dataset, config, device)  # warm-up (allocator, kernels)
    bare_runs, engine_runs = [], []
    for _ in range(args.repeats):
        bare_runs.append(bare_loop(spec, dataset, config, device))
        engine_runs.append(engine(spec, dataset, config, device))
    bare, eng = statistics.median(bare_runs), statistics.median(engine_runs)
    print(f"bare PyTorch loop        {bare:10,.0f} images/s  (runs: {', '.join(f'{r:,.0f}' for r in bare_runs)})")
    print(f"engine, events + probe   {eng:10,.0f} images/s  (runs: {', '.join(f'{r:,.0f}' for r in engine_runs)})")
    print(f"engine / bare            {eng / bare:10.3f}   (target ≥ 0.95)")
    fast, loader = data_only(dataset, device, args.batch_size)
    print(f"fast data path           {fast:10,.0f} images/s (batches only, no model)")
    print(f"DataLoader, per-sample   {loader:10,.0f} images/s")
    print(f"fast path / DataLoader   {fast / loader:10.1f}x")


if __name__ == "__main__":
    main()
