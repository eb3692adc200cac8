"""Objects that follow an app-wide setting (the theme, the language): each owner's callbacks run on it now and
after every change, for as long as it lives.

Owners are held weakly and their callbacks live on their own Python wrapper, so nothing here keeps a window
alive; a callback must not refer to its owner (it is passed in), or the reference back makes a cycle that the
garbage collector may break on any thread, a worker's too, which deadlocked and crashed the app. An owner whose
C++ side is gone is skipped: walking QApplication.allWidgets() instead crashed the interpreter in the full test
suite, on a widget half torn down.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


class Followers:
    def __init__(self, attribute: str) -> None:
        self._attribute = attribute  # the attribute of a followed owner's wrapper that holds its callbacks
        self._owners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def add(self, owner: QObject, callback: Callable[..., None]) -> None:
        """Keep `callback(owner, *args)` for every later `run` (the caller runs it the first time)."""
        callbacks = getattr(owner, self._attribute, None)
        if callbacks is None:
            callbacks = []
            setattr(owner, self._attribute, callbacks)
            self._owners[owner] = None
        callbacks.append(callback)

    def run(self, *args: Any) -> None:
        """Every living owner's callbacks, in the order they were followed."""
        for owner in list(self._owners):
            if shiboken6.isValid(owner):
                for callback in getattr(owner, self._attribute, ()):
                    callback(owner, *args)
