"""Shared test set-up: Qt runs offscreen; real MNIST is used only when WORKBENCH_DATA_DIR has it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
