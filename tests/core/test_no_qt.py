"""The core never imports Qt or pyqtgraph: checked in the source and in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import workbench

QT = re.compile(r"^\s*(from|import)\s+(PySide6|PyQt5|PyQt6|pyqtgraph|shiboken6)\b", re.MULTILINE)


def test_no_qt_import_in_core_sources():
    root = Path(workbench.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py") if QT.search(path.read_text())]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    found = pkgutil.walk_packages(workbench.__path__, "workbench.")
    modules = [m.name for m in found if not m.name.endswith("__main__")]
    assert len(modules) > 30
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'shiboken6')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
