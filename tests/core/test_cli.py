"""The command line: output for good input; one `error:` line and status 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.cli.main import main
from workbench.model import templates


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_templates_lists_every_template(capsys):
    code, out, _ = run(capsys, "templates")
    assert code == 0
    for name in ("mnist-classic", "lenet5", "mnist-bn", "vgg-mini", "mlp"):
        assert name in out
    assert "21,840 params" in out


def test_template_prints_a_loadable_spec(capsys, tmp_path):
    code, out, _ = run(capsys, "template", "lenet5")
    assert code == 0
    path = tmp_path / "lenet.json"
    path.write_text(out)
    code, out, _ = run(capsys, "summary", str(path), "--json")
    assert code == 0
    assert json.loads(out)["total_params"] == 61_706


def test_summary_table_for_classic_mnist(capsys, tmp_path):
    path = tmp_path / "m.json"
    path.write_text(templates.template("mnist-classic").dumps())
    code, out, _ = run(capsys, "summary", str(path))
    assert code == 0
    for row in ("10×24×24", "10×12×12", "20×8×8", "20×4×4", "320", "Total params: 21,840"):
        assert row in out


@pytest.mark.parametrize(
    ("argv", "content", "message"),
    [
        (["template", "resnet"], None, "error: unknown template 'resnet'"),
        (["summary", "{path}"], "{oops", "error: not valid JSON"),
        (
            ["summary", "{path}"],
            '{"format": "cnn-workbench.model", "version": 1, "input": [1, 4, 4], '
            '"layers": [{"type": "MaxPool2d", "kernel_size": 8}]}',
            "error: layer 1 MaxPool2d: kernel 8 does not fit",
        ),
        (["summary", "missing.json"], None, "error: cannot read missing.json"),
        (["frobnicate"], None, "error: argument COMMAND: invalid choice"),
    ],
)
def test_bad_input_is_one_error_line_and_status_2(capsys, tmp_path, monkeypatch, argv, content, message):
    monkeypatch.chdir(tmp_path)
    if content is not None:
        (tmp_path / "spec.json").write_text(content)
    code, _, err = run(capsys, *[a.replace("{path}", "spec.json") for a in argv])
    assert code == 2
    assert err.startswith(message)
    assert err.count("\n") == 1 and "Traceback" not in err


def test_module_entry_point_runs_in_a_fresh_interpreter():
    result = subprocess.run([sys.executable, "-m", "workbench", "template", "nope"], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown template")
