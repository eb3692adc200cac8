"""Hostile pictures and folders for `predict`: empty and truncated files, text named .png, headers that claim
billions of pixels (refused before decoding), a folder, a FIFO and a loop of links named x.png, files that cannot
be read, names that are not UTF-8 or hold control characters, and bytes of valid pictures mutated at random. Each
is one `skipped: PATH: reason` line (printable), never a crash or a hang; the good pictures beside them are
predicted. And pictures that are unusual but fine (16-bit, palette, transparent, CMYK, EXIF-rotated) are read as
they look.

Inputs are drawn by seeded generators (the same every run); each family's count is printed."""

from __future__ import annotations

import csv
import io
import os
import random
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.core.hostile import assert_one_error_line, deadline, run_cli
from tests.core.test_predict import digit, save
from workbench.data.drawing import ink_bounds
from workbench.data.pictures import MAX_PIXELS, PictureError, PictureReader, read_picture
from workbench.insight.classify import Classifier
from workbench.insight.predict import dataset_of, predict_pictures, reader_for
from workbench.text import bad_character

SEED = 20270127
ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header says width × height greyscale pixels, with a little data: a decompression bomb's
    header (decoding it would allocate width × height bytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")


def encoded(picture: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def assert_printable_lines(text: str) -> None:
    for line in text.splitlines():
        assert bad_character(line) is None, ascii(line)
        line.encode("utf-8")


def skipped_lines(err: str) -> dict[str, str]:
    """skipped: PATH: reason → {PATH: reason} (the reason never holds ": " before the path's end here)."""
    found = {}
    for line in err.splitlines():
        if line.startswith("skipped: "):
            path, reason = line[len("skipped: ") :].rsplit(": ", 1)
            found[path] = reason
    return found


@pytest.fixture
def model(digits_model):
    return digits_model


# ----- one folder of everything hostile ---------------------------------------------------------------------


def test_hostile_files_are_one_skipped_line_each_and_the_good_pictures_beside_them_are_predicted(
    tmp_path, model, capsys
):
    path, _ = model
    pics = tmp_path / "pics"
    good = save(digit(1), pics / "good.png")
    inside = save(digit(7), pics / "x.png" / "inside.png")  # a folder named x.png is a folder: walked
    good_png = encoded(digit(0), "PNG")
    good_jpeg = encoded(digit(0).convert("RGB"), "JPEG", quality=90)
    files = {
        "empty.png": b"",
        "truncated.png": good_png[: len(good_png) // 2],
        "truncated.jpg": good_jpeg[: len(good_jpeg) // 2],
        "text.png": b"this is not a picture\n" * 20,
        "header_only.png": b"\x89PNG\r\n\x1a\n",
        "bomb.png": png_claiming(100_000, 100_000),  # 10 gigapixels: Pillow itself refuses it
        "big.png": png_claiming(7_000, 7_000),  # 49 megapixels: over this app's limit only
        "warned.png": png_claiming(10_000, 10_000),  # 100 megapixels: Pillow would only warn
        "gif.png": encoded(digit(1), "GIF"),  # a real picture, but not a format read here
    }
    for name, data in files.items():
        (pics / name).write_bytes(data)
    os.mkfifo(pics / "fifo.png")
    os.symlink(pics / "loop.png", pics / "loop.png")
    os.symlink(pics / "nowhere.png", pics / "dangling.png")
    os.symlink(pics / "x.png", pics / "link_to_folder.png")
    expected = {*files, "fifo.png", "loop.png", "dangling.png", "link_to_folder.png"}
    if not ROOT:  # root reads every file whatever its permissions
        save(digit(1), pics / "locked.png").chmod(0)
        expected.add("locked.png")
    out = tmp_path / "p.csv"
    with deadline(60):  # a FIFO opened for reading would block here forever
        code, _, err = run_cli(["predict", str(path), str(pics), "--out", str(out)], capsys)
    assert code == 0, err
    assert_printable_lines(err)
    skipped = skipped_lines(err)
    assert sorted(Path(p).name for p in skipped) == sorted(expected), err
    with open(out, encoding="utf-8", newline="") as handle:
        assert [row["path"] for row in csv.DictReader(handle)] == [str(good), str(inside)]
    reasons = {Path(p).name: reason for p, reason in skipped.items()}
    assert reasons["empty.png"] == "an empty file"
    assert reasons["text.png"] == reasons["gif.png"] == reasons["header_only.png"] == "not a PNG, JPEG or BMP picture"
    assert "megapixel" in reasons["bomb.png"] and "not decoded" in reasons["big.png"]
    assert "not decoded" in reasons["warned.png"] and "Warning" not in err
    assert reasons["fifo.png"].startswith("not a regular file")
    assert "symbolic links" in reasons["loop.png"] and "not followed" in reasons["link_to_folder.png"]
    print(f"hostile files: {len(expected)} kinds, each one skipped line; 2 good pictures predicted beside them")

    # given explicitly, they are skipped just the same; with nothing readable, one error line and no file
    out.unlink()
    given = sorted(expected - {"link_to_folder.png"})  # a link given is followed: to the folder, which is read
    argv = ["predict", str(path), *(str(pics / name) for name in given), "--out", str(out)]
    with deadline(60):
        code, _, err = run_cli(argv, capsys)
    assert_one_error_line(code, err, "all hostile")
    assert len(skipped_lines(err)) == len(given) and not out.exists()


def test_a_header_claiming_too_many_pixels_is_refused_before_decoding(tmp_path):
    for side in (7_000, 10_000, 100_000, 2**31 - 1):
        picture = tmp_path / f"{side}.png"
        picture.write_bytes(png_claiming(side, side))
        with pytest.raises(PictureError, match="megapixel") as refused:
            read_picture(picture)
        assert "\n" not in str(refused.value)
    wide = tmp_path / "wide.png"
    wide.write_bytes(png_claiming(MAX_PIXELS + 1, 1))
    with pytest.raises(PictureError, match="not decoded"):
        read_picture(wide)


def test_unreadable_folders_and_deep_nesting_are_handled_without_recursion_or_a_crash(tmp_path, model):
    _, saved = model
    classifier = Classifier.from_saved(saved, "digits")
    deep = tmp_path / "deep"
    bottom = deep.joinpath(*["d"] * 400)  # deeper than Python's recursion limit allows a recursive walk
    save(digit(1), bottom / "one.png")
    if not ROOT:
        locked = save(digit(1), tmp_path / "deep" / "locked" / "one.png").parent
        locked.chmod(0)
    try:
        batches = list(predict_pictures(classifier, reader_for(classifier, "digits"), [deep]))
    finally:
        if not ROOT:
            locked.chmod(0o755)
    rows = [row for batch in batches for row in batch.rows]
    skipped = [s for batch in batches for s in batch.skipped]
    assert [row.path for row in rows] == [str(bottom / "one.png")]
    assert [s.reason.startswith("cannot read the folder") for s in skipped] == ([] if ROOT else [True])


# ----- names --------------------------------------------------------------------------------------------------


def test_names_that_are_not_utf8_or_hold_control_characters_are_printed_and_written_printable(tmp_path, model, capsys):
    path, _ = model
    rng = random.Random(SEED)
    folder = os.path.join(os.fsencode(tmp_path), b"p\xe9ts \x1b[31m")
    os.makedirs(folder)
    pieces = [b"caf\xe9", b"\xff\xfe", b"new\nline", b"\x1b[2J", b"tab\t", b"\xe2\x80\xae", b"quote\"'", b",comma"]
    names = set()
    while len(names) < 24:
        names.add(b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))))
    broken = 0
    for index, name in enumerate(sorted(names)):
        good = index % 3 != 0
        broken += not good
        with open(os.path.join(folder, name + b".png"), "wb") as handle:
            handle.write(encoded(digit(index % 2), "PNG") if good else b"broken")
    out = tmp_path / "p.csv"
    code, _, err = run_cli(["predict", str(path), os.fsdecode(folder), "--out", str(out)], capsys)
    assert code == 0, err
    assert_printable_lines(err)
    assert len(skipped_lines(err)) == broken
    text = out.read_bytes().decode("utf-8")  # UTF-8 throughout
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(names) - broken
    for row in rows:
        assert bad_character(row["path"]) is None, ascii(row["path"])
        assert "\\xe9" in row["path"]  # the folder's own byte, shown as the byte it was
    assert len(text.splitlines()) == len(rows) + 1  # no row broken across lines
    print(f"hostile names: {len(names)} generated, {broken} of them broken pictures, each one printable line")


def test_a_name_that_starts_like_a_spreadsheet_formula_is_not_one_in_the_csv(tmp_path, model, capsys, monkeypatch):
    path, _ = model
    names = ["=HYPERLINK(1).png", "+1.png", "@SUM(A1).png", "plain.png"]
    for index, name in enumerate(names):
        (tmp_path / name).write_bytes(encoded(digit(index % 2), "PNG"))
    monkeypatch.chdir(tmp_path)  # relative names, as a user in that folder gives them
    code, _, err = run_cli(["predict", str(path), *names, "--out", "p.csv"], capsys)
    assert code == 0, err
    with open(tmp_path / "p.csv", encoding="utf-8", newline="") as handle:
        cells = [row["path"] for row in csv.DictReader(handle)]
    assert cells == ["'=HYPERLINK(1).png", "'+1.png", "'@SUM(A1).png", "plain.png"]


# ----- bytes mutated at random ------------------------------------------------------------------------------------


def mutated(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    how = rng.choice(("truncate", "flip", "splice", "zero run", "repeat"))
    if how == "truncate":
        return bytes(data[: rng.randint(0, len(data) - 1)])
    if how == "flip":
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif how == "splice":
        at = rng.randrange(len(data))
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif how == "zero run":
        at = rng.randrange(len(data))
        data[at : at + rng.randint(1, 32)] = b"\x00" * 32
    else:
        at = rng.randrange(len(data))
        data[at:at] = data[at : at + rng.randint(1, 128)] * rng.randint(2, 50)
    return bytes(data)


def test_pictures_with_bytes_mutated_at_random_are_predicted_or_skipped_never_a_crash(tmp_path, model):
    _, saved = model
    classifier = Classifier.from_saved(saved, "digits")
    rng = random.Random(SEED)
    sources = {
        ".png": encoded(digit(0, (24, 32)), "PNG"),
        ".jpg": encoded(digit(1, (24, 32)).convert("RGB"), "JPEG", quality=80),
        ".bmp": encoded(digit(7, (24, 32)), "BMP"),
        ".jpeg": encoded(digit(1, (24, 32)).convert("CMYK"), "JPEG"),
    }
    count = 120
    for number in range(count):
        suffix = rng.choice(sorted(sources))
        (tmp_path / f"{number:03d}{suffix}").write_bytes(mutated(sources[suffix], rng))
    with deadline(60):
        batches = list(predict_pictures(classifier, reader_for(classifier, dataset_of(saved)), [tmp_path]))
    rows = [row for batch in batches for row in batch.rows]
    skipped = [s for batch in batches for s in batch.skipped]
    assert len(rows) + len(skipped) == count
    for row in rows:
        assert np.isfinite(row.logits).all()
    for line in (s.line() for s in skipped):
        assert "\n" not in line and bad_character(line) is None
    print(f"mutated pictures: {count} generated, {len(rows)} still read and predicted, {len(skipped)} skipped")
    assert skipped and rows


# ----- unusual but fine ------------------------------------------------------------------------------------------


def test_unusual_pictures_are_read_as_they_look(tmp_path, model):
    _, saved = model
    reader = PictureReader.for_model((1, 28, 28), dataset_of(saved), saved.mean)
    upright = digit(1, (40, 64))
    plain = reader.read(save(upright, tmp_path / "plain.png")).image

    wide = Image.fromarray(np.asarray(upright, dtype=np.uint16) * 257)  # 16-bit greyscale, the same picture
    assert wide.mode.startswith("I")
    assert np.allclose(reader.read(save(wide, tmp_path / "wide.png")).image, plain, atol=1e-6)

    palette = upright.convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    assert np.allclose(reader.read(save(palette, tmp_path / "palette.png")).image, plain, atol=1e-6)

    ink = np.asarray(upright) < 128  # black ink where the digit is, and nothing (transparent black) elsewhere
    rgba = np.zeros((*ink.shape, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(ink, 255, 0)
    transparent = save(Image.fromarray(rgba, "RGBA"), tmp_path / "transparent.png")
    assert np.allclose(reader.read(transparent).image, plain, atol=1e-6)  # laid on white paper first
    grey_alpha = save(Image.fromarray(rgba[..., 2:], "LA"), tmp_path / "grey_alpha.png")
    assert np.allclose(reader.read(grey_alpha).image, plain, atol=1e-6)

    cmyk = reader.read(save(upright.convert("RGB").convert("CMYK"), tmp_path / "cmyk.jpg", quality=95)).image
    rgb = reader.read(save(upright.convert("RGB"), tmp_path / "rgb.jpg", quality=95)).image
    assert np.abs(cmyk - rgb).mean() < 0.02 and np.abs(rgb - plain).mean() < 0.02

    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to show": the picture is stored on its side
    turned = save(upright.rotate(90, expand=True).convert("RGB"), tmp_path / "turned.jpg", exif=exif, quality=95)
    seen = reader.read(turned).image[0]
    top, bottom, left, right = ink_bounds(seen)
    assert bottom - top > 2 * (right - left)  # the stroke of the 1 stands upright again
    assert np.abs(seen - rgb[0]).mean() < 0.03

    # and the thumbnail shows the picture as it looks (upright, on white), at most the size asked for
    thumb = reader.read(transparent, thumbnail=16).thumbnail
    assert thumb.shape == (1, 16, 10) and thumb.dtype == np.uint8 and thumb[0, 0, 0] == 255
