"""The architecture contracts in pyproject.toml hold, and they do fail when broken.

`lint-imports` (import-linter) checks: the core never imports Qt/pyqtgraph/the app, the rooms of the
core import only downward, no package has an import circle, resources import no
code, and the app uses only public names of the core. The second test breaks every contract in a copy of the tree and
checks that lint-imports reports each break, so none of these checks can pass vacuously.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    for folder in ("workbench", "ui", "resources"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "tests").mkdir()
    for name in ("__init__.py", "contracts.py"):
        shutil.copy(ROOT / "tests" / name, copy / "tests" / name)
    shutil.copy(ROOT / "pyproject.toml", copy)
    return copy


BREAKS = [
    ("workbench/model/spec.py", "from PySide6.QtCore import QObject", "workbench.model.spec -> PySide6"),
    ("workbench/events.py", "import pyqtgraph", "workbench.events -> pyqtgraph"),
    ("workbench/training/trainer.py", "import workbench.processes.remote", "workbench.training.trainer"),
    ("workbench/insight/probe.py", "import multiprocessing", "workbench.insight.probe -> multiprocessing"),
    ("workbench/files/archive.py", "from workbench.training import trainer", "workbench.files.archive"),
    ("workbench/model/build.py", "import ui.style", "workbench.model.build -> ui.style"),
    ("workbench/data/images.py", "from workbench.data import datasets", ".images -> .datasets"),
    (
        "ui/app.py",
        "from workbench.processes.remote import _Mailbox",
        "imports _Mailbox from workbench.processes.remote",
    ),
    ("resources/__init__.py", "import workbench", "resources -> workbench"),
]


def test_each_contract_fails_when_broken(tree_copy):
    """Every break at once in one copy, one lint-imports run (each run costs a second of CPU): each is reported."""
    originals = {path: (tree_copy / path).read_text() for path, _, _ in BREAKS}
    for path, line, _ in BREAKS:
        target = tree_copy / path
        target.write_text(target.read_text() + f"\n{line}  # added by the test\n")
    try:
        result = lint_imports(tree_copy)
    finally:
        for path, original in originals.items():
            (tree_copy / path).write_text(original)
    assert result.returncode != 0, result.stdout
    missing = [reported for _, _, reported in BREAKS if reported not in result.stdout]
    assert not missing, f"not reported: {missing}\n{result.stdout}"
    assert "Contracts: 0 kept" in result.stdout, result.stdout  # each contract is broken by one of them
