"""A SQLite file that several processes use at once (two windows, the CLI, parallel trials): transactions that
take the write lock up front, waiting while another process holds it, a lock on the folder while a file is
moved aside, and telling real damage (not a database, malformed) from contention (busy, locked), which must
never be taken for damage."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

BUSY_TIMEOUT = 10.0  # seconds an open or a write waits for other processes using the store
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT, SQLITE_NOTADB = 5, 6, 11, 26  # primary result codes


class transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on an autocommit connection; nests as a no-op."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.db.in_transaction
        if self.outer:
            self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback) -> None:
        if self.outer:
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def until_free(attempt: Callable[[], Any], busy: Callable[[Exception], bool], timeout: float) -> Any:
    """`attempt()`, tried again while it fails as `busy` says, for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = 0.002
    while True:
        try:
            return attempt()
        except Exception as exc:
            if not busy(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(2 * pause, 0.05)


@contextlib.contextmanager
def folder_lock(folder: Path, timeout: float, *, exclusive: bool) -> Iterator[None]:
    """An advisory lock (flock) on the store's folder: opening takes it shared, moving a damaged file
    aside exclusive, so no process is half-way through opening the file (or its -wal, -shm) being
    moved, and only one moves it. None without fcntl (Windows, where an open file cannot be renamed)."""
    try:
        fd = None if fcntl is None else os.open(folder, os.O_RDONLY)
    except OSError:
        fd = None
    try:
        if fd is not None:
            mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
            try:
                until_free(lambda: fcntl.flock(fd, mode), lambda exc: isinstance(exc, BlockingIOError), timeout)
            except BlockingIOError:
                raise sqlite3.OperationalError("its folder is locked by another process") from None
            except OSError:
                pass  # a file system without flock: unlocked
        yield
    finally:
        if fd is not None:
            os.close(fd)


def file_identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _code(exc: sqlite3.DatabaseError) -> int | None:
    """SQLite's primary result code (Python ≥ 3.11 attaches the extended one), or None (3.10)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """The file is not a database, or SQLite found it malformed: nothing else is damage."""
    code = _code(exc)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc)
    return "file is not a database" in text or "malformed" in text


def is_busy(exc: Exception) -> bool:
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = _code(exc)
    if code is not None:
        return code in (SQLITE_BUSY, SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)
