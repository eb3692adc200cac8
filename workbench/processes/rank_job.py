"""One rank of a distributed run started from the app (`python -m workbench.processes.rank_job JOB_FOLDER`,
launched by remote_ranks through torchrun's launcher, which sets RANK, WORLD_SIZE and LOCAL_RANK).

Rank 0 connects to the relay and is, for the app, what the single training process is (remote.serve): it
reports events and weights copies and obeys pause, resume, stop, probe and explain. The other ranks train
and follow rank 0's decisions. A failure is written for the launcher (one line naming the rank), never sent
as rank 0's own Failed event: a rank failing often makes the others fail a moment later for want of it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from multiprocessing.connection import Client
from pathlib import Path

from workbench.distributed.launch import report_failure
from workbench.distributed.ranks import (
    DistributedTrainer,
    join_process_group,
    leave_process_group,
    ranks_from_env,
    threads_per_rank,
)
from workbench.events import Failed, ignore
from workbench.processes.messages import Ended
from workbench.processes.remote import Reporter, make_trainer, obey
from workbench.processes.remote_ranks import KEY_VARIABLE, read_job
from workbench.training.control import RunControl

EXIT_FAILED = 3
ORPHAN_GRACE_S = 20.0  # the launcher gone: time for rank 0 to stop and write its checkpoint before all exit


def main(argv: list[str]) -> int:
    ranks = ranks_from_env()
    if ranks is None or len(argv) != 1:
        print("usage: started by the app's distributed run (torchrun sets RANK and WORLD_SIZE)", file=sys.stderr)
        return 2
    _exit_when_orphaned()
    try:
        job = read_job(Path(argv[0]))
        device = join_process_group(ranks, job["config"].get("device", "auto"))
        machine = {"device": device, "threads": threads_per_rank(job["config"].get("threads"))}
        return _train(job, ranks, machine)
    except Exception as exc:  # told in one line by the launcher, naming this rank
        report_failure(str(exc).replace("\n", " ") or type(exc).__name__)
        return EXIT_FAILED
    finally:
        leave_process_group()


def _train(job: dict, ranks, machine: dict) -> int:
    options = job["options"]
    control = RunControl()
    reporter = None
    connection = None
    listener = ignore
    if ranks.main:
        connection = Client(job["relay"], authkey=bytes.fromhex(os.environ[KEY_VARIABLE]))
        reporter = Reporter(connection, options["weights_interval"])

        def listener(event):  # a failure goes to the launcher instead (see the module's docstring)
            if not isinstance(event, Failed):
                reporter.event(event)

    trainer = make_trainer(
        job["spec"],
        job["dataset"],
        job["config"],
        options,
        listener,
        control,
        kind=DistributedTrainer,
        machine=machine,
        ranks=ranks,
        pause_heartbeat=options.get("pause_heartbeat"),
    )
    if reporter is not None:
        reporter.trainer = trainer
        if job["probe"] is not None:
            trainer.set_probe(*job["probe"])
        threading.Thread(target=obey, args=(connection, control, trainer), daemon=True, name="commands").start()
    outcome = trainer.fit()
    if reporter is not None:
        if outcome != "failed":
            reporter.weights()
            reporter.send(Ended(outcome, trainer.history, trainer.config.to_json()))
        reporter.mailbox.close()
        connection.close()
    if outcome == "failed":
        report_failure(trainer.failure or "training failed")
        return EXIT_FAILED
    return 0


def _exit_when_orphaned() -> None:
    """End this rank if the process that launched it is gone (the app killed it): rank 0 sees its relay
    close and stops the run, so first give it time to write its checkpoint."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        time.sleep(ORPHAN_GRACE_S)
        os._exit(EXIT_FAILED)

    threading.Thread(target=watch, daemon=True, name="orphan-watch").start()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
