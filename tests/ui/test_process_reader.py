"""The window's one reader of a child process (ui.process_reader), used by a training run and by Teach: each
message arrives on the GUI thread in order, the reading ends after the last one or with `lost` once, and a
message of a type nobody handles is refused loudly."""

from __future__ import annotations

import pytest

from tests.core.synthetic import BARS_SPEC, bars_dataset
from ui.process_reader import ProcessReader
from ui.training.worker import TrainingRun
from workbench.events import Notice
from workbench.processes.child import TrainingProcessLost
from workbench.processes.messages import Ended, EventMessage, Progress, TeachFailed, UnknownMessage
from workbench.training.config import TrainConfig


class _Child:
    """What the reader reads: `receive` hands out these messages, then the process is lost."""

    def __init__(self, *messages, start_fails: bool = False):
        self.messages = list(messages)
        self.started, self.start_fails = False, start_fails

    def start(self):  # the reader starts the process on its own thread
        if self.start_fails:
            raise OSError(12, "Cannot allocate memory")
        self.started = True

    def could_not_start(self, exc):
        return f"the training process could not start ({exc})"

    def receive(self):
        if not self.messages:
            raise TrainingProcessLost("the training process was killed (signal SIGKILL, out of memory?)")
        return self.messages.pop(0)


def _read_to_the_end(child: _Child) -> tuple[ProcessReader, list, list]:
    """A reader of `child`, started; returns once its thread has quit by itself, with the lists its signals fill
    (queued: they fill as the signals reach this thread)."""
    reader = ProcessReader(child)
    received, lost = [], []
    reader.received.connect(received.append)
    reader.lost.connect(lost.append)
    reader.start()
    assert reader.thread.wait(5000)  # it quits by itself
    return reader, received, lost


RUN = (EventMessage(Notice("one")), EventMessage(Notice("two")), Ended("finished", [], {}))
TEACH = (Progress(1, 2, 0.5), TeachFailed("no"), Progress(2, 2, 0.4))  # nothing is read after the last message


@pytest.mark.parametrize(("messages", "expected"), [(RUN, RUN), (TEACH, TEACH[:2])], ids=["run", "teach"])
def test_the_reader_forwards_each_message_in_order_and_stops_after_the_last(qtbot, messages, expected):
    reader, received, lost = _read_to_the_end(_Child(*messages))
    qtbot.waitUntil(lambda: len(received) == len(expected))
    assert received == list(expected) and lost == []
    assert reader.child.started


def test_a_process_that_cannot_start_is_said_once_and_the_reader_ends(qtbot):
    _, received, lost = _read_to_the_end(_Child(Progress(1, 2, 0.5), start_fails=True))
    qtbot.waitUntil(lambda: lost != [])
    assert received == [] and lost == ["the training process could not start ([Errno 12] Cannot allocate memory)"]


def test_a_process_lost_before_its_last_message_is_said_once(qtbot):
    _, received, lost = _read_to_the_end(_Child(Progress(1, 2, 0.5)))
    qtbot.waitUntil(lambda: lost != [])
    assert received == [Progress(1, 2, 0.5)] and lost == [
        "the training process was killed (signal SIGKILL, out of memory?)"
    ]


def test_a_training_run_refuses_a_message_it_has_no_handler_for():
    run = TrainingRun(BARS_SPEC, bars_dataset(), TrainConfig(epochs=1))
    try:
        with pytest.raises(UnknownMessage, match="Progress"):
            run._on_message(Progress(1, 2, 0.5))  # a Teach's message is no training run's
        with pytest.raises(UnknownMessage, match="tuple"):
            run._on_message(("ended", "finished", [], {}))
        assert run.outcome is None
    finally:
        run.remote.close()
