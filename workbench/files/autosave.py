"""Nothing lost: the spec being edited is kept while it has unsaved changes, and an app run's training
checkpoint is kept beside it, in one window's recovery folder (`recovery.py` gives each window its own,
inside the state folder, and finds those a killed window left).

The state folder is the app's data folder (the window passes Qt's AppDataLocation) unless the
environment variable WORKBENCH_STATE_DIR names another (tests use it, so they never touch the user's
data). A clean exit removes the autosaved spec; if it is still there when the folder's window is gone,
the window was killed or crashed, and `pending_restore` returns what to offer back."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from workbench.model.spec import ModelSpec, SpecError, from_json

__all__ = ["AUTOSAVE_FILE", "CHECKPOINT_FILE", "ENV_VAR", "Autosave", "Recovered", "state_dir"]

ENV_VAR = "WORKBENCH_STATE_DIR"
AUTOSAVE_FILE = "autosave.json"
CHECKPOINT_FILE = "last-run.checkpoint.cnnwb"
FORMAT = "cnn-workbench-autosave"
VERSION = 1


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
        data = {"format": FORMAT, "version": VERSION, "path": str(path) if path else None, "spec": spec.to_json()}
        _replace_unsynced(self.spec_path, json.dumps(data, indent=1).encode("utf-8"))

    def clear(self) -> None:
        self.spec_path.unlink(missing_ok=True)

    def pending_restore(self) -> Recovered | None:
        """The spec left by a session that did not exit cleanly; None if there is none or it is unreadable
        (an unreadable one is removed: there is nothing to offer)."""
        try:
            data = json.loads(self.spec_path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
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
