"""The app's log file, `<state folder>/logs/workbench.log`: what failed beside the window, with its traceback
(a message box shows one line of it). At most LOG_BYTES, and BACKUPS older files beside it."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_BYTES = 1_000_000
BACKUPS = 2
LOGGERS = ("ui", "workbench")  # the app's and the core's loggers (not torch's or Qt's)
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def log_path(state: Path) -> Path:
    return Path(state) / "logs" / "workbench.log"


def start_log(state: Path) -> Path | None:
    """Log to the state folder's file from now on (again for the same folder: nothing changes; another
    folder takes its place). Returns the file, or None when it cannot be made (nothing is logged then)."""
    path = log_path(state)
    current = _handler()
    if current is not None and Path(current.baseFilename) == path.absolute():
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.set_name("workbench-log")
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if current is not None:
            logger.removeHandler(current)
        logger.addHandler(handler)
    if current is not None:
        current.close()
    return path


def _handler() -> RotatingFileHandler | None:
    for handler in logging.getLogger(LOGGERS[0]).handlers:
        if isinstance(handler, RotatingFileHandler) and handler.get_name() == "workbench-log":
            return handler
    return None
