"""What the core asks of the operating system: whether a process still lives, and a file replaced whole or
not at all (with the temporary files that a writer killed midway left behind).

Both are asked by more than one room (the archive and the exports write files atomically, the run store
asks whether the process that wrote a row still lives, the window writes drawings), so they sit at the bottom
beside `events.py` and `text.py` and import nothing of the core.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

__all__ = ["STALE_AFTER_S", "atomic_file", "process_alive", "remove_stale_temporaries"]

STALE_AFTER_S = 3600.0  # a temporary file this old is left over, whatever its process


def process_alive(pid: int | None) -> bool:
    """Whether the process `pid` still runs: this process does; no pid, no such process, one that cannot be
    asked (an impossible pid, any other error) and a zombie (killed, not yet reaped) do not; someone else's
    process (PermissionError) does. Where signal 0 is no probe (Windows: os.kill ends the process), every
    other process is taken to live."""
    if not pid:
        return False
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):
        return False
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    """A killed child not yet reaped still answers kill(pid, 0); on Linux its state says it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return True
    return fields[0] != "Z"


@contextlib.contextmanager
def atomic_file(target: Path):
    """A temporary file beside `target` that replaces it only if the block finishes without error."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, and only renamed on success
        dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _file_mode(target))
        os.replace(handle.name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        raise
    _sync_folder(target.parent)
    remove_stale_temporaries(target)


def remove_stale_temporaries(target: Path) -> list[Path]:
    """Delete the temporary files that earlier writes of `target` left behind when their process was killed
    mid-write: only names atomic_file makes for this target (".NAME.PID.XXXX.tmp"), and only those whose process
    is gone or that are over an hour old. Returns what was removed."""
    pattern = re.compile(re.escape(f".{target.name}.") + r"(\d+)\.[A-Za-z0-9_]+\.tmp")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            match = pattern.fullmatch(entry.name)
            if match is None or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                old = time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
                if old or not process_alive(int(match.group(1))):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


def _file_mode(target: Path) -> int:
    """Keep an overwritten file's permissions; new files get rw-r--r-- (temp files are created rw-------)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the OS allows syncing a directory (not on Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
