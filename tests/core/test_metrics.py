"""Per-class figures equal scikit-learn's (imported in the tests: collecting this file in every test worker
should not cost scikit-learn's import); the reliability bins and ECE equal what scikit-learn's calibration_curve
gives; the fitted temperature is scipy's minimum of the cross-entropy; `evaluate --json` and `calibrate` from the
CLI on a real model; the temperature reaches every probability and never the logits."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import torch

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.data.datasets import load_dataset
from workbench.files.model_file import load_model, save_model
from workbench.insight.classify import Classifier
from workbench.insight.evaluate import evaluation_of
from workbench.insight.metrics import averages, calibration, fit_temperature, per_class, softmax


def _random_predictions(seed: int, n: int = 400, k: int = 5):
    generator = np.random.default_rng(seed)
    labels = generator.integers(0, k, n)
    logits = generator.normal(size=(n, k)) * generator.uniform(0.2, 4) + 2.5 * np.eye(k)[labels]
    return torch.tensor(logits), torch.tensor(labels)


@pytest.mark.parametrize("seed", range(6))
def test_per_class_figures_equal_scikit_learns(seed):
    from sklearn.metrics import precision_recall_fscore_support  # here: importing scikit-learn takes 0.6 s

    logits, labels = _random_predictions(seed, k=4 + seed)
    if seed == 5:  # a class that is never predicted and one that never occurs: zero_division=0
        logits[:, 0] -= 100
        labels[labels == 1] = 2
    evaluation = evaluation_of(logits, labels, logits.shape[1])
    ours = per_class(evaluation.confusion, [f"c{i}" for i in range(logits.shape[1])])
    predictions = logits.argmax(1).numpy()
    classes = list(range(logits.shape[1]))
    theirs = precision_recall_fscore_support(labels.numpy(), predictions, labels=classes, zero_division=0)
    for i, mine in enumerate(ours):
        assert (mine.precision, mine.recall, mine.f1) == pytest.approx((theirs[0][i], theirs[1][i], theirs[2][i]))
        assert mine.support == theirs[3][i]
    summary = averages(ours)
    for kind in ("macro", "weighted"):
        p, r, f, _ = precision_recall_fscore_support(
            labels.numpy(), predictions, labels=classes, average=kind, zero_division=0
        )
        assert (summary[kind]["precision"], summary[kind]["recall"], summary[kind]["f1"]) == pytest.approx(
            (p, r, f), abs=1e-6
        )


@pytest.mark.parametrize("seed", range(4))
def test_reliability_bins_and_ece_equal_what_scikit_learns_calibration_curve_gives(seed):
    from sklearn.calibration import calibration_curve

    logits, labels = _random_predictions(seed)
    probabilities = softmax(logits)
    if seed == 3:  # confidences exactly on the bin edges
        probabilities = np.zeros_like(probabilities)
        probabilities[np.arange(len(labels)), labels.numpy()] = np.resize([0.3, 0.5, 0.7, 1.0], len(labels))
        probabilities[:, 0] += 1e-3 * (probabilities.max(1) < 1)
    ours = calibration(probabilities, labels.numpy())
    confidence = probabilities.max(1)
    correct = probabilities.argmax(1) == labels.numpy()
    accuracy, mean_confidence = calibration_curve(correct, confidence, n_bins=10, strategy="uniform")
    filled = [b for b in ours.bins if b.count]
    assert [b.accuracy for b in filled] == pytest.approx(list(accuracy))
    assert [b.confidence for b in filled] == pytest.approx(list(mean_confidence))
    assert sum(b.count for b in ours.bins) == len(labels)
    counts = np.array([b.count for b in filled])
    assert ours.ece == pytest.approx(float((counts / len(labels) * abs(accuracy - mean_confidence)).sum()))


@pytest.mark.parametrize("scale", [0.3, 1.0, 4.0])
def test_the_fitted_temperature_is_scipys_minimum_of_the_cross_entropy(scale):
    from scipy.optimize import minimize_scalar
    from sklearn.metrics import log_loss

    logits, labels = _random_predictions(int(scale * 10))
    logits = logits * scale
    ours = fit_temperature(logits, labels)

    def loss(log_t: float) -> float:
        return log_loss(labels.numpy(), softmax(logits, np.exp(log_t)), labels=range(logits.shape[1]))

    theirs = float(np.exp(minimize_scalar(loss, bounds=(np.log(0.05), np.log(20)), method="bounded").x))
    assert ours == pytest.approx(theirs, rel=1e-3)
    assert loss(np.log(ours)) <= loss(0.0) + 1e-12  # never worse than no temperature


def test_nothing_to_fit_is_a_clear_error():
    with pytest.raises(ValueError, match="at least one image"):
        fit_temperature(torch.zeros(0, 3), torch.zeros(0))
    with pytest.raises(ValueError, match="not finite"):
        fit_temperature(torch.tensor([[float("nan"), 0.0]]), torch.tensor([0]))


# ----- a real model from the command line --------------------------------------------------------------------


def test_evaluate_json_equals_scikit_learn_on_the_exported_predictions(digits_model, tmp_path, capsys):
    from sklearn.metrics import precision_recall_fscore_support

    path, _ = digits_model
    code, out, err = run_cli(["evaluate", str(path), "--dataset", "digits", "--split", "val", "--json"], capsys)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1
    report = json.loads(lines[0])
    logits_file = tmp_path / "val.csv"
    code, _, err = run_cli(
        ["export-logits", str(path), "--dataset", "digits", "--split", "val", "--out", str(logits_file)], capsys
    )
    assert code == 0, err
    rows = list(csv.DictReader(logits_file.open(encoding="utf-8")))
    truth = [int(r["label"]) for r in rows]
    predicted = [int(r["predicted"]) for r in rows]
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=range(10), zero_division=0)
    assert [c["class"] for c in report["per_class"]] == [str(i) for i in range(10)]
    assert [(c["precision"], c["recall"], c["f1"], c["support"]) for c in report["per_class"]] == [
        pytest.approx((p[i], r[i], f[i], s[i]), abs=1e-6) for i in range(10)
    ]
    assert report["macro"]["f1"] == pytest.approx(
        precision_recall_fscore_support(truth, predicted, average="macro", zero_division=0)[2], abs=1e-6
    )
    assert report["accuracy"] == pytest.approx(np.mean(np.array(truth) == predicted), abs=1e-6)
    bins = report["calibration"]["bins"]
    assert len(bins) == 10 and sum(b["count"] for b in bins) == len(rows) and 0 <= report["calibration"]["ece"] <= 1


def test_calibrate_keeps_a_temperature_that_lowers_the_validation_ece_and_reaches_every_probability(
    digits_model, tmp_path, capsys
):
    path, saved = digits_model
    out = tmp_path / "calibrated.cnnwb"
    code, printed, err = run_cli(["calibrate", str(path), "--dataset", "digits", "--out", str(out)], capsys)
    assert code == 0, err
    calibrated = load_model(out)
    record = calibrated.calibration
    assert record["temperature"] == calibrated.temperature != 1.0 and record["images"] > 0
    assert record["ece_after"] < record["ece_before"] and "→" in printed
    assert torch.equal(calibrated.state["0.weight"], saved.state["0.weight"])  # the weights are the same

    dataset = load_dataset("digits")
    images = dataset.val.images[:16].float() / 255
    plain, scaled = Classifier.from_saved(saved, "plain"), Classifier.from_saved(calibrated, "calibrated")
    logits = plain.batch_logits(images)
    assert np.array_equal(scaled.batch_logits(images), logits)  # logits stay raw
    expected = softmax(logits, calibrated.temperature)
    assert np.allclose(scaled.batch_probabilities(images), expected)
    assert np.allclose(scaled.predict(images[0].numpy()).probabilities, expected[0])
    assert np.allclose(scaled.probe(images[0].numpy()).probabilities, expected[0], atol=1e-6)  # the softmax bars
    assert (scaled.batch_probabilities(images).argmax(1) == logits.argmax(1)).all()  # the same predictions

    exported = tmp_path / "logits.csv"
    argv = ["export-logits", str(out), "--dataset", "digits", "--split", "val", "--out", str(exported)]
    code, _, err = run_cli([*argv, "--probabilities"], capsys)
    assert code == 0, err
    row = next(csv.DictReader(exported.open(encoding="utf-8")))
    raw = np.array([float(row[f"logit_{c}"]) for c in dataset.class_names])
    shown = np.array([float(row[f"prob_{c}"]) for c in dataset.class_names])
    assert np.allclose(shown, softmax(raw[None], calibrated.temperature)[0], atol=1e-5)
    assert np.allclose(raw, logits[0], atol=1e-4)

    code, out_json, _ = run_cli(["evaluate", str(out), "--dataset", "digits", "--split", "val", "--json"], capsys)
    assert json.loads(out_json)["calibration"]["ece"] == pytest.approx(record["ece_after"], abs=1e-6)


def test_calibration_survives_save_and_open_and_a_damaged_one_is_one_line(digits_model, tmp_path, capsys):
    path, saved = digits_model
    from dataclasses import replace

    kept = tmp_path / "kept.cnnwb"
    save_model(kept, replace(saved, calibration={"temperature": 1.7, "ece_before": 0.1, "ece_after": 0.02}))
    assert load_model(kept).temperature == 1.7
    for bad, says in ((0.0, "above 0"), (float("inf"), "finite"), ("hot", "a number")):
        with pytest.raises(Exception, match=says):
            save_model(tmp_path / "bad.cnnwb", replace(saved, calibration={"temperature": bad}))
    code, _, err = run_cli(["calibrate", str(path), "--dataset", "digits", "--out", str(tmp_path / "x.json")], capsys)
    assert_one_error_line(code, err, "calibrate --out x.json")
