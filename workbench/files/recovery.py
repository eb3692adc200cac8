"""Nothing lost: each window's recovery folder, what is kept in it, and finding those a dead window left behind.

The spec being edited is kept while it has unsaved changes (`Autosave`), and an app run's training checkpoint
beside it. A window owns a folder `recovery/<id>/` in the state folder (`state_dir`): its autosaved
spec (`autosave.json`), its app runs' checkpoint (`last-run.checkpoint.cnnwb`) and a lock file
(`owner.lock`) that it holds for its lifetime. Two windows, in one process or in two, never share a file.
The state folder is the app's data folder (the window passes Qt's AppDataLocation) unless the
environment variable WORKBENCH_STATE_DIR names another (tests use it, so they never touch the user's data).

A clean close removes the autosave, and the folder with it unless it holds an interrupted run's
checkpoint (that stays, to be resumed after the next start, as a finished run's checkpoint does not).
A killed or crashed window leaves its folder with a stale lock: an *orphan*. At start the window lists
the orphans (`find_orphans`), offers each autosaved spec back, and adopts the newest interrupted run's
checkpoint as its own (`Orphan.adopt_checkpoint`); older checkpoints stay where they are, for the
following starts, one each. Files that the previous version kept at the state folder's top level
(one shared autosave and checkpoint) are an orphan too.

The lock itself is injected (`Claimer`), so the core stays free of Qt: the app passes one built on
QLockFile, which records the owner's pid, host and program and takes over a lock whose owner is dead;
tests pass their own. Taking an orphan's lock before reading it means that two apps starting at once
never both adopt the same orphan, and that a live window's folder is never touched.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from workbench.model.spec import ModelSpec, SpecError, from_json
from workbench.text import show_path

__all__ = [
    "AUTOSAVE_FILE",
    "CHECKPOINT_FILE",
    "ENV_VAR",
    "LOCK_FILE",
    "RECOVERY_DIR",
    "Autosave",
    "Claim",
    "Claimer",
    "Orphan",
    "Recovered",
    "RecoveryFolder",
    "find_orphans",
    "new_folder",
    "state_dir",
]

ENV_VAR = "WORKBENCH_STATE_DIR"
AUTOSAVE_FILE = "autosave.json"
CHECKPOINT_FILE = "last-run.checkpoint.cnnwb"
AUTOSAVE_FORMAT = "cnn-workbench-autosave"
AUTOSAVE_VERSION = 1


def state_dir(default: str | os.PathLike) -> Path:
    """WORKBENCH_STATE_DIR if set, else `default`."""
    return Path(os.environ.get(ENV_VAR) or default)


@dataclass(frozen=True)
class Recovered:
    spec: ModelSpec
    path: Path | None  # the file the spec was opened from or saved to, if any


class Autosave:
    """The files kept in one recovery folder."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)

    @property
    def spec_path(self) -> Path:
        return self.folder / AUTOSAVE_FILE

    @property
    def checkpoint_path(self) -> Path:
        return self.folder / CHECKPOINT_FILE

    def write(self, spec: ModelSpec, path: Path | None = None) -> None:
        """Keep `spec`, atomically (a crash mid-write leaves the previous autosave). Not fsynced: it runs on
        the GUI thread while training may be running, and a sync can stall for long on a busy disk; what it
        guards against is the app dying, which an unsynced rename survives."""
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "format": AUTOSAVE_FORMAT,
            "version": AUTOSAVE_VERSION,
            "path": str(path) if path else None,
            "spec": spec.to_json(),
        }
        _replace_unsynced(self.spec_path, json.dumps(data, indent=1).encode("utf-8"))

    def clear(self) -> None:
        self.spec_path.unlink(missing_ok=True)

    def pending_restore(self) -> Recovered | None:
        """The spec left by a session that did not exit cleanly; None if there is none or it is unreadable
        (an unreadable one is removed: there is nothing to offer)."""
        try:
            data = json.loads(self.spec_path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != AUTOSAVE_FORMAT:
                raise ValueError("not an autosave")
            path = data.get("path")
            return Recovered(from_json(data["spec"]), Path(path) if isinstance(path, str) else None)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, SpecError):
            self.clear()
            return None

    def has_checkpoint(self) -> bool:
        return self.checkpoint_path.is_file()

    def clear_checkpoint(self) -> None:
        self.checkpoint_path.unlink(missing_ok=True)


