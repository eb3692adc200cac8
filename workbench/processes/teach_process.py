"""Run `teach` in a child process, as training runs (see workbench.processes.remote for why a process).

Messages from the child, each a tuple:
    ("progress", step, steps, loss)
    ("done", state {name: ndarray}, labels, before, after, steps, seconds, stopped)
    ("failed", message)                        one line: what was wrong
Commands to it: ("stop",).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from dataclasses import asdict

import numpy as np
import torch

from workbench.data.images import ImageSet
from workbench.model.spec import ModelSpec, loads
from workbench.processes.remote import TrainingProcessLost, _arrays, join_or_kill, yield_to_the_window
from workbench.training.config import default_threads
from workbench.training.teach import TeachResult, TeachSettings, teach

__all__ = ["RemoteTeach"]


class RemoteTeach:
    """One Teach in a child process: `start()`, then `receive()` (blocking) until "done" or "failed";
    `stop()` ends it early (the result then has the weights reached so far). `result(message)` turns the
    "done" message into a TeachResult."""

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
        context = multiprocessing.get_context("spawn")  # fork would copy the GUI's threads and Qt state
        self._inbox, child_outbox = context.Pipe(duplex=False)
        child_inbox, self._outbox = context.Pipe(duplex=False)
        job = {
            "spec": spec.dumps(),
            "state": _arrays(state),
            "mean": tuple(mean),
            "std": tuple(std),
            "images": images.float().numpy(),
            "labels": labels.numpy(),
            "original": (original.images.numpy(), original.labels.numpy()),
            "settings": asdict(settings or TeachSettings()),
        }
        self.process = context.Process(target=serve, args=(child_outbox, child_inbox, job), daemon=True, name="teach")
        self._child_ends = (child_outbox, child_inbox)

    def start(self) -> None:
        self.process.start()
        for end in self._child_ends:
            end.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            self._outbox.send(("stop",))

    def receive(self) -> tuple:
        try:
            return self._inbox.recv()
        except (EOFError, OSError):
            self.process.join(5)
            code = self.process.exitcode
            how = "was killed (out of memory?)" if code == -9 else f"ended with exit code {code}"
            raise TrainingProcessLost(f"the teaching process {how}; the model is unchanged") from None

    def join(self, timeout: float | None = None) -> bool:
        return join_or_kill(self.process, timeout)

    def close(self) -> None:
        for end in (self._inbox, self._outbox):
            end.close()

    @staticmethod
    def result(message: tuple) -> TeachResult:
        _, state, labels, before, after, steps, seconds, stopped = message
        return TeachResult(
            {name: torch.from_numpy(value) for name, value in state.items()},
            labels,
            before,
            after,
            steps,
            seconds,
            stopped,
        )


def serve(outbox, inbox, job: dict) -> None:
    """The teaching process's main."""
    yield_to_the_window()
    torch.set_num_threads(default_threads())
    stop = threading.Event()

    def obey() -> None:
        with contextlib.suppress(EOFError, OSError):
            while inbox.recv()[0] != "stop":
                pass
        stop.set()  # a stop, or the app went away

    threading.Thread(target=obey, daemon=True, name="commands").start()
    try:
        result = _run(job, outbox, stop)
    except (ValueError, RuntimeError) as exc:
        outbox.send(("failed", str(exc).splitlines()[0] if str(exc) else type(exc).__name__))
    else:
        state = _arrays(result.state)
        outbox.send(
            ("done", state, result.labels, result.before, result.after, result.steps, result.seconds, result.stopped)
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
        progress=lambda step, steps, loss: outbox.send(("progress", step, steps, loss)),
        should_stop=stop.is_set,
    )
