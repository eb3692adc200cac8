"""Hostile text: names that are not UTF-8, or hold NUL, control characters, lone surrogates, bidirectional
overrides, quotes and backslashes; and paths longer than the system allows. They come in as class folder
names, a dataset folder, output and run folders, spec names and the text inside model files.

Every input gives exit 0 or 2 with one `error:` line and no traceback; a run on such names trains, saves,
resumes and exports, and the exported model.py imports. Inputs are drawn by seeded generators (the same
every run); each family's count is printed."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.core.hostile import assert_one_error_line, run_cli
from tests.core.test_hostile_memory import assert_one_line, under_limit
from workbench.data.folders import read_folder
from workbench.data.images import DataError
from workbench.files.export_code import render_model_code
from workbench.files.model_file import SavedModel, load_model, save_model
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec, ModelSpec, SpecError, loads
from workbench.text import bad_character, printable, show_path

SEED = 20261204
HOSTILE_CHARACTERS = (
    "\x00", "\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\ud800", "\udfff", "\udce9", "\udcff", "\u202e", "\u2066",
    "\u2028", "\u2029", '"""', "'''", "\\", "\\x00", "'", '"', "{", "}", "%s", "<b>", "é", "日本", "🙂", "\ufeff", " ",
)  # fmt: skip
SIDE = 6  # pixels of the generated images
SPEC = ModelSpec((1, SIDE, SIDE), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 3})), name="tiny")


def hostile_text(rng: random.Random) -> str:
    parts = [rng.choice(HOSTILE_CHARACTERS) if rng.random() < 0.6 else rng.choice("abcXYZ09-_") for _ in range(12)]
    text = "".join(parts[: rng.randint(1, 12)])
    return text * rng.choice((1, 1, 1, 30))  # now and then far too long for a line


def hostile_file_name(rng: random.Random) -> bytes:
    """Bytes a Linux file name may hold (anything but NUL and "/"), mostly not UTF-8."""
    allowed = [value for value in range(1, 256) if value != ord("/")]
    name = bytes(rng.choice(allowed) for _ in range(rng.choice((1, 3, 8, 40, 255))))
    return name if name not in (b".", b"..") else b"x" + name


def assert_printable(text: str) -> None:
    assert bad_character(text) is None, ascii(text)
    text.encode("utf-8")  # a file, a terminal and a Qt label can all take it


