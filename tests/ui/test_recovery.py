"""Windows that die keep nothing from each other: each has its own recovery folder and lock, and at start
every folder of a dead window is offered back, one question each, while a live window's is never touched.
The last test runs two windows in two real processes, closes one and kills the other."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.test_dashboard import SPEC
from ui.files import RESTORE_QUESTION, claim_lock
from ui.main_window import MainWindow
from workbench.files.recovery import RECOVERY_DIR, new_folder
from workbench.model.spec import from_json

ROOT = Path(__file__).resolve().parents[2]
START_S = 180  # a window's process imports torch and Qt: slow on a busy machine, never a sleep


def close(window: MainWindow) -> None:
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def orphan(state: Path, spec, mtime: float, path: Path | None = None, checkpoint: bytes = b""):
    """A recovery folder as a killed window leaves it: autosave (and checkpoint), its lock not held."""
    folder = new_folder(state, claim_lock)
    folder.autosave.write(spec, path)
    os.utime(folder.autosave.spec_path, (mtime, mtime))
    if checkpoint:
        folder.checkpoint_path.write_bytes(checkpoint)
    folder.claim.unlock()  # as if its process died: QLockFile finds a dead owner's lock stale
    return folder.folder


@pytest.fixture
def answers(monkeypatch):
    """QMessageBox.question answered from a list (Yes when it runs out); what was asked is kept."""
    asked: list[tuple[str, str]] = []
    given: list[QMessageBox.StandardButton] = []

    def question(parent, title, text, *rest):
        asked.append((title, text))
        return given.pop(0) if given else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked, given


def test_two_orphans_are_offered_one_question_each_and_a_live_window_is_not_touched(qtbot, tmp_path, answers):
    asked, _ = answers
    state = Path(os.environ["WORKBENCH_STATE_DIR"])
    live = MainWindow(SPEC)  # another open window, with unsaved work of its own
    live.document.add_layer(len(SPEC.layers), "ReLU")
    live.keeper.write_autosave()
    small = SPEC.with_layers(SPEC.layers[:2])
    old = orphan(state, small, time.time() - 3600, tmp_path / "mine.json")
    new = orphan(state, SPEC, time.time() - 60, checkpoint=b"an interrupted run")

    window = MainWindow()
    extra: list[MainWindow] = []
    assert window.keeper.offer_restore(lambda: extra.append(MainWindow()) or extra[-1])
    assert [title for title, _ in asked] == ["Restore unsaved work (1 of 2)", "Restore unsaved work (2 of 2)"]
    assert all(text.startswith(RESTORE_QUESTION) for _, text in asked)
    assert f"{len(SPEC.layers)} layers" in asked[0][1] and "Autosaved: " in asked[0][1]  # newest first
    assert "2 layers" in asked[1][1] and "Last saved as:" in asked[1][1] and "mine.json" in asked[1][1]
    assert "Resume the interrupted run" in window.statusBar().currentMessage()
    assert window.document.spec == SPEC and window.document.modified  # an undoable edit
    window.document.undo_stack.undo()
    assert window.document.spec != SPEC
    assert len(extra) == 1 and extra[0].document.spec == small  # the second one in a window of its own
    assert extra[0].keeper.autosave.spec_path.is_file()  # kept at once where its window lives
    assert "last saved as mine.json" in extra[0].statusBar().currentMessage()
    assert window.keeper.resume_action.isEnabled()
    assert window.dashboard.checkpoint_path.read_bytes() == b"an interrupted run"  # adopted, to resume
    assert not old.exists() and not new.exists()
    assert live.keeper.autosave.spec_path.is_file()  # the live window's folder: untouched, not offered
    for each in (window, live, *extra):
        close(each)
    kept = window.keeper.recovery.folder  # clean closes leave nothing but the checkpoint not yet resumed
    assert os.listdir(state / RECOVERY_DIR) == [kept.name] and os.listdir(kept) == ["last-run.checkpoint.cnnwb"]


def test_declining_forgets_the_model_and_an_older_checkpoint_waits_for_a_later_start(qtbot, answers):
    asked, given = answers
    state = Path(os.environ["WORKBENCH_STATE_DIR"])
    older = orphan(state, SPEC, time.time() - 60, checkpoint=b"older run")
    os.utime(older / "last-run.checkpoint.cnnwb", (time.time() - 60,) * 2)
    orphan(state, SPEC.with_input((1, 20, 20)), time.time(), checkpoint=b"newer run")
    given.extend([QMessageBox.StandardButton.No, QMessageBox.StandardButton.No])
    window = MainWindow(SPEC)
    assert not window.keeper.offer_restore()
    assert len(asked) == 2 and window.document.spec == SPEC and not window.document.modified
    assert window.dashboard.checkpoint_path.read_bytes() == b"newer run"  # the newest is adopted
    assert "1 older one kept for the next starts" in window.statusBar().currentMessage()
    assert (older / "last-run.checkpoint.cnnwb").read_bytes() == b"older run"  # kept, its lock released
    window.dashboard.checkpoint_path.unlink()  # as when the resumed run finishes
    close(window)
    following = MainWindow()  # the next start: nothing to ask, the older run to resume
    assert not following.keeper.offer_restore() and len(asked) == 2
    assert following.dashboard.checkpoint_path.read_bytes() == b"older run" and not older.exists()
    assert following.keeper.resume_action.isEnabled()
    close(following)


def test_the_previous_versions_single_autosave_is_offered_back(qtbot, answers):
    asked, _ = answers
    state = Path(os.environ["WORKBENCH_STATE_DIR"])
    from workbench.files.recovery import Autosave

    Autosave(state).write(SPEC)  # where the previous version kept it, with its checkpoint beside it
    (state / "last-run.checkpoint.cnnwb").write_bytes(b"old version's run")
    window = MainWindow()
    assert window.keeper.offer_restore() and len(asked) == 1 and window.document.spec == SPEC
    assert window.dashboard.checkpoint_path.read_bytes() == b"old version's run"
    assert sorted(p.name for p in state.iterdir() if p.name != "logs") == [RECOVERY_DIR]  # logs: the app's log file
    close(window)


def test_a_state_folder_that_cannot_be_written_is_one_status_line(qtbot, tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the state folder should be")
    monkeypatch.setenv("WORKBENCH_STATE_DIR", str(blocked))
    window = MainWindow(SPEC)
    assert window.keeper.recovery is None and window.dashboard.checkpoint_path is None
    assert not window.keeper.offer_restore()  # nothing to find there, and nothing raised
    assert window.statusBar().currentMessage().startswith("Cannot keep unsaved work in ")
    window.document.add_layer(len(SPEC.layers), "ReLU")
    window.keeper.write_autosave()
    message = window.statusBar().currentMessage()
    assert message.startswith("Cannot keep unsaved work") and "\n" not in message
    assert not window.keeper.resume_action.isEnabled()
    close(window)


# ----- two windows in two processes ----------------------------------------------------------------------


class Child:
    """A window in its own process (`tests/ui/recovery_window.py`), its stdout read line by line."""

    def __init__(self, env: dict, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.ui.recovery_window"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log.open("w"),
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, word: str, deadline: float) -> str:
        """The rest of the next line, which must start with `word`; fails at the deadline."""
        try:
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no {word!r} line in time; stderr: {self.log.read_text()[-2000:]}") from None
        assert line.split(" ", 1)[0] == word, f"{line!r}; stderr: {self.log.read_text()[-2000:]}"
        return line.partition(" ")[2]

    def send(self, command: str) -> None:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()


@pytest.mark.slow
def test_two_windows_one_closed_one_killed_the_killed_ones_model_is_offered_back(qtbot, tmp_path, answers):
    asked, _ = answers
    state = Path(os.environ["WORKBENCH_STATE_DIR"])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    a, b = Child(env, tmp_path / "a.log"), Child(env, tmp_path / "b.log")
    try:
        deadline = time.monotonic() + START_S
        where_a, where_b = json.loads(a.expect("ready", deadline)), json.loads(b.expect("ready", deadline))
        assert where_a["folder"] != where_b["folder"] and where_a["checkpoint"] != where_b["checkpoint"]
        deadline = time.monotonic() + 60
        a.send("add ReLU")
        b.send("add Flatten")
        b.send("add Linear")
        spec_a = from_json(json.loads(a.expect("saved", deadline)))
        b.expect("saved", deadline)
        spec_b = from_json(json.loads(b.expect("saved", deadline)))
        a.send("close")  # closed as the user does: its folder goes
        assert a.expect("closed", deadline) == ""
        assert a.process.wait(30) == 0 and not Path(where_a["folder"]).exists()
        b.process.send_signal(signal.SIGKILL)  # as a crash or the OOM killer would
        assert b.process.wait(30) == -signal.SIGKILL
    finally:
        for child in (a, b):
            if child.process.poll() is None:
                child.process.kill()
                child.process.wait(30)
    assert (Path(where_b["folder"]) / "autosave.json").is_file()  # its stale lock beside it

    window = MainWindow()  # the next start
    assert window.keeper.offer_restore()
    assert len(asked) == 1 and asked[0][1].startswith(RESTORE_QUESTION)
    assert f"{len(spec_b.layers)} layers" in asked[0][1]
    assert window.document.spec == spec_b and window.document.spec != spec_a
    assert not Path(where_b["folder"]).exists()
    assert os.listdir(state / RECOVERY_DIR) == [window.keeper.recovery.folder.name]
    close(window)
