"""A distributed run (2 gloo processes on loopback) trains the model a single process trains with the same
batch size; rank 0 alone writes; a failing rank ends the run in one line; a run resumes with another count."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp

from tests.core.hostile import run_cli
from tests.core.synthetic import BARS_SPEC, bars_dataset
from workbench.distributed.ranks import DistributedTrainer, Ranks, join_process_group, leave_process_group, part
from workbench.files.model_file import load_model
from workbench.model import templates
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.processes.child import process_context
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

BN_SPEC = ModelSpec(
    (1, 12, 12),
    (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3}),
        LayerSpec("BatchNorm2d"),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 4}),
    ),
)
CONFIG = TrainConfig(epochs=2, batch_size=30, lr=0.01, seed=3, threads=1, device="cpu", channels_last=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rank(rank: int, world: int, port: int, spec_json: str, out: str, augment: bool) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world))
    from workbench.model.spec import loads

    ranks = Ranks(rank, world, rank)
    join_process_group(ranks, "cpu")
    try:
        config = CONFIG.with_changes(augment=augment)
        trainer = DistributedTrainer(loads(spec_json), bars_dataset(train=200, val=400, test=40), config, ranks=ranks)
        assert trainer.fit() == "finished"
        torch.save(
            {"state": trainer.model.state_dict(), "history": trainer.history, "step": trainer.step},
            os.path.join(out, f"rank{rank}.pt"),
        )
    finally:
        leave_process_group()
    assert not _gloo_workers(), "the process group is still open: a worker left to the exit can abort the process"


def _gloo_workers() -> list[str]:
    """This process's gloo worker threads (Linux names them; elsewhere none are found)."""
    tasks = Path("/proc/self/task")
    names = []
    for task in tasks.iterdir() if tasks.is_dir() else ():
        try:
            names.append(task.joinpath("comm").read_text().strip())
        except OSError:  # a thread that ended meanwhile
            continue
    return [name for name in names if name.startswith("pt_gloo")]


def _two_processes(spec: ModelSpec, tmp_path, augment: bool = False) -> list[dict]:
    method = process_context().get_start_method()  # forked from the fork server: no import of torch per rank
    args = (2, free_port(), spec.dumps(), str(tmp_path), augment)
    mp.start_processes(_rank, args=args, nprocs=2, join=True, start_method=method)
    return [torch.load(tmp_path / f"rank{r}.pt", weights_only=True) for r in range(2)]


def _one_process(spec: ModelSpec, augment: bool = False) -> Trainer:
    trainer = Trainer(spec, bars_dataset(train=200, val=400, test=40), CONFIG.with_changes(augment=augment))
    assert trainer.fit() == "finished"
    return trainer


def test_the_parts_of_a_batch_are_disjoint_and_cover_it():
    for count in (1, 7, 30, 31):
        for world in (1, 2, 3, 4):
            covered = [i for r in range(world) for i in range(count)[part(count, r, world)]]
            assert covered == list(range(count))


def test_two_processes_train_the_weights_one_process_trains(tmp_path):
    """With augmentation: each rank augments the whole batch with the step's seed, then takes its slice."""
    ranks = _two_processes(BARS_SPEC, tmp_path, augment=True)
    single = _one_process(BARS_SPEC, augment=True)
    assert ranks[0]["step"] == single.step == 2 * 7  # the same epoch boundaries: 200 images in batches of 30
    for name, value in single.model.state_dict().items():
        for rank in ranks:
            assert torch.allclose(rank["state"][name], value, atol=1e-4), name
    for theirs, ours in zip(ranks[0]["history"], single.history, strict=True):
        assert theirs["train_loss"] == pytest.approx(ours["train_loss"], abs=1e-5)
        assert theirs["val_accuracy"] == ours["val_accuracy"]


def test_with_batchnorm_two_processes_learn_as_well_as_one(tmp_path):
    ranks = _two_processes(BN_SPEC, tmp_path)
    single = _one_process(BN_SPEC)
    assert abs(ranks[0]["history"][-1]["val_accuracy"] - single.history[-1]["val_accuracy"]) <= 0.01
    for name in ranks[0]["state"]:  # DDP keeps the ranks identical (BatchNorm's statistics from rank 0)
        assert torch.equal(ranks[0]["state"][name], ranks[1]["state"][name]), name


