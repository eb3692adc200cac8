"""What travels on the pipes between the app and its child processes: one frozen dataclass per kind of
message, as the events are, dispatched by type (`dispatch`), never by a string. A message of a type its
reader has no handler for is refused loudly (`UnknownMessage`), not skipped.

From a training process (`remote`, and rank 0 of a run across processes through its relay):
    EventMessage(event)                    every event the trainer emits
    Weights(step, arrays)                  a copy of the weights, a few times a second and at the end
    Ended(outcome, history, config)        after `fit` returned: "finished", "stopped" or "failed"; the last
Commands to it: Pause(), Resume(changes), Stop(), Probe(image, label), Explain(method, target).

From a teaching process (`teach_process`):
    Progress(step, steps, loss)
    Taught(state, labels, before, after, steps, seconds, stopped)       the last
    TeachFailed(reason)                    one line: what was wrong; the last
Commands to it: Stop().

Only plain data (numbers, strings, lists, dicts, numpy arrays), the core's events and these classes cross the
pipes, between this app's own processes; nothing here unpickles a file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from workbench.events import Event

__all__ = [
    "Ended",
    "EventMessage",
    "Explain",
    "Message",
    "Pause",
    "Probe",
    "Progress",
    "Resume",
    "Stop",
    "Taught",
    "TeachFailed",
    "UnknownMessage",
    "Weights",
    "dispatch",
]


class UnknownMessage(TypeError):
    """A message its reader has no handler for: a programming error, never to be passed over in silence."""


@dataclass(frozen=True)
class Message:
    """A message on a pipe. `last`: nothing follows it (the process ends once it is delivered)."""

    last: ClassVar[bool] = False


def dispatch(message: Any, handlers: Mapping[type, Callable[[Any], None]]) -> None:
    """Call the handler for the message's type; UnknownMessage if there is none."""
    handler = handlers.get(type(message))
    if handler is None:
        known = ", ".join(sorted(kind.__name__ for kind in handlers))
        raise UnknownMessage(f"no handler for a message of type {type(message).__name__} (handled: {known})")
    handler(message)


# ----- from a training process ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EventMessage(Message):
    event: Event


@dataclass(frozen=True)
class Weights(Message):
    step: int
    arrays: dict[str, np.ndarray]


@dataclass(frozen=True)
class Ended(Message):
    outcome: str  # "finished", "stopped" or "failed"
    history: list[dict[str, Any]]
    config: dict[str, Any]  # the run's TrainConfig as JSON, with the changes made while it ran

    last: ClassVar[bool] = True


# ----- commands to a child process -----------------------------------------------------------------------


@dataclass(frozen=True)
class Pause(Message):
    pass


@dataclass(frozen=True)
class Resume(Message):
    changes: dict[str, Any] = field(default_factory=dict)  # live settings, checked by the app already


@dataclass(frozen=True)
class Stop(Message):
    pass


@dataclass(frozen=True)
class Probe(Message):
    image: np.ndarray
    label: int | None


@dataclass(frozen=True)
class Explain(Message):
    method: str | None
    target: int | None


# ----- from a teaching process ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress(Message):
    step: int
    steps: int
    loss: float


@dataclass(frozen=True)
class Taught(Message):
    """Teach's result, its weights as plain arrays (see `teach_process.RemoteTeach.result`)."""

    state: dict[str, np.ndarray]
    labels: np.ndarray
    before: np.ndarray
    after: np.ndarray
    steps: int
    seconds: float
    stopped: bool

    last: ClassVar[bool] = True


@dataclass(frozen=True)
class TeachFailed(Message):
    reason: str

    last: ClassVar[bool] = True
