"""The app's child processes share one helper (`workbench.processes.child`) and one vocabulary of typed
messages (`workbench.processes.messages`): a message or command nobody handles is refused loudly, and a
training run and a Teach report a killed process alike, its exit code in words."""

from __future__ import annotations

import os
import signal
import sys

import pytest
import torch

from tests.core.synthetic import BARS_SPEC, bars_dataset
from workbench.events import Notice
from workbench.model.build import build_model
from workbench.processes.child import (
    ChildProcess,
    TrainingProcessLost,
    how_it_ended,
    process_context,
    serve_commands,
)
from workbench.processes.messages import Ended, EventMessage, Pause, Stop, UnknownMessage, dispatch
from workbench.processes.remote import RemoteRun
from workbench.processes.teach_process import RemoteTeach
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

KILLED = "was killed (signal SIGKILL, out of memory?)"


def test_a_message_without_a_handler_is_refused_loudly():
    seen = []
    dispatch(EventMessage(Notice("hello")), {EventMessage: seen.append, Ended: seen.append})
    assert seen == [EventMessage(Notice("hello"))]
    with pytest.raises(UnknownMessage, match="Pause"):
        dispatch(Pause(), {EventMessage: seen.append, Ended: seen.append})
    with pytest.raises(UnknownMessage, match="tuple"):  # the old shape of the messages is no message
        dispatch(("ended", "finished", [], {}), {Ended: seen.append})
    assert len(seen) == 1


class _Inbox:
    def __init__(self, *commands):
        self.commands = list(commands)

    def recv(self):
        if not self.commands:
            raise EOFError
        return self.commands.pop(0)


def test_the_child_obeys_commands_by_type_and_stops_on_an_unknown_one_or_when_the_app_is_gone():
    obeyed, gone = [], []
    handlers = {Pause: obeyed.append, Stop: obeyed.append}
    serve_commands(_Inbox(Pause(), Stop()), handlers, lambda: gone.append(True))
    assert obeyed == [Pause(), Stop()] and gone == [True]  # the pipe closed: the app went away
    with pytest.raises(UnknownMessage, match="tuple"):
        serve_commands(_Inbox(Pause(), ("stop",), Stop()), handlers, lambda: gone.append(True))
    assert obeyed == [Pause(), Stop(), Pause()] and gone == [True, True]  # stopped, not carried on


def test_exit_codes_in_words():
    assert how_it_ended(-9) == KILLED
    assert how_it_ended(-15) == "was killed (signal SIGTERM)"
    assert how_it_ended(3) == "ended with exit code 3"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_training_run_and_a_teach_are_one_kind_of_child_and_report_a_kill_alike():
    dataset = bars_dataset(train=128, val=16, test=16)
    run = RemoteRun(BARS_SPEC, dataset, TrainConfig(epochs=1, threads=1))
    state = build_model(BARS_SPEC).state_dict()
    teach = RemoteTeach(
        BARS_SPEC, state, dataset.mean, dataset.std, torch.zeros(2, 1, 12, 12), torch.tensor([0, 1]), dataset.train
    )
    reasons = []
    for child in (run, teach):
        assert isinstance(child, ChildProcess)
        child.start()
        os.kill(child.process.pid, signal.SIGKILL)
        with pytest.raises(TrainingProcessLost) as lost:
            while True:
                child.receive()
        assert child.join(10) and child.process.exitcode == -signal.SIGKILL
        child.send(Stop())  # a command to a process that has gone is nothing, not an error
        child.close()
        reasons.append(str(lost.value))
    assert reasons == [
        f"the training process {KILLED}; the model keeps the weights of its last update. Train again to continue",
        f"the teaching process {KILLED}; the model is unchanged",
    ]


def test_a_child_called_off_before_it_started_never_starts_and_its_reader_hears_the_end():
    """The window starts a child from its reader's thread; a close before that start calls the child off."""
    child = ChildProcess(_never_called, (), name="never", title="the test process", kept="nothing is lost")
    assert child.join(0)  # called off: nothing to wait for
    child.start()
    assert child.process.pid is None  # it never started
    with pytest.raises(TrainingProcessLost, match="the test process was called off before it started"):
        child.receive()
    child.close()


def _never_called(outbox, inbox) -> None:
    raise AssertionError("a child called off must not run")


def _imports_of_a_run(outbox, inbox) -> None:
    """In the child: train one tiny epoch and tell which modules that imported."""
    before = set(sys.modules)
    trainer = Trainer(BARS_SPEC, bars_dataset(train=64, val=16, test=16), TrainConfig(epochs=1, batch_size=32))
    assert trainer.fit() == "finished"
    outbox.send(sorted(name for name in set(sys.modules) - before if not name.startswith("tests.")))


@pytest.mark.skipif(process_context().get_start_method() != "forkserver", reason="children are spawned here")
def test_a_child_finds_what_a_run_imports_already_imported_by_the_fork_server():
    """torch's first optimizer in a process imports torch._dynamo (about 900 modules, 2 s of CPU), and the
    trainer is imported when a run starts: the fork server has done both once, for every child."""
    child = ChildProcess(_imports_of_a_run, (), name="imports", title="the test process", kept="nothing")
    child.start()
    try:
        imported = child.receive()
    finally:
        child.join(10)
    assert imported == [], f"{len(imported)} modules imported by the run itself, e.g. {imported[:5]}"
