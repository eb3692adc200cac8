"""The test suite never writes to the user's run store, studies or state folders, not even from a fixture wider
than a test (set up before the per-test folders are)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FOLDERS = ("WORKBENCH_RUNS_DIR", "WORKBENCH_STUDIES_DIR", "WORKBENCH_STATE_DIR")


@pytest.fixture(scope="module")
def folders_of_a_module_fixture() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in FOLDERS}


def test_a_module_fixture_and_its_processes_see_the_sessions_folders(folders_of_a_module_fixture, tmp_path_factory):
    base = tmp_path_factory.getbasetemp().resolve()
    for name, folder in folders_of_a_module_fixture.items():
        assert folder and Path(folder).resolve().is_relative_to(base), (name, folder)
