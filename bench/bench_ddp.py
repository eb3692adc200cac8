"""Throughput of a distributed run against one process, through the CLI as a user runs it: the same model,
data and global batch, `train --nproc-per-node N` (torchrun, DDP: gloo on CPU, nccl on CUDA) against a plain
`train` using every core (or the one GPU). Prints each run's images/s and the N-process/1-process ratio.

    .venv/bin/python -m bench.bench_ddp [--dataset mnist] [--limit 12000] [--nproc 2] [--template mnist-fast]

On a CPU-only machine the processes share its cores (each gets cores/N threads); on a machine with N GPUs
each process has a GPU of its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from workbench.model import templates


def run(spec: Path, out: Path, args, extra: list[str]) -> dict:
    command = [
        sys.executable, "-m", "workbench", "train", str(spec), "--dataset", args.dataset, "--limit", str(args.limit),
        "--epochs", str(args.epochs), "--batch-size", str(args.batch_size), "--out", str(out), *extra,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="mnist")
    parser.add_argument("--limit", type=int, default=12000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--nproc", type=int, default=2)
    parser.add_argument("--template", default="mnist-fast")
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "spec.json"
        spec.write_text(templates.template(args.template).dumps(), encoding="utf-8")
        ratios = []
        for pair in range(args.pairs):
            one = run(spec, Path(folder) / f"one{pair}", args, [])
            many = run(spec, Path(folder) / f"many{pair}", args, ["--nproc-per-node", str(args.nproc)])
            ratio = many["images_per_second"] / one["images_per_second"]
            ratios.append(ratio)
            print(
                f"pair {pair + 1}: 1 process {one['images_per_second']:,.0f} img/s ({one['device']}), "
                f"{args.nproc} processes {many['images_per_second']:,.0f} img/s ({many['features']}), "
                f"ratio {ratio:.2f}; "
                f"test accuracy {100 * one['test_accuracy']:.2f}% / {100 * many['test_accuracy']:.2f}%",
                flush=True,
            )
    ratios.sort()
    print(f"{args.template} on {args.dataset} ({args.limit:,} images), global batch {args.batch_size}:")
    print(f"median throughput ratio {args.nproc} processes / 1 process: {ratios[len(ratios) // 2]:.2f}")


if __name__ == "__main__":
    main()
