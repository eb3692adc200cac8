"""How long the GUI thread was kept from its event loop: the Train tab's and the Experiments tab's responsiveness
tests share this meter."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class GapMeter:
    """Ticks every 10 ms on the GUI thread and records the largest gap between ticks: in wall time
    (`largest`), and in the GUI thread's own CPU time (`largest_busy`, what the app's code spent between
    two ticks). On a shared machine other processes can hold both cores for a while and stretch the wall
    gap though the app did nothing; the busy time is the app's part."""

    def __init__(self):
        self.largest = self.largest_busy = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._last_busy = time.thread_time()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)

    def _tick(self):
        now, busy = time.perf_counter(), time.thread_time()
        self.largest = max(self.largest, now - self._last)
        self.largest_busy = max(self.largest_busy, busy - self._last_busy)
        self._last, self._last_busy = now, busy
        self.ticks += 1

    def start(self):
        self._last, self._last_busy = time.perf_counter(), time.thread_time()
        self.timer.start()
