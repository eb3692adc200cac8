"""Cooperative stop and pause for a run, safe to call from any thread (e.g. the GUI's)."""

from __future__ import annotations

import threading
from typing import Any


class RunControl:
    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while paused
        self._running.set()

    def stop(self) -> None:
        """Stop at the next batch boundary (also ends a pause)."""
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def pause_requested(self) -> bool:
        return not self._running.is_set()

    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block until resumed or stopped; True unless the timeout ran out."""
        return self._running.wait(timeout)


class PendingChanges:
    """Live settings changed while a run is paused, from any thread, waiting for the next batch boundary."""

    def __init__(self) -> None:
        self._changes: dict[str, Any] = {}
        self._lock = threading.Lock()

    def add(self, config, **changes: Any):
        """Queue `changes` to `config` (a TrainConfig); returns the config they make, checked now (ConfigError
        for a setting that may not change during a run or an invalid value)."""
        with self._lock:
            merged = {**self._changes, **changes}
            candidate = config.with_live_changes(**merged)
            self._changes = merged
        return candidate

    def take(self) -> dict[str, Any]:
        """The changes queued so far (none left after)."""
        with self._lock:
            changes, self._changes = self._changes, {}
        return changes

    def __bool__(self) -> bool:
        return bool(self._changes)
