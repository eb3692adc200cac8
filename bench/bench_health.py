"""The cost of the layer-health measurements: training throughput with health on against off, on the
same model, data and threads in one run, pairs alternating, median ratio printed (target ≥ 0.9).

    .venv/bin/python bench/bench_health.py [--dataset mnist|digits] [--limit 12000] [--interval 1.0] [--pairs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.bench_train import train_only
from workbench.data.datasets import load_dataset
from workbench.events import HealthUpdate
from workbench.model import templates
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer


def images_per_second(spec, dataset, config, health_interval: float | None) -> tuple[float, int, float]:
    """(throughput, measurements, share of the run's time spent measuring)."""
    events = []
    trainer = Trainer(spec, dataset, config, listener=events.append, health_interval=health_interval)
    started = time.perf_counter()
    trainer.fit()
    seconds = time.perf_counter() - started
    spent = trainer.health.seconds if trainer.health is not None else 0.0
    return (
        len(dataset.train) * config.epochs / seconds,
        sum(isinstance(e, HealthUpdate) for e in events),
        spent / seconds,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--limit", type=int, default=12000)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--template", default="mnist-fast")
    args = parser.parse_args()
    dataset = train_only(load_dataset(args.dataset, limit=args.limit, val_fraction=0.0))
    spec = templates.template(args.template)
    config = TrainConfig(epochs=1, batch_size=128, seed=0)
    ratios, shares = [], []
    for pair in range(args.pairs):
        off, _, _ = images_per_second(spec, dataset, config, None)
        on, measured, share = images_per_second(spec, dataset, config, args.interval)
        ratios.append(on / off)
        shares.append(share)
        print(
            f"pair {pair + 1}: off {off:,.0f} img/s, on {on:,.0f} img/s ({measured} measurements, "
            f"{100 * share:.1f}% of the run measuring), ratio {on / off:.3f}"
        )
    print(f"health every {args.interval} s, {args.template} on {args.dataset} ({len(dataset.train):,} images):")
    print(f"median throughput ratio on/off: {statistics.median(ratios):.3f} (target >= 0.9)")
    print(f"median share of the run spent measuring: {100 * statistics.median(shares):.1f}% (the direct cost)")


if __name__ == "__main__":
    main()
