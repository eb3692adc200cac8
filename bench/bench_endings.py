"""Runs that end at their target, back to back, as a new user starts them from the README: the `mnist-fast`
template, `--epochs 3 --target-accuracy 0.99` on real MNIST, each a fresh `python -m workbench train` process
with its own run folder and the same run store. Before the fix in the trainer's reporting, 4 of 14 such runs
ended with "IndexError: tuple index out of range" after all the training was done, and no model file.

    WORKBENCH_DATA_DIR=/path/with/MNIST/raw .venv/bin/python bench/bench_endings.py [--runs 20] [--device cpu]

Prints one line per run (exit status, seconds, how it ended, test accuracy, whether its model file loads) and
the counts; exits 1 if any run did not end with status 0 and a loadable model file.
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

from workbench.files.model_file import ModelFileError, load_model
from workbench.model import templates


def one_run(spec: Path, out: Path, runs_dir: Path, device: str) -> dict:
    argv = [sys.executable, "-m", "workbench", "train", str(spec), "--dataset", "mnist", "--epochs", "3"]
    argv += ["--target-accuracy", "0.99", "--device", device, "--out", str(out), "--runs-dir", str(runs_dir)]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - started
    lines = done.stdout.strip().splitlines()
    final = json.loads(lines[-1]) if done.returncode == 0 and lines else {}
    try:
        model_loads = len(load_model(out / "model.cnnwb").history) > 0
    except (OSError, ModelFileError):
        model_loads = False
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    return {
        "status": done.returncode,
        "seconds": round(seconds, 1),
        "ended": final.get("ended") or (errors[-1] if errors else "?"),
        "test_accuracy": final.get("test_accuracy"),
        "model_loads": model_loads,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()
    if not os.environ.get("WORKBENCH_DATA_DIR"):
        print("set WORKBENCH_DATA_DIR to the folder holding MNIST/raw", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        spec = root / "fast.json"
        spec.write_text(templates.template("mnist-fast").dumps(), encoding="utf-8")
        results = []
        for index in range(1, args.runs + 1):
            result = one_run(spec, root / f"run{index}", root / "store", args.device)
            results.append(result)
            accuracy = "—" if result["test_accuracy"] is None else f"{100 * result['test_accuracy']:.2f}%"
            print(
                f"run {index:2}: exit {result['status']}  {result['seconds']:6.1f} s  test {accuracy}  "
                f"model {'loads' if result['model_loads'] else 'MISSING'}  ended: {result['ended']}",
                flush=True,
            )
    good = sum(1 for r in results if r["status"] == 0 and r["model_loads"])
    at_target = sum(1 for r in results if "target" in str(r["ended"]))
    print(f"{good}/{len(results)} runs ended with exit 0 and a loadable model file; {at_target} ended at the target")
    return 0 if good == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
