"""Shared test set-up: Qt runs offscreen; real MNIST is used only when WORKBENCH_DATA_DIR has it; every
test keeps its runs in a run store of its own, and its studies in a folder of its own, never in the user's."""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Python's bytecode cache is written even where PYTHONDONTWRITEBYTECODE asks it not to be (CI sets it). The README
# installs with `pip install --no-compile`, so nothing is compiled before the first import; the suite then starts
# some 40 processes (xdist workers, training processes, the CLI) that import torch, and without a cache each one
# compiled torch's modules from source again: 6 s of CPU apiece, 139 s more in all (the whole suite took 565 s of
# CPU instead of 391 s, 286 s instead of 199 s on 2 cores). Set here, before the workers and children start, so
# they inherit it; the caches go where pip would have put them (the venv's and the sources' __pycache__, ignored
# by git).
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
# Tests run side by side (pytest-xdist) and beside their own child processes, so torch's OpenMP threads often
# outnumber the cores; spinning while they wait then takes the cores from the threads with work (measured: the
# teach and runs tests took 98 s on 2 cores spinning, 59 s sleeping). Read when torch loads: set before any test
# module imports it; the children inherit it.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# For the same reason each process trains on one thread unless a test asks for more (`threads`): the workers and
# their children keep every core busy, so a second thread per process only adds the cost of keeping threads in
# step (18% more CPU for the same steps on 2 cores; the whole suite took 216 s and 427 s of CPU instead of 248 s
# and 488 s).
os.environ.setdefault("WORKBENCH_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # and torch's own default (tests' forward passes, numpy's BLAS)
# The app's texts in English, whatever the machine's locale or the settings say, unless a test asks for another
# language (tests/ui/test_i18n.py); tests/ui/conftest.py puts English back after each test.
os.environ["WORKBENCH_LANG"] = "en"


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto` (pyproject's addopts): one worker more than the cores (at most 4, `--maxprocesses`). Tests wait
    now and then (a child process starting, a window's event loop), and a third worker on 2 cores fills those
    waits: the suite took 248 s with three workers and 263 s with two, the cores 99% and 92% busy."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config, items) -> None:
    """Files with the most tests marked slow run first, each file's tests in their own order. pytest-xdist hands a
    worker one file at a time (`--dist loadfile`), so a long file begun late ran on alone while the other
    workers, done, left their cores idle (11 s at the end of a 185 s run)."""
    slow: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        slow[path] = slow.get(path, 0) + (item.get_closest_marker("slow") is not None)
    items.sort(key=lambda item: -slow[item.nodeid.split("::")[0]])  # a stable sort: the rest keeps its order


@pytest.fixture(scope="session", autouse=True)
def no_users_stores(tmp_path_factory):
    """The run store, studies and state folders of the session, set before any fixture of a wider scope than a
    test's starts a process: a module's fixture (a CLI run of torchrun's) ran before `isolated_run_store` and
    its processes kept their runs in the user's run store (260 runs there after a day of test runs)."""
    base = tmp_path_factory.mktemp("session-stores")
    saved = {name: os.environ.get(name) for name in SESSION_FOLDERS}
    os.environ.update({name: str(base / folder) for name, folder in SESSION_FOLDERS.items()})
    yield base
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


SESSION_FOLDERS = {"WORKBENCH_RUNS_DIR": "runs", "WORKBENCH_STUDIES_DIR": "studies", "WORKBENCH_STATE_DIR": "state"}


@pytest.fixture(autouse=True)
def isolated_run_store(tmp_path, tmp_path_factory, monkeypatch):
    """The test's run store folder (not yet made): beside its tmp_path, so tests that list the files
    they wrote there see only those."""
    folder = tmp_path_factory.getbasetemp() / f"run-store-{tmp_path.name}"
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", str(folder))
    monkeypatch.setenv("WORKBENCH_STUDIES_DIR", str(tmp_path_factory.getbasetemp() / f"studies-{tmp_path.name}"))
    return folder


@pytest.fixture(scope="session")
def digits_model(tmp_path_factory):
    """(path, SavedModel): mnist-fast trained on the built-in digits, shared by the session (tests/trained.py)."""
    from tests.trained import load_shared

    return load_shared(tmp_path_factory, "digits")
