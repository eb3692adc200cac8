"""Shared test set-up: Qt runs offscreen; real MNIST is used only when WORKBENCH_DATA_DIR has it; every
test keeps its runs in a run store of its own, never in the user's."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_run_store(tmp_path, tmp_path_factory, monkeypatch):
    """The test's run store folder (not yet made): beside its tmp_path, so tests that list the files
    they wrote there see only those."""
    folder = tmp_path_factory.getbasetemp() / f"run-store-{tmp_path.name}"
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(folder))
    return folder
