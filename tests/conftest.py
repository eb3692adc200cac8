"""Shared test set-up: Qt runs offscreen; real MNIST is used only when WORKBENCH_DATA_DIR has it; every
test keeps its runs in a run store of its own, never in the user's."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests run side by side (pytest-xdist) and beside their own child processes, so torch's OpenMP threads often
# outnumber the cores; spinning while they wait then takes the cores from the threads with work (measured: the
# teach and runs tests took 98 s on 2 cores spinning, 59 s sleeping). Read when torch loads: set before any test
# module imports it; the children inherit it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@pytest.fixture(autouse=True)
def isolated_run_store(tmp_path, tmp_path_factory, monkeypatch):
    """The test's run store folder (not yet made): beside its tmp_path, so tests that list the files
    they wrote there see only those."""
    folder = tmp_path_factory.getbasetemp() / f"run-store-{tmp_path.name}"
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(folder))
    return folder
