"""Predicting pictures (`python -m workbench predict`, `workbench.insight.predict`): folders walked in order, the
CSV's columns, the preprocessing of each kind of model (a digit model reads a picture as the Draw tab does; others
as their training folder's pictures were read, checked against `read_folder` itself), inverting, the model's
temperature, progress, Cancel, and the one-line refusals. Pictures are made small with Pillow in tmp_path; the
model is the session's shared digits model."""

from __future__ import annotations

import csv
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.data.drawing import preprocess
from workbench.data.folders import read_folder
from workbench.data.pictures import PictureReader
from workbench.files.model_file import SavedModel, save_model
from workbench.insight.classify import Classifier
from workbench.insight.predict import (
    TOP_SEPARATOR,
    dataset_of,
    predict_pictures,
    reader_for,
    write_predictions,
)
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec

DIGIT_SHAPES = {
    0: lambda d, w, h, ink, pen: d.ellipse([w // 4, h // 6, 3 * w // 4, 5 * h // 6], outline=ink, width=pen),
    1: lambda d, w, h, ink, pen: d.line([(w // 2, h // 6), (w // 2, 5 * h // 6)], fill=ink, width=pen),
    7: lambda d, w, h, ink, pen: d.line([(w // 4, h // 6), (3 * w // 4, h // 6), (w // 2, 5 * h // 6)], ink, pen),
}


def digit(kind: int = 1, size: tuple[int, int] = (48, 64), light_page: bool = True) -> Image.Image:
    """A digit drawn with a pen: dark ink on a light page (as on paper), or light on dark (as MNIST)."""
    picture = Image.new("L", size, 255 if light_page else 0)
    DIGIT_SHAPES[kind](ImageDraw.Draw(picture), *size, 0 if light_page else 255, max(2, size[0] // 8))
    return picture


def save(picture: Image.Image, path: Path, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(path, **options)
    return path


def digit_folder(root: Path) -> list[Path]:
    """A folder of digits in PNG, JPEG and BMP, some in a sub-folder, some not pictures, one hidden; returns the
    pictures in the order a walk finds them."""
    pictures = [
        save(digit(1), root / "a_one.png"),
        save(digit(7, (40, 40)).convert("RGB"), root / "b_seven.JPG", quality=95),
        save(digit(1, (64, 64)), root / "c_sub" / "deeper" / "one.jpeg"),
        save(digit(0, (30, 50), light_page=False), root / "c_sub" / "zero.bmp"),
        save(digit(0), root / "d_zero.png"),
    ]
    (root / "notes.txt").write_text("not a picture")
    save(digit(1), root / ".hidden.png")
    return pictures


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def as_drawn(path: Path, invert: bool) -> np.ndarray:
    """The Draw tab's reading of a picture, step by step: greyscale, fitted in 280×280, inverted, MNIST's steps."""
    picture = Image.open(path).convert("L")
    scale = 280 / max(picture.size)
    picture = picture.resize((round(picture.width * scale), round(picture.height * scale)), Image.Resampling.BILINEAR)
    ink = np.asarray(picture, dtype=np.float32) / 255
    return preprocess(1 - ink if invert else ink, 28, 28, 1)


@pytest.fixture
def model(digits_model):
    path, saved = digits_model
    return path, saved, Classifier.from_saved(saved, path.name)


# ----- the CLI ----------------------------------------------------------------------------------------------


def test_a_folder_is_walked_in_order_and_each_picture_is_one_row_of_the_documented_columns(tmp_path, model, capsys):
    path, saved, classifier = model
    pictures = digit_folder(tmp_path / "pics")
    os.symlink(tmp_path / "pics" / "c_sub", tmp_path / "pics" / "e_link")  # a link to a folder: not followed
    out = tmp_path / "predictions.csv"
    code, stdout, err = run_cli(["predict", str(path), str(tmp_path / "pics"), "--out", str(out)], capsys)
    assert code == 0, err
    header, rows = read_csv(out)
    assert header == ["path", "predicted", "confidence", "unsure", "top_k", *(f"logit_{k}" for k in range(10))]
    assert [row["path"] for row in rows] == [str(p) for p in pictures]  # sorted, depth first, hidden left out
    for row in rows:
        top = [entry.rsplit(":", 1) for entry in row["top_k"].split(TOP_SEPARATOR)]
        assert len(top) == 3 and top[0][0] == row["predicted"] and row["predicted"] in saved.class_names
        probabilities = [float(p) for _, p in top]
        assert probabilities == sorted(probabilities, reverse=True)
        assert float(row["confidence"]) == pytest.approx(probabilities[0], abs=1e-4)
        assert row["unsure"] == ("true" if float(row["confidence"]) < 0.6 else "false")
        logits = np.array([float(row[f"logit_{k}"]) for k in range(10)])
        assert str(int(np.argmax(logits))) == row["predicted"]
    assert "skipped: " not in err and not stdout
    assert err.splitlines()[-1] == f"predicted 5 pictures ({sum(r['unsure'] == 'true' for r in rows)} unsure), " \
        f"skipped 0 files; wrote {out}"  # fmt: skip

    # the logits are the model's for the picture read as the Draw tab reads it: dark ink on a light page inverted
    expected = classifier.batch_logits(torch.from_numpy(as_drawn(pictures[0], invert=True))[None])[0]
    assert [float(rows[0][f"logit_{k}"]) for k in range(10)] == pytest.approx(expected, abs=1e-5)
    light_on_dark = rows[3]
    assert light_on_dark["path"].endswith("zero.bmp")
    expected = classifier.batch_logits(torch.from_numpy(as_drawn(pictures[3], invert=False))[None])[0]
    assert [float(light_on_dark[f"logit_{k}"]) for k in range(10)] == pytest.approx(expected, abs=1e-5)


def test_confidence_and_top_k_use_the_models_temperature_while_the_logits_stay_raw(tmp_path, model, capsys):
    path, saved, _ = model
    save(digit(7), tmp_path / "seven.png")
    hot = tmp_path / "hot.cnnwb"
    save_model(hot, replace(saved, calibration={"temperature": 3.0}))
    outputs = {}
    for name, model_path in (("plain", path), ("hot", hot)):
        out = tmp_path / f"{name}.csv"
        argv = ["predict", str(model_path), str(tmp_path / "seven.png"), "--out", str(out), "--top", "10"]
        assert run_cli(argv, capsys)[0] == 0
        outputs[name] = read_csv(out)[1][0]
    plain, hot_row = outputs["plain"], outputs["hot"]
    logits = np.array([float(plain[f"logit_{k}"]) for k in range(10)])
    assert [float(hot_row[f"logit_{k}"]) for k in range(10)] == pytest.approx(logits, abs=1e-6)
    softened = torch.softmax(torch.from_numpy(logits) / 3.0, 0).numpy()
    assert float(hot_row["confidence"]) == pytest.approx(softened.max(), abs=1e-5)
    assert float(hot_row["confidence"]) < float(plain["confidence"])
    assert len(hot_row["top_k"].split(TOP_SEPARATOR)) == 10


def test_files_given_that_are_missing_or_no_pictures_are_skipped_lines_and_none_at_all_is_one_error(
    tmp_path, model, capsys
):
    path, _, _ = model
    good = save(digit(1), tmp_path / "good.png")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    out = tmp_path / "out.csv"
    argv = ["predict", str(path), str(good), str(notes), str(tmp_path / "missing.png"), "--out", str(out)]
    code, _, err = run_cli(argv, capsys)
    assert code == 0, err
    skipped = [line for line in err.splitlines() if line.startswith("skipped: ")]
    assert skipped == [
        f"skipped: {notes}: not a picture file (.png, .jpg, .jpeg, .bmp)",
        f"skipped: {tmp_path / 'missing.png'}: No such file or directory",
    ]
    assert "skipped 2 files" in err.splitlines()[-1] and len(read_csv(out)[1]) == 1

    out.unlink()
    for argv in (
        ["predict", str(path), str(notes), str(tmp_path / "missing.png"), "--out", str(out)],
        ["predict", str(path), str(tmp_path / "empty"), "--out", str(out)],
    ):
        (tmp_path / "empty").mkdir(exist_ok=True)
        code, _, err = run_cli(argv, capsys)
        assert_one_error_line(code, err, argv)
        assert not out.exists()
    assert "no pictures (.png, .jpg, .jpeg, .bmp) found in" in err


def test_an_output_that_cannot_be_written_is_refused_in_one_line_before_any_picture_is_read(tmp_path, model, capsys):
    path, _, _ = model
    save(digit(1), tmp_path / "pics" / "one.png")
    for out, says in ((tmp_path / "nowhere" / "p.csv", "does not exist"), (tmp_path / "pics", "is a folder")):
        argv = ["predict", str(path), str(tmp_path / "pics"), "--out", str(out)]
        code, _, err = run_cli(argv, capsys)
        assert_one_error_line(code, err, argv)
        assert says in err and "Predicting" not in err


def test_hostile_option_values_are_refused_in_one_line_and_the_extremes_work(tmp_path, model, capsys):
    path, _, _ = model
    picture = save(digit(1), tmp_path / "one.png")
    base = ["predict", str(path), str(picture), "--out", str(tmp_path / "p.csv")]
    hostile = [
        ["--unsure-below", value] for value in ("nan", "inf", "-0.1", "1.5", "abc", "", "1e400")
    ] + [["--top", value] for value in ("0", "-1", "x", "2.5", "9" * 40)] + [
        ["--invert", "maybe"], ["--batch-size", "0"], ["--invert"],
    ]  # fmt: skip
    for extra in hostile:
        code, _, err = run_cli([*base, *extra], capsys)
        assert_one_error_line(code, err, extra)
    for extra in (["--unsure-below", "0"], ["--unsure-below", "1"], ["--top", "99"], ["--batch-size", "1"]):
        code, _, err = run_cli([*base, *extra], capsys)
        assert code == 0, (extra, err)
    (row,) = read_csv(tmp_path / "p.csv")[1]  # the last run's: --batch-size 1, three classes in top_k
    assert len(row["top_k"].split(TOP_SEPARATOR)) == 3


def test_a_model_that_takes_no_pictures_is_refused_in_one_line(tmp_path, capsys):
    spec = ModelSpec((16,), (LayerSpec("Linear", {"out_features": 3}),), name="flat")
    saved = SavedModel(spec, build_model(spec).state_dict(), ("a", "b", "c"), (0.5,), (0.5,))
    model_path = tmp_path / "flat.cnnwb"
    save_model(model_path, saved)
    save(digit(1), tmp_path / "one.png")
    argv = ["predict", str(model_path), str(tmp_path / "one.png"), "--out", str(tmp_path / "p.csv")]
    code, _, err = run_cli(argv, capsys)
    assert_one_error_line(code, err, argv)
    assert "not pictures" in err


# ----- the core: inverting, progress, Cancel, streaming ------------------------------------------------------


def test_invert_auto_reads_ink_on_paper_as_light_on_dark_and_yes_and_no_force_it(tmp_path, model):
    _, saved, classifier = model
    paper = save(digit(7), tmp_path / "paper.png")
    dark = save(digit(7, light_page=False), tmp_path / "dark.png")

    def logits(invert: str, path: Path) -> np.ndarray:
        reader = reader_for(classifier, dataset_of(saved), invert)
        (batch,) = predict_pictures(classifier, reader, [path])
        return np.array(batch.rows[0].logits)

    auto = logits("auto", paper)  # the same up to the rounding of the resized 8-bit picture
    assert auto == pytest.approx(logits("auto", dark), abs=2e-3)
    assert auto == pytest.approx(logits("yes", paper), abs=1e-5)
    assert auto == pytest.approx(logits("no", dark), abs=2e-3)
    assert not np.allclose(auto, logits("no", paper), atol=1e-3)  # the page itself read as ink
    assert not np.allclose(auto, logits("yes", dark), atol=1e-3)


def test_the_preprocessing_follows_the_dataset_the_model_was_trained_on(digits_model):
    _, saved = digits_model
    assert dataset_of(saved) == "digits" and PictureReader.for_model((1, 28, 28), "digits", saved.mean).drawing
    assert PictureReader.for_model((1, 28, 28), "mnist", (0.13,)).drawing
    for name in ("fashion-mnist", "kmnist", "folder", "cifar10"):
        assert not PictureReader.for_model((1, 28, 28), name, (0.3,)).drawing, name
    assert PictureReader.for_model((1, 28, 28), "", (0.13,)).drawing  # unknown: MNIST-like when it looks it
    assert not PictureReader.for_model((3, 32, 32), "", (0.13, 0.13, 0.13)).drawing
    assert dataset_of(replace(saved, dataset="", data={"name": "folder"})) == "folder"
    rgb = PictureReader.for_model((3, 32, 32), "cifar10", (0.49, 0.48, 0.45))
    assert "not inverted" in rgb.describe() and not rgb._auto_inverts()  # photos in colour are never inverted


@pytest.mark.parametrize("colours", ["grey", "mixed"])
def test_other_models_read_a_picture_exactly_as_their_image_folder_was_read_in_training(tmp_path, colours):
    """The same file through `read_folder` (training) and `PictureReader` (predict) gives the same pixels."""
    root = tmp_path / "set"
    files = [
        save(digit(0, (33, 21)), root / "a" / "1.png"),
        save(digit(1, (64, 48)), root / "a" / "2.jpg", quality=90),
        save(digit(7, (10, 10)), root / "b" / "1.bmp"),
        save(digit(7, (40, 30), light_page=False).convert("P"), root / "b" / "2.png"),
    ]
    if colours == "mixed":
        files.append(save(Image.new("RGB", (20, 16), (200, 40, 90)), root / "b" / "3.png"))
    raw = read_folder(root, (12, 10))
    channels = raw.train.images.shape[1]
    assert channels == (1 if colours == "grey" else 3)
    reader = PictureReader((channels, 12, 10), drawing=False, invert="no")
    for index, path in enumerate(files):
        seen = reader.read(path).image
        assert seen.shape == (channels, 12, 10) and seen.dtype == np.float32
        assert np.array_equal(np.round(seen * 255).astype(np.uint8), raw.train.images[index].numpy()), path.name


def test_progress_streams_batch_by_batch_and_the_file_is_written_whole_at_the_end(tmp_path, model):
    _, saved, classifier = model
    pictures = [save(digit(k % 2, (20 + k, 30)), tmp_path / "pics" / f"{k}.png") for k in range(5)]
    reader = reader_for(classifier, dataset_of(saved))
    out = tmp_path / "p.csv"
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        assert not out.exists()  # streamed into a temporary file, put in place at the end

    summary = write_predictions(out, classifier, reader, [tmp_path / "pics"], batch_size=2, progress=progress)
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert (summary.total, summary.predicted, summary.skipped, summary.cancelled) == (5, 5, [], False)
    assert [row["path"] for row in read_csv(out)[1]] == [str(p) for p in pictures]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv", "pics"]  # no temporary file left


def test_cancel_stops_between_files_and_writes_nothing(tmp_path, model):
    _, saved, classifier = model
    for k in range(6):
        save(digit(1, (24, 24)), tmp_path / "pics" / f"{k}.png")
    reader = reader_for(classifier, dataset_of(saved))
    stop = {"now": False}
    batches = []
    for batch in predict_pictures(classifier, reader, [tmp_path / "pics"], batch_size=2, cancelled=lambda: stop["now"]):
        batches.append(batch)
        stop["now"] = True
    assert [len(b.rows) for b in batches] == [2]

    out = tmp_path / "p.csv"
    calls = []
    summary = write_predictions(
        out, classifier, reader, [tmp_path / "pics"], batch_size=2,
        progress=lambda done, total: calls.append(done), cancelled=lambda: bool(calls),
    )  # fmt: skip
    assert summary.cancelled and summary.predicted == 2 and not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pics"]


def test_a_diverged_model_gives_unsure_rows_not_a_crash(tmp_path, model):
    _, saved, _ = model
    save(digit(1), tmp_path / "one.png")
    broken = Classifier.from_saved(saved, "nan")
    with torch.no_grad():
        for parameter in broken.model.parameters():
            parameter.fill_(math.nan)
    (batch,) = predict_pictures(broken, reader_for(broken, "digits"), [tmp_path / "one.png"])
    (row,) = batch.rows
    assert row.unsure and math.isnan(row.confidence) and len(row.top) == 3
