"""Where datasets live: the folder given, else $WORKBENCH_DATA_DIR, else the per-user data folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DATA_DIR = "WORKBENCH_DATA_DIR"


def default_data_dir() -> Path:
    """The per-user data folder: $XDG_DATA_HOME when set, else the platform's usual place."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        base = Path(xdg)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path.home() / ".local" / "share"
    return base / "cnn-workbench" / "data"


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The data folder: the explicit one, else $WORKBENCH_DATA_DIR, else `default_data_dir()`."""
    chosen = explicit if explicit not in (None, "") else os.environ.get(ENV_DATA_DIR) or None
    return Path(chosen).expanduser() if chosen is not None else default_data_dir()
