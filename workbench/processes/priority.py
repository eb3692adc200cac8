"""The training processes' scheduling priority: below the window's."""

from __future__ import annotations

import contextlib
import os

__all__ = ["TRAINING_NICENESS", "yield_to_the_window"]

TRAINING_NICENESS = 5


def yield_to_the_window() -> None:
    """Lower this process's scheduling priority, so that on a machine with as many busy threads as cores the
    window still gets a core the moment it wakes: training uses every core (see default_threads) and the
    window is idle most of the time. Measured on 2 cores under CI load, the GUI-gap test's worst gap was
    100 ms at equal priority. Costs nothing when the window is idle: niceness only matters under contention."""
    if hasattr(os, "nice"):  # POSIX; on Windows the process keeps the normal priority class
        with contextlib.suppress(OSError):
            os.nice(TRAINING_NICENESS)
