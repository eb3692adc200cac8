"""Models too large to build are refused in one line before any memory is taken: from a spec (summary,
train), from a small model file whose layers would need gigabytes, and under a 4 GB address-space limit."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import zipfile

import pytest

from tests.core.hostile import assert_one_error_line, run_cli
from workbench.files.model_file import ModelFileError, SavedModel, load_model, save_model
from workbench.model.build import BuildError, build_model
from workbench.model.shapes import MAX_ACTIVATION_BYTES, MAX_PARAM_BYTES, infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.templates import TEMPLATES
from workbench.processes.child import process_context


def huge_specs(rng: random.Random, count: int) -> list[ModelSpec]:
    """Specs over the parameter budget (wide Linear layers, many of them) or the activation budget (wide
    convolutions on large inputs)."""
    specs = []
    for index in range(count):
        if index % 2 == 0:
            width = rng.choice([16384, 32768, 65536, 1 << 20])
            layers = [LayerSpec("Flatten")]
            layers += [LayerSpec("Linear", {"out_features": width}) for _ in range(rng.randint(1, 40))]
            specs.append(ModelSpec((1, 28, 28), (*layers, LayerSpec("Linear", {"out_features": 10}))))
        else:
            size = rng.choice([1024, 2048, 4096])
            conv = LayerSpec("Conv2d", {"out_channels": rng.choice([64, 256, 1024]), "kernel_size": 1})
            specs.append(
                ModelSpec((3, size, size), (conv, LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 10})))
            )
    return specs


def test_every_template_is_far_inside_the_budget():
    for spec in TEMPLATES.values():
        inference = infer(spec)
        assert inference.param_bytes < MAX_PARAM_BYTES / 100 and inference.activation_bytes < MAX_ACTIVATION_BYTES / 10


def test_huge_specs_are_refused_by_summary_build_and_train_before_allocating(tmp_path, capsys):
    specs = [s for s in huge_specs(random.Random(8), 40) if infer(s).ok]
    for index, spec in enumerate(specs):
        assert infer(spec).over_budget is not None
        with pytest.raises(BuildError):
            build_model(spec)
        path = tmp_path / f"huge{index}.json"
        path.write_text(spec.dumps(), encoding="utf-8")
        for argv in (["summary", str(path)], ["train", str(path), "--dataset", "digits", "--out", str(tmp_path / "r")]):
            code, _, err = run_cli(argv, capsys)
            assert_one_error_line(code, err, argv)
    print(f"model sizes: {len(specs)} generated specs, each refused by build, summary and train")


def test_a_small_file_whose_layers_would_need_gigabytes_is_refused_on_load(tmp_path):
    """One stored tensor referenced by every layer keeps the file small; building its model would not be."""
    small = ModelSpec((1, 8, 8), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 64})))
    good = tmp_path / "small.cnnwb"
    save_model(good, SavedModel(small, {k: v.detach() for k, v in build_model(small).state_dict().items()}))
    source = zipfile.ZipFile(good)
    manifest = json.loads(source.read("manifest.json"))
    payload = manifest["payload"]
    width = 8192
    layers = [{"type": "Flatten"}] + [{"type": "Linear", "out_features": width} for _ in range(60)]
    payload["spec"]["layers"] = layers
    weight_ref = next(iter(payload["state"].values()))
    payload["state"] = {f"{i}.weight": weight_ref for i in range(1, 61)}  # every layer: the same member
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = json.dumps(manifest).encode() if info.filename == "manifest.json" else source.read(info)
            target.writestr(info.filename, data)
    hostile = tmp_path / "hostile.cnnwb"
    hostile.write_bytes(out.getvalue())
    assert hostile.stat().st_size < 100_000
    with pytest.raises(ModelFileError, match="parameters"):
        load_model(hostile)


@pytest.mark.skipif(sys.platform == "win32", reason="ulimit")
def test_under_a_4_gb_address_space_a_huge_model_is_one_line_not_a_crash(tmp_path):
    wide = LayerSpec("Linear", {"out_features": 65536})
    spec = ModelSpec((1, 28, 28), (LayerSpec("Flatten"), wide, wide, LayerSpec("Linear", {"out_features": 10})))
    path = tmp_path / "huge.json"
    path.write_text(spec.dumps(), encoding="utf-8")
    command = (
        f"ulimit -v 4000000; exec {sys.executable} -m workbench train {path} --dataset digits --out {tmp_path / 'r'}"
    )
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0 and result.stderr.startswith("error: the model has")


def _write_and_die(path: str) -> None:
    from pathlib import Path

    from workbench.system import atomic_file

    with atomic_file(Path(path)) as handle:
        handle.write(b"half a checkpoint")
        handle.flush()
        os._exit(9)  # killed mid-write: the temporary file stays behind


def test_a_temporary_file_left_by_a_write_killed_midway_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "checkpoint.cnnwb"
    context = process_context()
    for _ in range(3):
        child = context.Process(target=_write_and_die, args=(str(target),))
        child.start()
        child.join(60)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert len(left) == 3 and all(name.startswith(".checkpoint.cnnwb.") for name in left)
    unrelated = [tmp_path / ".checkpoint.cnnwb.notes.tmp", tmp_path / ".other.cnnwb.1.abc.tmp"]
    for path in unrelated:
        path.write_bytes(b"not ours to delete")
    spec = ModelSpec((1, 8, 8), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 2})))
    save_model(target, SavedModel(spec, {k: v.detach() for k, v in build_model(spec).state_dict().items()}))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["checkpoint.cnnwb", *(p.name for p in unrelated)])
