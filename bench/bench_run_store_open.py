"""The run store opened by many processes at once: in each round, P forked processes open the same store
together (a new one, or with --damaged one that is not a database) and each records a run; counts the
runs kept, the files moved aside, the errors and the notices, and times the rounds.

    .venv/bin/python bench/bench_run_store_open.py [--processes 8] [--rounds 50] [--damaged]
        [--store path/to/another/store.py]   # e.g. the old one, from `git show HEAD:workbench/runs/store.py`
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import workbench.runs
from workbench.model import templates

FORK = multiprocessing.get_context("fork")


def load_store(path: str | None):
    if path is None:
        from workbench.runs import store

        return store
    spec = importlib.util.spec_from_file_location("workbench.runs.store", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["workbench.runs.store"] = module
    spec.loader.exec_module(module)
    workbench.runs.store = module
    return module


def worker(store_module, folders, barrier, results) -> None:
    spec = templates.template("mlp")
    for folder in folders:
        barrier.wait(60)
        try:
            store = store_module.RunStore(folder)
            run_id = store.start_run(spec, {}, "bars", source="cli")
            store.finish(run_id, "finished")
            results.put(("notice" if store.notice else "ok", ""))
            store.close()
        except Exception as exc:
            results.put(("error", f"{type(exc).__name__}: {str(exc).split(' (')[-1][:60]}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--damaged", action="store_true", help="each round's store is a file of junk")
    parser.add_argument("--store", help="another store.py to measure (the module is replaced by it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-run-store-") as base:
        measure(load_store(args.store), args, Path(base))


def measure(store_module, args: argparse.Namespace, base: Path) -> None:
    folders = [base / f"round-{n}" for n in range(args.rounds)]
    for folder in folders:
        folder.mkdir()
        if args.damaged:
            (folder / "runs.sqlite").write_bytes(b"not a database " * 500)
    barrier, results = FORK.Barrier(args.processes), FORK.Queue()
    started = time.perf_counter()
    processes = [
        FORK.Process(target=worker, args=(store_module, folders, barrier, results)) for _ in range(args.processes)
    ]
    for process in processes:
        process.start()
    outcomes = Counter(results.get(timeout=120) for _ in range(args.processes * args.rounds))
    for process in processes:
        process.join()
    seconds = time.perf_counter() - started
    kept = aside = short_rounds = 0
    for folder in folders:
        store = store_module.RunStore(folder)
        count = len(store.runs())
        store.close()
        kept += count
        short_rounds += count < args.processes
        aside += len(list(folder.glob("runs.sqlite.damaged-*")))
    expected_aside = args.rounds if args.damaged else 0
    kind = "damaged" if args.damaged else "new"
    print(f"{args.processes} processes × {args.rounds} rounds ({kind} stores), {seconds:.2f} s")
    print(f"runs kept: {kept}/{args.processes * args.rounds}; rounds missing runs: {short_rounds}")
    print(f"files moved aside: {aside} (expected {expected_aside})")
    for (kind, detail), count in sorted(outcomes.items()):
        print(f"  {kind:7} {count:4}  {detail}")


if __name__ == "__main__":
    main()