def png_bytes(value: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((SIDE, SIDE), value, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def class_folders(root: bytes, names: list[bytes], images: int = 1) -> None:
    for index, name in enumerate(names):
        folder = os.path.join(root, name)
        os.makedirs(folder, exist_ok=True)
        for number in range(images):
            with open(os.path.join(folder, b"%d.png" % number), "wb") as handle:
                handle.write(png_bytes((index * 80 + number * 7) % 256))


# ----- class folders: names that are not text ------------------------------------------------------------


def test_class_folders_with_hostile_names_are_read_as_printable_distinct_classes(tmp_path):
    rng = random.Random(SEED)
    sets = 60
    read = refused = 0
    for number in range(sets):
        root = os.path.join(os.fsencode(tmp_path), b"set%d" % number)
        names = list(dict.fromkeys(hostile_file_name(rng) for _ in range(rng.randint(2, 4))))
        class_folders(root, names)
        try:
            raw = read_folder(os.fsdecode(root), None)
        except DataError as exc:
            refused += 1
            assert_printable(str(exc))
            continue
        read += 1
        shown = [name for name in names if not name.startswith(b".")]  # hidden folders are skipped
        assert len(raw.class_names) == len(shown) == len(set(raw.class_names))
        for name in raw.class_names:
            assert_printable(name)
        assert sorted(raw.class_names) == sorted(printable(os.fsdecode(name)) for name in shown)
        assert_printable(raw.title)
    print(f"class folder names: {sets} generated sets of 2-4 names, {read} read, {refused} refused in one line")
    assert read > sets // 2


def test_two_class_folders_that_look_alike_are_refused_naming_both(tmp_path):
    root = os.fsencode(tmp_path / "pets")
    class_folders(root, [b"caf\xe9", b"caf\\xe9"])  # the bytes, and the text the bytes are shown as
    with pytest.raises(DataError, match="two class folders shown as"):
        read_folder(os.fsdecode(root), None)


def test_a_run_on_hostile_names_trains_saves_resumes_and_exports_code_that_imports(tmp_path, capsys, monkeypatch):
    base = os.fsencode(tmp_path)
    data = os.path.join(base, b"p\xe9ts \x1b[31m")  # the dataset's own folder is not UTF-8 either
    class_folders(data, [b"caf\xe9", b"\xff\xfe\n", b'"""\\ <b>'], images=4)
    runs, out = os.path.join(base, b"r\xe9uns"), os.path.join(base, b"out\xff")
    monkeypatch.setenv("WORKBENCH_RUNS_DIR", os.fsdecode(runs))
    spec_file = tmp_path / "tiny.json"
    spec_file.write_text(SPEC.dumps(), encoding="utf-8")
    folder, run_dir = os.fsdecode(data), os.fsdecode(out)
    data_options = ["--dataset", "folder", "--folder", folder]

    code, _, err = run_cli(["train", str(spec_file), *data_options, "--out", run_dir, "--batch-size", "4"], capsys)
    assert code == 0, err
    saved = load_model(os.path.join(run_dir, "model.cnnwb"))
    assert saved.class_names == ('"""\\ <b>', "\\xff\\xfe\\n", "caf\\xe9")  # sorted as shown
    assert saved.data["folder"] == folder  # kept exactly, so --resume reads the same folder

    code, out_text, err = run_cli(["train", "--resume", run_dir, "--epochs", "2"], capsys)
    assert code == 0, err
    assert json.loads(out_text.splitlines()[-1])["epochs"] == 2
    for argv in (["evaluate", "MODEL", *data_options], ["runs", "list"], ["runs", "show", "1"]):
        argv = [os.path.join(run_dir, "model.cnnwb") if part == "MODEL" else part for part in argv]
        code, _, err = run_cli(argv, capsys)
        assert code == 0, (argv, err)
    logits = tmp_path / "logits.csv"
    code, _, err = run_cli(
        ["export-logits", os.path.join(run_dir, "model.cnnwb"), *data_options, "--out", str(logits)], capsys
    )
    assert code == 0, err
    assert len(logits.read_text().splitlines()) > 1

    code_dir = tmp_path / "code"
    code, _, err = run_cli(["export-code", os.path.join(run_dir, "model.cnnwb"), "--out", str(code_dir)], capsys)
    assert code == 0, err
    check = "import torch, model; print(len(model.CLASS_NAMES), model.build_model()(torch.zeros(1, 1, 6, 6)).shape)"
    result = subprocess.run([sys.executable, "-c", check], cwd=code_dir, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "torch.Size([1,", "3])"]


# ----- the text inside model files and specs ---------------------------------------------------------------


def test_hostile_text_in_a_model_file_is_saved_read_and_exported_as_code_that_compiles(tmp_path, capsys):
    rng = random.Random(SEED + 1)
    model = build_model(SPEC)
    cases = 200
    for index in range(cases):
        saved = SavedModel(
            spec=SPEC,
            state=model.state_dict(),
            class_names=tuple(hostile_text(rng) for _ in range(3)),
            dataset=hostile_text(rng),
            history=[{"epoch": 1, "val_accuracy": 0.5, "note": hostile_text(rng)}],
            extra={"note": hostile_text(rng)},
        )
        path = tmp_path / f"m{index}.cnnwb"
        save_model(path, saved)  # never fails on text: the manifest is written with escapes
        loaded = load_model(path)
        for text in (*loaded.class_names, loaded.dataset):
            assert_printable(text)
        source = render_model_code(loaded, source=os.fsdecode(b"from \xff\n.cnnwb"))
        source.encode("utf-8")
        compile(source, "model.py", "exec")  # NUL, quotes or newlines in a name would break this
        if index % 20 == 0:
            code, _, err = run_cli(["export-code", str(path), "--out", str(tmp_path / f"code{index}")], capsys)
            assert code == 0, err
    print(f"text in model files: {cases} generated models (class names, dataset, history, extra)")


def test_hostile_spec_names_are_refused_in_one_line_or_printed_intact(tmp_path, capsys):
    rng = random.Random(SEED + 2)
    cases, accepted = 200, 0
    for index in range(cases):
        name = hostile_text(rng)
        document = json.dumps({**json.loads(SPEC.dumps()), "name": name})  # "\ud800" travels as an escape
        try:
            spec = loads(document)
        except SpecError as exc:
            assert_printable(str(exc))
            assert len(str(exc)) < 600
        else:
            accepted += 1
            assert spec.name == name
            assert_printable(name)
        if index % 10 == 0:
            path = tmp_path / f"s{index}.json"
            path.write_text(document, encoding="utf-8")
            for argv in (["summary", str(path)], ["summary", "--json", str(path)]):
                code, out, err = run_cli(argv, capsys)
                if code == 0:
                    out.encode("utf-8")
                else:
                    assert_one_error_line(code, err, argv)
    print(f"spec names: {cases} generated, {accepted} accepted")
    assert 0 < accepted < cases


# ----- paths longer than the system allows ------------------------------------------------------------------


def deep_folder(root: Path, depth: int = 25) -> Path:
    """root/a/ddd…/ddd…/…/deep.png, past PATH_MAX (4,096) in all; made through directory descriptors."""
    class_folders(os.fsencode(root), [b"a", b"b"])
    fd = os.open(root / "a", os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        written = os.open("deep.png", os.O_WRONLY | os.O_CREAT, dir_fd=fd)
        os.write(written, png_bytes(9))
        os.close(written)
    finally:
        os.close(fd)
    return root


@pytest.mark.skipif(sys.platform != "linux", reason="PATH_MAX and NAME_MAX as Linux has them")
def test_paths_longer_than_the_system_allows_are_one_line_before_any_training(tmp_path, capsys):
    spec_file = tmp_path / "tiny.json"
    spec_file.write_text(SPEC.dumps(), encoding="utf-8")
    deep = deep_folder(tmp_path / "deep")
    too_long = str(tmp_path / "/".join(["e" * 250] * 20))  # 5,000 characters
    long_name = str(tmp_path / ("n" * 300))  # one name longer than NAME_MAX (255)
    model = tmp_path / "m.cnnwb"
    save_model(model, SavedModel(spec=SPEC, state=build_model(SPEC).state_dict(), class_names=("a", "b", "c")))
    digits = ["--dataset", "digits", "--limit", "200"]
    cases = [
        ["train", str(spec_file), "--dataset", "folder", "--folder", str(deep), "--out", str(tmp_path / "o1")],
        ["train", str(spec_file), "--dataset", "folder", "--folder", too_long, "--out", str(tmp_path / "o2")],
        ["train", str(spec_file), *digits, "--out", too_long],
        ["train", str(spec_file), *digits, "--out", long_name],
        ["train", too_long, *digits, "--out", str(tmp_path / "o3")],
        ["summary", too_long],
        ["summary", long_name],
        ["evaluate", too_long, *digits],
        ["export-code", too_long, "--out", str(tmp_path / "c1")],
        ["export-code", str(model), "--out", too_long],
        ["export-code", str(model), "--out", long_name],
        ["export-logits", str(model), *digits, "--out", too_long + ".csv"],
        ["export-logits", str(model), *digits, "--out", long_name + ".csv"],
    ]
    for argv in cases:
        code, _, err = run_cli(argv, capsys)
        assert_one_error_line(code, err, argv[:2])
        assert len(err) < 1000, err  # the path is shortened in the message
    for folder in ("o1", "o2", "o3"):
        assert not (tmp_path / folder / "model.cnnwb").exists()
    train = ["train", str(spec_file), "--dataset", "folder", "--folder", str(deep), "--out", str(tmp_path / "o4")]
    capped = under_limit("-m", "workbench", *train, "--runs-dir", str(tmp_path / "runs"))  # 4 GB of address space
    assert_one_line(capped, "cannot read the folder")
    print(f"long paths: {len(cases) + 1} commands, each one line")


def test_show_path_keeps_the_start_and_the_end_of_a_long_path():
    path = "/data/" + "x" * 5000 + "/cat.png"
    shown = show_path(path)
    assert len(shown) == 240 and shown.startswith("/data/xx") and shown.endswith("x/cat.png") and "…" in shown
    assert show_path(os.fsdecode(b"/tmp/caf\xe9\n")) == "/tmp/caf\\xe9\\n"


def test_a_class_folder_may_be_a_link_but_a_link_inside_one_is_not_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    class_folders(os.fsencode(elsewhere), [b"cat", b"dog"], images=2)
    (tmp_path / "pets").mkdir()
    for name in ("cat", "dog"):
        (tmp_path / "pets" / name).symlink_to(elsewhere / name, target_is_directory=True)
    (elsewhere / "cat" / "loop").symlink_to(elsewhere / "cat", target_is_directory=True)  # would walk forever
    raw = read_folder(tmp_path / "pets", None)
    assert raw.class_names == ("cat", "dog") and len(raw.train) == 4
