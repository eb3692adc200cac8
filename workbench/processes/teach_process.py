"""Run `teach` in a child process, as training runs (see workbench.processes.remote for why a process).

The process and its pipes are a `child.ChildProcess`; the messages are the dataclasses of `messages`:
Progress, then Taught (the result) or TeachFailed (one line: what was wrong) from the child; Stop to it.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import asdict

import numpy as np
import torch

from workbench.data.images import ImageSet
from workbench.model.spec import ModelSpec, loads
from workbench.processes.child import ChildProcess, plain_arrays, serve_commands
from workbench.processes.messages import Progress, Stop, Taught, TeachFailed
from workbench.processes.priority import yield_to_the_window
from workbench.training.config import default_threads
from workbench.training.teach import TeachResult, TeachSettings, teach

__all__ = ["RemoteTeach"]


class RemoteTeach(ChildProcess):
    """One Teach in a child process: `start()`, then `receive()` (blocking) until Taught or TeachFailed;
    `stop()` ends it early (the result then has the weights reached so far). `result(message)` turns the
    Taught message into a TeachResult."""

    def __init__(
        self,
        spec: ModelSpec,
        state: dict[str, torch.Tensor],
        mean,
        std,
        images: torch.Tensor,
        labels: torch.Tensor,
        original: ImageSet,
        settings: TeachSettings | None = None,
    ) -> None:
        job = {
            "spec": spec.dumps(),
            "state": plain_arrays(state),
            "mean": tuple(mean),
            "std": tuple(std),
            "images": images.float().numpy(),
            "labels": labels.numpy(),
            "original": (original.images.numpy(), original.labels.numpy()),
            "settings": asdict(settings or TeachSettings()),
        }
        super().__init__(
            serve_and_exit, (job,), name="teach", title="the teaching process", kept="the model is unchanged"
        )

    def stop(self) -> None:
        self.send(Stop())

    @staticmethod
    def result(message: Taught) -> TeachResult:
        return TeachResult(
            {name: torch.from_numpy(value) for name, value in message.state.items()},
            message.labels,
            message.before,
            message.after,
            message.steps,
            message.seconds,
            message.stopped,
        )


def serve_and_exit(outbox, inbox, job: dict) -> None:
    """The teaching process's target: `serve`, then exit at once, as the training process does (see
    remote.serve_and_exit): the interpreter's teardown of torch kept it alive 2 s after its result was out."""
    serve(outbox, inbox, job)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def serve(outbox, inbox, job: dict) -> None:
    """The teaching process's main."""
    yield_to_the_window()
    torch.set_num_threads(default_threads())
    stop = threading.Event()
    commands = threading.Thread(
        target=serve_commands, args=(inbox, {Stop: lambda _: stop.set()}, stop.set), daemon=True, name="commands"
    )  # a stop, or the app gone, ends the Teach with the weights reached so far
    commands.start()
    try:
        result = _run(job, outbox, stop)
    except (ValueError, RuntimeError) as exc:
        outbox.send(TeachFailed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    else:
        state = plain_arrays(result.state)
        outbox.send(
            Taught(state, result.labels, result.before, result.after, result.steps, result.seconds, result.stopped)
        )
    outbox.close()


def _run(job: dict, outbox, stop: threading.Event) -> TeachResult:
    images, labels = job["original"]
    original = ImageSet(torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(labels))
    return teach(
        loads(job["spec"]),
        {name: torch.from_numpy(value) for name, value in job["state"].items()},
        job["mean"],
        job["std"],
        torch.from_numpy(job["images"]),
        torch.from_numpy(job["labels"]),
        original,
        TeachSettings(**job["settings"]),
        progress=lambda step, steps, loss: outbox.send(Progress(step, steps, loss)),
        should_stop=stop.is_set,
    )
