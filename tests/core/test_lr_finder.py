"""The learning-rate range test: its curve, its proposal, and its errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.core.synthetic import bars_dataset
from tests.core.test_train import config, small_cnn
from workbench.cli.main import main
from workbench.training.lr_finder import LrFinderError, find_lr, propose


def test_the_range_test_gives_a_curve_and_a_sensible_proposal():
    finding = find_lr(small_cnn(), bars_dataset(train=512), config(batch_size=16), steps=60)
    assert len(finding.lrs) == len(finding.losses) >= 20
    assert np.all(np.diff(finding.lrs) > 0) and finding.lrs[0] == pytest.approx(1e-6)
    # Adam on an easy problem: the loss falls somewhere between 1e-4 and 1; the proposal sits a decade below
    assert 1e-4 <= finding.minimum <= 1.0
    assert finding.suggestion == pytest.approx(finding.minimum / 10)
    assert finding.losses.min() < finding.losses[0]


def test_a_curve_that_never_falls_has_no_proposal():
    lrs = np.geomspace(1e-6, 1, 50)
    with pytest.raises(LrFinderError, match="never went down"):
        propose(lrs, np.linspace(2.3, 2.5, 50))
    with pytest.raises(LrFinderError, match="diverged after 3 steps"):
        propose(lrs[:3], np.array([2.3, 2.2, 9.0]))


def test_bad_ranges_are_refused():
    with pytest.raises(LrFinderError, match="must go up"):
        find_lr(small_cnn(), bars_dataset(), config(), start=1.0, end=1e-3)


def test_the_cli_prints_the_proposal_and_json(tmp_path, capsys):
    spec = tmp_path / "m.json"
    spec.write_text(small_cnn(classes=10, size=28).dumps())
    assert main(["lr-find", str(spec), "--dataset", "digits", "--steps", "40", "--batch-size", "16"]) == 0
    assert "proposed peak learning rate" in capsys.readouterr().out
    assert main(["lr-find", str(spec), "--dataset", "digits", "--steps", "40", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found["points"]) >= 10 and found["suggestion"] > 0
