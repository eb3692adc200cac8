"""Teach on MNIST: the promise tests/core/test_teach.py checks on the built-in digits, on the data the app is for.

    WORKBENCH_DATA_DIR=/path/with/MNIST .venv/bin/python bench/bench_teach.py [--train-images 10000]

Trains mnist-fast on the first N MNIST training images (one thread), finds 20 validation 3s drawn mirrored (a
backwards 3, as children write it) that the model misreads, teaches them, and prints how many it reads right
before and after, the test accuracy before and after (the promise: at most half a point lost) and the seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' helpers, from a checkout

from tests.core.test_teach import _teach_the_backwards_threes
from tests.trained import mnist_subset, train_mnist_fast


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-images", type=int, default=10_000)
    args = parser.parse_args()
    dataset = mnist_subset(args.train_images)
    started = time.perf_counter()
    saved = train_mnist_fast(dataset)
    trained = time.perf_counter() - started
    result, before, after = _teach_the_backwards_threes(dataset, saved, dataset.val)
    taught = time.perf_counter() - started - trained
    print(f"mnist-fast on {args.train_images:,} MNIST images: trained in {trained:.1f} s, taught in {taught:.1f} s")
    print(f"backwards 3s read right: {result.right_before}/20 before, {result.right_after}/20 after (promise: >= 18)")
    print(f"test accuracy: {100 * before:.2f}% before, {100 * after:.2f}% after (promise: at most 0.50 points lost)")


if __name__ == "__main__":
    main()
