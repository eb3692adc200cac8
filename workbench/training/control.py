"""Cooperative stop and pause for a run, safe to call from any thread (e.g. the GUI's)."""

from __future__ import annotations

import threading


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
