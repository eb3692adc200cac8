"""The app works from an installed (non-editable) wheel: icons, themes, help and translations come from `resources/`.

The wheel is built from this tree without network (`--no-build-isolation`) and installed into a
temporary site folder; a fresh interpreter, started outside the source tree with that folder first
on its path, opens the main window (in Chinese: the translations are read from the wheel) and reads an
icon, a theme and a help text through the installed packages.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
import resources, ui, workbench
from resources import read_text
from ui.main_window import MainWindow
from ui.style import layer_icon
from workbench.model.catalog import CATALOG

window = MainWindow()
window.show()
app.processEvents()
image = layer_icon("Conv2d").pixmap(32, 32).toImage()
centre = image.pixelColor(16, 4)
print(json.dumps({
    "files": [resources.__file__, ui.__file__, workbench.__file__],
    "icon_null": image.isNull(),
    "icon_alpha": centre.alpha(),
    "help_in_catalog": CATALOG["Conv2d"].tooltip in read_text("help", "layers", "Conv2d.md"),
    "themes": resources.names("themes", ".qss"),
    "dark_qss_chars": len(read_text("themes", "dark.qss")),
    "window_title": window.windowTitle(),
    "train_tab": window.tabs.tabText(1),
}))
window.close()
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)]
    subprocess.run(build, check=True, capture_output=True, timeout=300, cwd=out)
    (wheel,) = out.glob("cnn_workbench-*.whl")
    site = out / "site"
    install = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        "--target",
        str(site),
        str(wheel),
    ]
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    return wheel


def test_the_wheel_carries_the_resources_and_no_tests(installed):
    names = zipfile.ZipFile(installed).namelist()
    assert any(n.startswith("resources/icons/") and n.endswith(".svg") for n in names)
    assert {"resources/themes/light.qss", "resources/themes/dark.qss"} <= set(names)
    assert "resources/help/layers/Conv2d.md" in names
    assert {"resources/i18n/workbench_zh_CN.qm", "resources/i18n/workbench_zh_CN.ts"} <= set(names)
    assert not any(n.startswith("tests/") for n in names)


def test_the_installed_app_loads_icons_themes_and_help_from_resources(installed, tmp_path):
    site = installed.parent / "site"
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_STATE_DIR": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # the window's QSettings, away from the user's
    env["WORKBENCH_LANG"] = "zh_CN"
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(Path(f).is_relative_to(site) for f in found["files"]), found["files"]
    assert not found["icon_null"] and found["icon_alpha"] == 255
    assert found["help_in_catalog"]
    assert found["themes"] == ["dark", "light"] and found["dark_qss_chars"] > 500
    assert "CNN Workbench" in found["window_title"]
    assert found["train_tab"] == "训练"
