"""Experiments' speed, through the CLI as a user runs it. Prints figures; asserts nothing.

    .venv/bin/python -m bench.bench_sweep workers  [--threads 2] [--epochs 5]
    .venv/bin/python -m bench.bench_sweep halving  [--limit 12000] [--epochs 6]     (needs MNIST in $WORKBENCH_DATA_DIR)

`workers`: the same grid of 16 trials (mnist-fast on the built-in digits) by one worker of `--threads` threads and by
`--threads` workers of one thread each; prints trials per minute for both and their ratio (target: at least 1.3).
`halving`: a 12-configuration grid on MNIST, in full and with successive halving; prints each one's best validation
accuracy and time, the gap in points (target: at most 0.3) and the time ratio (target: at most 0.5).
Each study lives in a folder of its own (WORKBENCH_STUDIES_DIR and WORKBENCH_RUNS_DIR are set for the run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workbench.model import templates

GRID_DIGITS = {
    "lr": {"choice": [0.003, 0.01]},
    "layers.0.out_channels": {"choice": [8, 16]},
    "batch_size": {"choice": [32, 64]},
    "weight_decay": {"choice": [0.0, 0.0001]},
}
GRID_MNIST = {
    "lr": {"choice": [0.003, 0.01, 0.03]},
    "batch_size": {"choice": [64, 128]},
    "layers.0.out_channels": {"choice": [8, 16]},
}


def sweep(folder: Path, name: str, space: dict, dataset: list[str], extra: list[str]) -> tuple[float, dict]:
    spec, space_file = folder / "spec.json", folder / f"{name}.json"
    spec.write_text(templates.template("mnist-fast").dumps(), encoding="utf-8")
    space_file.write_text(json.dumps(space), encoding="utf-8")
    env = {**os.environ, "WORKBENCH_STUDIES_DIR": str(folder / "studies"), "WORKBENCH_RUNS_DIR": str(folder / "runs")}
    command = [
        sys.executable,
        "-m",
        "workbench",
        "sweep",
        str(spec),
        *dataset,
        "--space",
        str(space_file),
        "--study",
        name,
        *extra,
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds, json.loads(done.stdout.splitlines()[-1])


def bench_workers(args) -> None:
    digits = ["--dataset", "digits", "--epochs", str(args.epochs)]
    with tempfile.TemporaryDirectory() as folder:
        one, report = sweep(
            Path(folder), "one", GRID_DIGITS, digits, ["--workers", "1", "--threads", str(args.threads)]
        )
        many, _ = sweep(
            Path(folder), "many", GRID_DIGITS, digits, ["--workers", str(args.threads), "--threads", str(args.threads)]
        )
    trials = report["trials"]
    print(f"{trials} trials, {args.epochs} epochs each, mnist-fast on digits, {os.cpu_count()} cores")
    print(f"1 worker × {args.threads} threads: {one:.1f} s, {60 * trials / one:.1f} trials/min")
    print(f"{args.threads} workers × 1 thread:  {many:.1f} s, {60 * trials / many:.1f} trials/min")
    print(f"ratio: {one / many:.2f} (target ≥ 1.3)")


def bench_halving(args) -> None:
    mnist = ["--dataset", "mnist", "--limit", str(args.limit), "--epochs", str(args.epochs)]
    workers = ["--workers", str(args.workers), "--threads", str(args.workers)]
    with tempfile.TemporaryDirectory() as folder:
        full, full_report = sweep(Path(folder), "full", GRID_MNIST, mnist, workers)
        halved, halved_report = sweep(Path(folder), "halved", GRID_MNIST, mnist, [*workers, "--pruner", "halving"])
    best_full, best_halved = full_report["best"]["value"], halved_report["best"]["value"]
    print(
        f"12-configuration grid, mnist-fast on MNIST ({args.limit} images, {args.epochs} epochs), "
        f"{args.workers} workers"
    )
    print(f"full grid:           best {100 * best_full:.2f}% in {full:.1f} s")
    print(f"successive halving:  best {100 * best_halved:.2f}% in {halved:.1f} s")
    print(
        f"gap: {100 * (best_full - best_halved):.2f} points (target ≤ 0.3); "
        f"time ratio {halved / full:.2f} (target ≤ 0.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("workers", "halving"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--epochs", type=int, help="per trial (default: 5 for workers, 6 for halving)")
    parser.add_argument("--limit", type=int, default=12000)
    args = parser.parse_args()
    args.epochs = args.epochs or (5 if args.what == "workers" else 6)
    (bench_workers if args.what == "workers" else bench_halving)(args)


if __name__ == "__main__":
    main()