# ----- through the CLI: torchrun's launcher, one line for a failed rank, resume with another count ------------
# One real two-process CLI run (killed on purpose) and one real torchrun of the exported script: each torchrun
# is three fresh interpreters, so the tests share them (a finished two-process run is covered by test_remote_ranks).


@pytest.fixture(scope="module")
def small_spec(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spec") / "small.json"
    path.write_text(templates.template("mnist-fast").dumps(), encoding="utf-8")
    return path


SETTINGS = ("--dataset", "digits", "--epochs", "4", "--batch-size", "32", "--lr", "0.01")


def _child_with_rank(parent: int, rank: int) -> int | None:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            environ = (stat.parent / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and f"RANK={rank}".encode() in environ:
            return int(stat.parent.name)
    return None


@pytest.fixture(scope="module")
def killed_run(tmp_path_factory, small_spec) -> tuple[Path, int, str]:
    """A two-process CLI run whose rank 1 is killed after rank 0 kept its first checkpoint: (run, code, stderr)."""
    run = tmp_path_factory.mktemp("ddp") / "run"
    settings = [*SETTINGS[:2], "--epochs", "200", *SETTINGS[4:], "--out", str(run), "--nproc-per-node", "2"]
    launcher = subprocess.Popen(
        [sys.executable, "-m", "workbench", "train", str(small_spec), *settings],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not (run / "checkpoint.cnnwb").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        victim = _child_with_rank(launcher.pid, 1)
        assert victim is not None, "rank 1 not found"
        os.kill(victim, signal.SIGKILL)
        _, stderr = launcher.communicate(timeout=120)
    finally:
        launcher.kill()
    return run, launcher.returncode, stderr


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds the rank's process through /proc")
def test_killing_one_rank_ends_the_run_in_one_line_and_one_process_resumes_it(killed_run, capsys):
    run, code, stderr = killed_run
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert code == 2 and len(errors) == 1, stderr
    assert errors[0].startswith("error: rank 1 was killed (signal SIGKILL") and "--resume" in errors[0]
    assert "Traceback" not in stderr
    epochs = [line.split(":")[0] for line in stderr.splitlines() if line.startswith("epoch ") and "val acc" in line]
    assert epochs and len(epochs) == len(set(epochs)), stderr  # rank 0 alone reports
    kept = load_model(run / "checkpoint.cnnwb", kind="checkpoint").history
    assert kept
    resume = ["train", "--resume", str(run), *SETTINGS[:2], "--epochs", str(len(kept) + 1)]
    code, _, err = run_cli(resume, capsys)  # in this process: a run of one process needs no new interpreter
    assert code == 0, err
    history = (run / "history.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[0] for row in history[1:]] == [str(e) for e in range(1, len(kept) + 2)]  # counts on


@pytest.mark.slow
def test_the_exported_script_trains_with_torchrun_without_the_workbench(tmp_path, small_spec, capsys):
    """As accurate as the app's own run with the same settings (in one process: two processes with the same
    batch size train the same weights, test_two_processes_train_the_weights_one_process_trains)."""
    exported = tmp_path / "cluster"
    code, _, err = run_cli(["export-train-script", str(small_spec), *SETTINGS, "--out", str(exported)], capsys)
    assert code == 0, err
    assert {p.name for p in exported.iterdir()} == {"train_ddp.py", "model.py", "data.pt", "README.md"}
    readme = (exported / "README.md").read_text(encoding="utf-8")
    assert "torchrun --nproc-per-node 4 train_ddp.py" in readme and "--nnodes 2 --node-rank 1" in readme
    shadow = tmp_path / "shadow" / "workbench"  # any import of the workbench fails in the script's processes
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('the exported script needs the workbench')\n")
    script = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2", "train_ddp.py"],
        cwd=exported,
        env={**os.environ, "PYTHONPATH": str(shadow.parent)},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert script.returncode == 0, script.stderr[-3000:]
    theirs = json.loads(script.stdout.strip().splitlines()[-1])
    assert theirs["processes"] == 2 and theirs["backend"] == "gloo" and (exported / "weights.pt").is_file()
    code, out, err = run_cli(
        ["train", str(small_spec), *SETTINGS, "--threads", "1", "--out", str(tmp_path / "app")], capsys
    )
    assert code == 0, err
    app_accuracy = json.loads(out.strip().splitlines()[-1])["test_accuracy"]
    assert abs(theirs["test_accuracy"] - app_accuracy) <= 0.01, (theirs["test_accuracy"], app_accuracy)
