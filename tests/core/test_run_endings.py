"""Every run ends cleanly: each way a run can end (tests/core/endings.py), at both extremes of the reporting
interval, in one process and in each rank of a run across two processes, ends with the outcome it names, one
end event, a loadable model file (for a failed save: the last good checkpoint, named), the whole history, and
every trained step's loss reported exactly once."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest
import torch.multiprocessing as mp

from tests.core import endings
from tests.core.synthetic import BARS_SPEC, bars_dataset
from tests.core.test_distributed import free_port
from tests.core.test_train import Recorder, config, small_cnn
from workbench.distributed.ranks import DistributedTrainer, Ranks, join_process_group, leave_process_group
from workbench.events import BatchEnded, Finished
from workbench.processes.child import process_context
from workbench.training.trainer import Trainer

CASES = [(scenario, interval) for scenario in endings.SCENARIOS for interval in endings.INTERVALS]


def test_a_report_due_on_the_batch_that_reaches_the_target_ends_the_run_cleanly():
    """The bug this file was written for: with every batch reporting, the batch whose validation check reached
    the target was reported twice, the second time with no losses left (IndexError), and the run failed."""
    recorder = Recorder()
    settings = config(epochs=20, target_accuracy=0.9, checks_per_epoch=4)
    trainer = Trainer(small_cnn(), bars_dataset(train=512), settings, listener=recorder, batch_event_interval=0)
    assert trainer.fit() == "finished", trainer.failure
    assert "target validation accuracy" in recorder.of(Finished)[0].reason
    assert all(event.steps for event in recorder.of(BatchEnded))


@pytest.mark.parametrize(("scenario", "interval"), CASES, ids=[f"{s.name}, {i}" for s, i in CASES])
def test_a_single_process_run_ends_cleanly(scenario, interval, tmp_path):
    make = functools.partial(Trainer, BARS_SPEC, endings.dataset())
    seen = endings.run_scenario(scenario, endings.INTERVALS[interval], tmp_path, make)
    endings.check(scenario, seen, interval)


def _every_scenario_as_rank(rank: int, world: int, port: int, out: str) -> None:
    """One rank: every scenario at both intervals, one after another in the same process group (a scenario that
    left a collective unmatched would hang or garble the next)."""
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world))
    ranks = Ranks(rank, world, rank)
    join_process_group(ranks, "cpu")
    try:
        data = endings.dataset()
        make = functools.partial(DistributedTrainer, BARS_SPEC, data, ranks=ranks)
        for index, (scenario, interval) in enumerate(CASES):
            folder = Path(out, str(index))
            seen = endings.run_scenario(scenario, endings.INTERVALS[interval], folder, make, rank=rank)
            if seen:
                endings.save_seen(folder / "seen.json", seen)
    finally:
        leave_process_group()


@pytest.mark.slow
def test_a_run_across_two_processes_ends_cleanly_every_way(tmp_path):
    method = process_context().get_start_method()  # forked from the fork server: no import of torch per rank
    args = (2, free_port(), str(tmp_path))
    context = mp.start_processes(_every_scenario_as_rank, args=args, nprocs=2, join=False, start_method=method)
    deadline = time.monotonic() + 120
    while not context.join(timeout=5):
        if time.monotonic() > deadline:
            for process in context.processes:
                process.kill()
            pytest.fail("a scenario left the ranks waiting on each other (killed after 120 s)")
    for index, (scenario, interval) in enumerate(CASES):
        seen = endings.load_seen(tmp_path / str(index) / "seen.json")
        endings.check(scenario, seen, interval)
