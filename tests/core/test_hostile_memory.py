"""Memory has a budget, checked before anything is allocated: a file's tensors count once per reference
against the archive's byte budget (a small file referencing one large member from everywhere is refused
before any tensor data is read), and shape inference's parameter and activation bytes, which the model
budget relies on, are exactly what torch would allocate (measured on the meta device, which allocates
nothing). Under a 4 GB address-space limit the CLI refuses such inputs with one line.

Inputs are drawn by seeded generators (the same inputs every run); each family's count is printed."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from numpy.lib import format as npy_format

from workbench.files import archive
from workbench.files.archive import FORMAT, VERSION, read_archive
from workbench.files.model_file import CHECKPOINT_KIND, ModelFileError, SavedModel, load_model, save_model
from workbench.model import build
from workbench.model.build import BuildError, build_model
from workbench.model.shapes import BYTES_PER_VALUE, infer
from workbench.model.spec import LayerSpec, ModelSpec

ADDRESS_LIMIT_KB = 4_000_000
DTYPES = (np.float32, np.float64, np.int8, np.int64, np.bool_, np.float16)


def npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    npy_format.write_array(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def write_zip(path: Path, payload: dict, members: dict[str, bytes], kind: str = "test") -> Path:
    manifest = {"format": FORMAT, "version": VERSION, "kind": kind, "payload": payload}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        target.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            target.writestr(name, data)
    return path


def reference(rng: random.Random, member: int, dtype: np.dtype) -> tuple[dict, int]:
    """A reference to t{member} and the bytes it yields (a float32 member may be cast to bfloat16)."""
    if dtype == np.float32 and rng.random() < 0.3:
        return {"__tensor__": f"t{member}", "dtype": "bfloat16"}, 2
    return {"__tensor__": f"t{member}"}, np.dtype(dtype).itemsize


def placed(rng: random.Random, refs: list[dict]) -> dict:
    """The references spread over lists, objects, int-keyed dicts and nesting, as a checkpoint holds them."""
    payload: dict = {"flat": [], "nested": {"a": {"b": []}}, "items": {"__items__": []}}
    for index, ref in enumerate(refs):
        where = rng.randrange(3)
        if where == 0:
            payload["flat"].append(ref)
        elif where == 1:
            payload["nested"]["a"]["b"].append([ref])
        else:
            payload["items"]["__items__"].append([index, {"exp_avg": ref}])
    return payload


def test_every_reference_to_a_member_counts_against_the_budget_before_any_data_is_read(tmp_path, monkeypatch):
    reads: list[str] = []
    real_read = archive._Reader._read_exact
    monkeypatch.setattr(
        archive._Reader,
        "_read_exact",
        lambda self, ref, stream, size: reads.append(ref) or real_read(self, ref, stream, size),
    )
    rng = random.Random(3)
    count, refused = 120, 0
    for index in range(count):
        dtypes = [rng.choice(DTYPES) for _ in range(rng.randint(1, 3))]
        arrays = [np.ones(rng.randint(0, 20_000), dtype=dtype) for dtype in dtypes]
        members = {f"t{i}.npy": npy(array) for i, array in enumerate(arrays)}
        refs, total = [], 0
        for _ in range(rng.choice([1, 2, 10, 100, 1000])):
            member = rng.randrange(len(arrays))
            ref, itemsize = reference(rng, member, dtypes[member])
            refs.append(ref)
            total += arrays[member].size * itemsize
        max_bytes = rng.choice([64 * 1024, 1024**2, 8 * 1024**2])
        path = write_zip(tmp_path / f"r{index % 4}.zip", placed(rng, refs), members)
        with zipfile.ZipFile(path) as written:
            stored = sum(info.file_size for info in written.infolist())  # what the older check counts
        reads.clear()
        if total > max_bytes and stored <= max_bytes:
            with pytest.raises(ModelFileError, match="its tensors add up to") as caught:
                read_archive(path, "test", max_bytes=max_bytes)
            assert "\n" not in str(caught.value) and reads == []  # refused before any tensor data was read
            refused += 1
        elif stored > max_bytes:
            with pytest.raises(ModelFileError, match="the contents unpack to"):
                read_archive(path, "test", max_bytes=max_bytes)
        else:
            payload = read_archive(path, "test", max_bytes=max_bytes)
            assert len(payload["flat"]) + len(payload["nested"]["a"]["b"]) + len(payload["items"]) == len(refs)
    print(f"tensor references: {count} generated archives, {refused} refused by the budget")


def test_a_real_checkpoint_is_charged_its_own_size(tmp_path):
    """Files this app writes reference each member once: the per-reference count is just their size."""
    spec = ModelSpec((1, 8, 8), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 512})))
    model = build_model(spec)
    optimizer = torch.optim.Adam(model.parameters())
    model(torch.randn(2, 1, 8, 8)).sum().backward()
    optimizer.step()
    saved = SavedModel(
        spec, {k: v.detach() for k, v in model.state_dict().items()}, extra={"o": optimizer.state_dict()}
    )
    path = tmp_path / "c.cnnwb"
    save_model(path, saved, kind=CHECKPOINT_KIND)
    tensor_bytes = 3 * 4 * (64 * 512 + 512)  # weights and Adam's two moments
    load_model(path, kind=CHECKPOINT_KIND, max_bytes=tensor_bytes + 64 * 1024)
    with pytest.raises(ModelFileError, match="more than the"):
        load_model(path, kind=CHECKPOINT_KIND, max_bytes=tensor_bytes - 1)


def random_spec(rng: random.Random) -> ModelSpec:
    """Convolutions and pools on an image, then Linear layers: widths from tiny to far over the budget."""
    size = rng.choice([8, 28, 64, 256, 1024, 4096])
    layers = []
    for _ in range(rng.randint(0, 4)):
        kind = rng.choice(["Conv2d", "Conv2d", "MaxPool2d", "BatchNorm2d", "ReLU", "AvgPool2d"])
        if kind == "Conv2d":
            params = {
                "out_channels": rng.choice([1, 8, 64, 512, 4096]),
                "kernel_size": rng.choice([1, 3, 7, 31]),
                "padding": rng.choice([0, 1, 3, 255]),
                "stride": rng.choice([1, 1, 2, 4]),
            }
        elif kind in ("MaxPool2d", "AvgPool2d"):
            params = {"kernel_size": rng.choice([2, 3, 8])}
        else:
            params = {}
        layers.append(LayerSpec(kind, params))
    layers.append(LayerSpec("Flatten"))
    for _ in range(rng.randint(0, 3)):
        layers.append(LayerSpec("Linear", {"out_features": rng.choice([10, 100, 4096, 16384, 65536])}))
    return ModelSpec((rng.choice([1, 3]), size, size), tuple(layers))


class NoTorch:
    """Stands in for torch.nn in build_model: any layer constructed would be memory taken."""

    def __getattr__(self, name):
        raise AssertionError(f"build_model constructed a {name} for a model over the budget")


def test_shape_inference_counts_exactly_what_torch_allocates_and_over_budget_builds_nothing(monkeypatch):
    rng = random.Random(29)
    count, over, measured = 400, 0, 0
    for _ in range(count):
        spec = random_spec(rng)
        inference = infer(spec)
        if not inference.ok:
            continue
        if inference.over_budget is not None:
            over += 1
            with monkeypatch.context() as patch:
                patch.setattr(build, "nn", NoTorch())
                with pytest.raises(BuildError) as caught:
                    build_model(spec)
            assert "\n" not in str(caught.value)
            continue
        with torch.device("meta"):
            model = build_model(spec).eval()
        assert sum(p.numel() for p in model.parameters()) * BYTES_PER_VALUE == inference.param_bytes
        outputs: list[int] = []
        hooks = [m.register_forward_hook(lambda _m, _i, out, seen=outputs: seen.append(out.numel())) for m in model]
        with torch.no_grad():
            model(torch.empty((1, *spec.input), device="meta"))
        for hook in hooks:
            hook.remove()
        assert sum(outputs) * BYTES_PER_VALUE == inference.activation_bytes, spec
        measured += 1
    assert over > 50 and measured > 50
    print(f"model budget: {count} generated specs, {over} over the budget, {measured} measured on the meta device")


def under_limit(*argv: str) -> subprocess.CompletedProcess:
    """`python ARGV` in a process whose address space is capped at 4 GB (torch alone maps about 1-3 GB)."""
    command = f"ulimit -v {ADDRESS_LIMIT_KB}; exec {sys.executable} " + " ".join(f"'{arg}'" for arg in argv)
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=120)


def assert_one_line(result: subprocess.CompletedProcess, fragment: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0] and "Traceback" not in result.stderr, lines[0]


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="ulimit")
def test_under_a_4_gb_address_space_huge_inputs_are_one_line_not_a_crash(tmp_path):
    """A small model file whose state references one 4 MB member, cast, 3,000 times (6 GB of copies),
    and a spec whose first layer outputs gigabytes per image, through the CLI."""
    spec = ModelSpec((1, 28, 28), (LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 10})))
    good = tmp_path / "good.cnnwb"
    save_model(good, SavedModel(spec, {k: v.detach() for k, v in build_model(spec).state_dict().items()}))
    with zipfile.ZipFile(good) as source:
        manifest = json.loads(source.read("manifest.json"))
        members = {name: source.read(name) for name in source.namelist() if name != "manifest.json"}
    members["t9.npy"] = npy(np.ones(1024**2, dtype=np.float32))
    copies = {f"copy{i}": {"__tensor__": "t9", "dtype": "bfloat16"} for i in range(3000)}
    manifest["payload"]["state"].update(copies)
    hostile = write_zip(tmp_path / "hostile.cnnwb", manifest["payload"], members, kind="model")
    assert hostile.stat().st_size < 5 * 1024**2
    assert_one_line(under_limit("-m", "workbench", "evaluate", str(hostile), "--dataset", "digits"), "add up to")

    wide = LayerSpec("Conv2d", {"out_channels": 4096, "kernel_size": 1, "padding": 255})  # 4.4 GiB per image
    path = tmp_path / "wide.json"
    path.write_text(ModelSpec((1, 28, 28), (wide, LayerSpec("Flatten"))).dumps(), encoding="utf-8")
    assert_one_line(under_limit("-m", "workbench", "summary", str(path)), "layer outputs")
    runs = tmp_path / "runs"
    train = ("-m", "workbench", "train", str(path), "--dataset", "digits", "--out", str(tmp_path / "r"))
    assert_one_line(under_limit(*train, "--runs-dir", str(runs)), "layer outputs")
    print("under a 4 GB address space: 3 commands, each one error line")


def test_logits_of_a_model_with_large_layer_outputs_are_computed_in_batches_that_fit(monkeypatch):
    spec = ModelSpec((1, 32, 32), (LayerSpec("Conv2d", {"out_channels": 64, "kernel_size": 3, "padding": 1}),
                                   LayerSpec("Flatten"), LayerSpec("Linear", {"out_features": 3})))  # fmt: skip
    per_image = (64 * 32 * 32 + 64 * 32 * 32 + 3) * 4  # what the three layers output for one image, in bytes
    monkeypatch.setattr(build, "EVAL_BYTES", 5 * per_image)
    model, x = build_model(spec), torch.randn(23, 1, 32, 32)
    batches = []
    logits = build.compute_logits(model, x, progress=lambda done, total: batches.append(done))
    assert batches == [5, 10, 15, 20, 23]  # 5 images a batch, not EVAL_BATCH (1,024)
    with torch.no_grad():
        assert torch.allclose(logits, model.eval()(x), atol=1e-5)