def _replace_unsynced(target: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


# ----- each window's folder, and the orphans of dead windows ----------------------------------------

RECOVERY_DIR = "recovery"
LOCK_FILE = "owner.lock"
ATTEMPTS = 5


class Claim(Protocol):
    """A lock held by this process (QLockFile is one)."""

    def unlock(self) -> None: ...


Claimer = Callable[[Path], "Claim | None"]
"""Takes the lock file at the given path: a Claim, or None while a live process holds it."""


class RecoveryFolder:
    """One window's recovery files and the lock that says its owner lives."""

    def __init__(self, folder: Path, claim: Claim, legacy: bool = False) -> None:
        self.folder, self.claim, self.legacy = folder, claim, legacy
        self.autosave = Autosave(folder)

    @property
    def checkpoint_path(self) -> Path:
        return self.autosave.checkpoint_path

    def close(self) -> None:
        """Let go: the autosave is removed, and the folder too unless it holds a checkpoint, which stays (its
        lock released) for a later start to adopt. Errors are left to the caller, after the lock is released."""
        try:
            self.autosave.clear()
            for stray in self.folder.glob(f".{AUTOSAVE_FILE}.*.tmp"):  # a write cut short by a crash
                stray.unlink(missing_ok=True)
        finally:
            self.claim.unlock()
        if not self.legacy and not self.autosave.has_checkpoint():
            with contextlib.suppress(OSError):  # not empty: another start took it over meanwhile, or left a file
                self.folder.rmdir()


def new_folder(state: str | os.PathLike, claim: Claimer) -> RecoveryFolder:
    """A fresh recovery folder for one window, its lock held; OSError if none can be made and locked."""
    root = Path(state) / RECOVERY_DIR
    for _ in range(ATTEMPTS):
        folder = root / f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{secrets.token_hex(4)}"
        folder.mkdir(parents=True)
        held = claim(folder / LOCK_FILE)
        if held is not None:
            return RecoveryFolder(folder, held)
        with contextlib.suppress(OSError):  # another start saw it empty and is removing it: try a new name
            folder.rmdir()
    raise OSError(f"cannot lock a recovery folder in {root}")


@dataclass
class Orphan:
    """A dead window's recovery folder, its lock now held by this process until `release`."""

    recovery: RecoveryFolder
    recovered: Recovered | None  # the autosaved spec, if any
    saved_at: datetime | None  # when it was autosaved
    checkpoint_at: datetime | None  # when its interrupted run last wrote its checkpoint, if it has one

    @property
    def folder(self) -> Path:
        return self.recovery.folder

    @property
    def latest(self) -> datetime:
        return max(t for t in (self.saved_at, self.checkpoint_at, datetime.min) if t is not None)

    def discard_autosave(self) -> None:
        self.recovery.autosave.clear()
        self.recovered = self.saved_at = None

    def adopt_checkpoint(self, into: Path) -> None:
        """Move the interrupted run's checkpoint to `into` (the adopting window's checkpoint path)."""
        into.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.recovery.checkpoint_path, into)
        self.checkpoint_at = None

    def release(self) -> None:
        """Done with it: the folder is removed, unless a checkpoint was left in it for a later start."""
        self.recovery.close()


def find_orphans(state: str | os.PathLike, claim: Claimer) -> tuple[list[Orphan], list[str]]:
    """The recovery folders whose owner is dead, newest first, each with its lock taken, and a line for each
    folder that could not be read (left as it is). A folder that a live process holds is not touched; an
    orphan that holds nothing is removed. The previous version's files at the state folder's top level
    come as one more (`legacy`). OSError if the state folder cannot be listed."""
    state = Path(state)
    root = state / RECOVERY_DIR
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []
    if any((state / name).is_file() for name in (AUTOSAVE_FILE, CHECKPOINT_FILE)):
        folders.append(state)
    orphans, problems = [], []
    for folder in folders:
        try:
            orphan = _take(folder, claim, legacy=folder == state)
            if orphan is not None and orphan.recovered is None and orphan.checkpoint_at is None:
                orphan.release()  # nothing in it: an empty folder goes
                orphan = None
        except OSError as exc:
            problems.append(f"cannot read {show_path(folder)}: {exc.strerror or exc}")
            continue
        if orphan is not None:
            orphans.append(orphan)
    return sorted(orphans, key=lambda o: o.latest, reverse=True), problems


def _take(folder: Path, claim: Claimer, legacy: bool) -> Orphan | None:
    held = claim(folder / LOCK_FILE)
    if held is None:
        return None  # its window lives (or another start is taking it over right now)
    recovery = RecoveryFolder(folder, held, legacy)
    try:
        recovered = recovery.autosave.pending_restore()  # an unreadable autosave is removed
        return Orphan(
            recovery,
            recovered,
            _modified(recovery.autosave.spec_path) if recovered is not None else None,
            _modified(recovery.checkpoint_path) if recovery.autosave.has_checkpoint() else None,
        )
    except OSError:
        held.unlock()
        raise


def _modified(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime)
