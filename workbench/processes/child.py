"""One child process of the app and the two pipes to it, as a training run (`remote.RemoteRun`) and Teach
(`teach_process.RemoteTeach`) both use them; and, for the child's side, the loop that obeys the app's commands.

Never forked from the app: fork would copy the window's threads and Qt state. Where the system has it, a child
is forked from multiprocessing's fork server instead, a clean process started once that has already imported
torch and the training code (`PRELOAD`), so a run's process is ready in a few milliseconds instead of the
2-3 s of CPU a fresh interpreter spends importing torch; elsewhere it is spawned. The fork server was started
with the environment of its time, so each child takes the app's environment as it is now (`_in_environment`).
The parent closes the child's ends
of the pipes once the child has started, so that the child's end (exit, crash, kill) reaches the reader as
the end of its pipe, which `receive` turns into `TrainingProcessLost`, its exit code explained in words.
Messages are the dataclasses of `messages`; weights travel as plain numpy arrays (`plain_arrays`).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from workbench.processes.messages import Message, dispatch

__all__ = [
    "ChildProcess",
    "TrainingProcessLost",
    "how_it_ended",
    "join_or_kill",
    "plain_arrays",
    "process_context",
    "serve_commands",
    "start_child",
]


# What the fork server imports once, so that no child imports it again: the children's own modules, what a run
# imports when it starts (`remote` imports the trainer lazily, for the window's sake), and torch._dynamo, which the
# first optimizer of every process imports (torch.optim's add_param_group is wrapped in torch._disable_dynamo):
# about 900 modules, sympy among them, 2 s of CPU that each run and each Teach paid before it could start.
PRELOAD = [
    "workbench.processes.remote",
    "workbench.processes.teach_process",
    "workbench.training.trainer",
    "workbench.files.model_file",
    "workbench.insight.health",
    "torch._dynamo",
]


def process_context():
    """The fork server where there is one (Linux, macOS), else spawn: how every child of the app is made."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # used when the server starts (once, at the first child)
    return context


def _in_environment(environ: dict[str, str], target: Callable[..., None], *args) -> None:
    """Run `target(*args)` with the parent's environment of the moment the child was made."""
    os.environ.clear()
    os.environ.update(environ)
    target(*args)


def start_child(target: Callable[..., None], args: tuple, *, name: str):
    """A started child process running `target(*args)` in this process's environment of now, with no pipes (it
    reports through what it writes: an experiment's worker, to its study and its log)."""
    context = process_context()
    process = context.Process(target=_in_environment, args=(dict(os.environ), target, *args), name=name, daemon=True)
    process.start()
    return process


class TrainingProcessLost(RuntimeError):
    """A child process ended without its last message (killed, crashed)."""


class ChildProcess:
    """A child process running `target(outbox, inbox, *args)`, where `outbox` carries its messages to this
    process and `inbox` this process's commands to it. Sending never blocks on a child that has gone and
    may come from any thread; `receive` (one reader thread) blocks."""

    def __init__(self, target: Callable[..., None], args: tuple, *, name: str, title: str, kept: str) -> None:
        """`title` names the process in the message of its loss ("the training process"), `kept` says what
        the user keeps then ("the model is unchanged")."""
        context = process_context()
        self._inbox, child_outbox = context.Pipe(duplex=False)
        child_inbox, self._outbox = context.Pipe(duplex=False)
        child_args = (dict(os.environ), target, child_outbox, child_inbox, *args)
        self.process = context.Process(target=_in_environment, args=child_args, name=name, daemon=True)
        self._child_ends = (child_outbox, child_inbox)
        self._send_lock = threading.Lock()
        self._start_lock = threading.Lock()  # a start in progress and a join wait for each other
        self._started = self._called_off = False
        self._title, self._kept = title, kept

    def start(self) -> None:
        """Start the process. The first child may wait for the fork server to import torch (a few seconds), so
        a window calls this from a thread of its own (ui.process_reader); commands sent meanwhile wait in the
        pipe. Does nothing once `join` has called the process off."""
        with self._start_lock:
            if self._called_off:
                return
            self.process.start()
            self._started = True
        for end in self._child_ends:  # the child holds them now; closing ours lets EOF reach the reader
            end.close()

    def send(self, message: Message) -> None:
        """Send a command; nothing happens if the child has ended (there is nothing left to control)."""
        with self._send_lock, contextlib.suppress(OSError, EOFError):
            self._outbox.send(message)

    def receive(self) -> Message:
        """The next message; TrainingProcessLost if the process is gone without its last message."""
        try:
            return self._inbox.recv()
        except (EOFError, OSError):
            if self._started:
                self.process.join(5)
            raise TrainingProcessLost(self.lost_reason()) from None

    def lost_reason(self) -> str:
        ended = how_it_ended(self.process.exitcode) if self._started else "was called off before it started"
        return f"{self._title} {ended}; {self._kept}"

    def could_not_start(self, exc: BaseException) -> str:
        return f"{self._title} could not start ({type(exc).__name__}: {exc}); {self._kept}"

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the process to end; True if it has. Kills it if it outlives `timeout`. A process not yet
        started is called off (it never starts); one starting is waited for first."""
        with self._start_lock:
            if not self._started:
                self._called_off = True
                for end in self._child_ends:  # nobody will hold them: the reader sees the end of its pipe
                    end.close()
                return True
        return join_or_kill(self.process, timeout)

    def close(self) -> None:
        """Let go of the pipes. The process's own handle goes with this object (multiprocessing reaps the
        process when the next child starts), so a window that starts hundreds of them keeps no descriptors."""
        for end in (self._inbox, self._outbox):
            end.close()


def how_it_ended(code: int | None) -> str:
    """A child's exit code in words: 'was killed (signal SIGKILL, out of memory?)', 'ended with exit code 1'."""
    if code is None:
        return "closed its pipe but has not ended"
    if code >= 0:
        return f"ended with exit code {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = str(-code)
    return f"was killed (signal {name}{', out of memory?' if name == 'SIGKILL' else ''})"


def join_or_kill(process, timeout: float | None) -> bool:
    """Wait up to `timeout` for a child process to end, then kill it; True once it has ended."""
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join(5)
    return not process.is_alive()


def plain_arrays(state: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Weights as plain numpy arrays for the pipe (tensors would go through torch's shared-memory pickling)."""
    return {
        name: np.asarray(value.detach().cpu() if hasattr(value, "detach") else value) for name, value in state.items()
    }


# ----- the child's side ----------------------------------------------------------------------------------


def serve_commands(inbox, handlers: Mapping[type, Callable[[Any], None]], gone: Callable[[], None]) -> None:
    """Obey the app's commands, each by its handler, until the pipe closes; then `gone()` (the app went away:
    stop rather than work for nobody). A command without a handler is refused loudly (UnknownMessage, after
    `gone()`), never passed over."""
    try:
        while True:
            try:
                command = inbox.recv()
            except (EOFError, OSError):
                return
            dispatch(command, handlers)
    finally:
        gone()
