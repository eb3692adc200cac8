"""Model files and checkpoints: exact round trips, atomic saves, and refusing every bad or malicious file
with a one-line ModelFileError, without ever running code from it."""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import struct
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch
from numpy.lib import format as npy_format

from workbench.files.archive import FORMAT, VERSION, read_archive, write_archive
from workbench.files.errors import ModelFileError
from workbench.files.model_file import SavedModel, check_state, load_model, model_from_saved, save_model
from workbench.model import templates
from workbench.model.build import build_model
from workbench.model.spec import LayerSpec

MNIST = tuple(str(digit) for digit in range(10))


# ---------------------------------------------------------------- helpers


class Evil:
    """Unpickling this writes the marker file: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",)


def refused(path, *fragments: str, **kwargs) -> str:
    """Loading must fail with a one-line ModelFileError containing each fragment."""
    with pytest.raises(ModelFileError) as caught:
        load_model(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), message
    return message


def write_zip(path: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names, on purpose in one test
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in members.items():
                archive.writestr(name.split("#")[0], data)
    return path


def manifest(payload, *, kind="model", version=VERSION, fmt=FORMAT) -> bytes:
    return json.dumps({"format": fmt, "version": version, "kind": kind, "payload": payload}).encode()


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    npy_format.write_array(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def classic_payload(**changes) -> dict:
    """A valid payload for mnist-classic with its tensors as t0.npy… references; see classic_members."""
    spec = templates.template("mnist-classic")
    state = build_model(spec).state_dict()
    refs = {key: {"__tensor__": f"t{i}"} for i, key in enumerate(state)}
    return {"spec": spec.to_json(), "state": refs, "class_names": list(MNIST), **changes}


def classic_members() -> dict[str, bytes]:
    state = build_model(templates.template("mnist-classic")).state_dict()
    return {f"t{i}.npy": npy(value.numpy()) for i, value in enumerate(state.values())}


def craft(path: Path, payload: dict, members: dict[str, bytes] | None = None, **header) -> Path:
    members = classic_members() if members is None else members
    return write_zip(path, {"manifest.json": manifest(payload, **header), **members})


@pytest.fixture(scope="module")
def trained():
    """mnist-bn after one Adam step: BatchNorm buffers (num_batches_tracked is int64) are no longer defaults."""
    torch.manual_seed(0)
    spec = templates.template("mnist-bn")
    model = build_model(spec).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.functional.cross_entropy(model(torch.randn(8, 1, 28, 28)), torch.arange(8))
    loss.backward()
    optimizer.step()
    return spec, model, optimizer


def saved_from(trained, **changes) -> SavedModel:
    spec, model, optimizer = trained
    values = {
        "spec": spec,
        "state": {k: v.clone() for k, v in model.state_dict().items()},
        "class_names": MNIST,
        "mean": (0.1307,),
        "std": (0.3081,),
        "train_config": {"optimizer": "adam", "lr": 1e-3, "betas": [0.9, 0.999], "seed": 7},
        "history": [
            {"epoch": 1, "train_loss": 0.31, "val_loss": math.nan, "val_accuracy": None},
            {"epoch": 2, "train_loss": math.inf, "val_loss": -math.inf, "val_accuracy": 0.98},
        ],
        "dataset": "mnist",
        "extra": {"optimizer": optimizer.state_dict(), "epoch": 2},
    }
    return SavedModel(**{**values, **changes})


# ---------------------------------------------------------------- round trips


def test_model_file_round_trips_exactly(trained, tmp_path):
    path = tmp_path / "digits.cnnwb"
    original = saved_from(trained)
    save_model(path, original)
    loaded = load_model(path)
    assert loaded.spec == original.spec
    assert list(loaded.state) == list(original.state)
    for key, value in original.state.items():
        assert loaded.state[key].dtype == value.dtype and torch.equal(loaded.state[key], value), key
    assert loaded.state["1.num_batches_tracked"].dtype == torch.int64
    assert loaded.state["1.num_batches_tracked"].item() == 1
    assert loaded.class_names == MNIST and loaded.dataset == "mnist"
    assert loaded.mean == (0.1307,) and loaded.std == (0.3081,)
    assert loaded.train_config == original.train_config
    first, second = loaded.history
    assert first["train_loss"] == 0.31 and math.isnan(first["val_loss"]) and first["val_accuracy"] is None
    assert second["train_loss"] == math.inf and second["val_loss"] == -math.inf
    assert not any(name.endswith(".tmp") for name in os.listdir(tmp_path))


def test_same_model_saves_to_identical_bytes(trained, tmp_path):
    save_model(tmp_path / "a.cnnwb", saved_from(trained))
    save_model(tmp_path / "b.cnnwb", saved_from(trained))
    assert (tmp_path / "a.cnnwb").read_bytes() == (tmp_path / "b.cnnwb").read_bytes()


def test_optimizer_state_loads_back_and_takes_the_same_next_step(trained, tmp_path):
    spec, model, optimizer = trained
    path = tmp_path / "run.cnnwb"
    save_model(path, saved_from(trained), kind="checkpoint")
    loaded = load_model(path, kind="checkpoint")
    assert list(loaded.extra["optimizer"]["state"]) == list(optimizer.state_dict()["state"])  # int keys survive
    assert loaded.extra["epoch"] == 2

    resumed = model_from_saved(loaded)
    resumed_optimizer = torch.optim.Adam(resumed.parameters(), lr=1e-3)
    resumed_optimizer.load_state_dict(loaded.extra["optimizer"])
    original = build_model(spec)
    original.load_state_dict(model.state_dict())
    original_optimizer = torch.optim.Adam(original.parameters(), lr=1e-3)
    original_optimizer.load_state_dict(optimizer.state_dict())

    batch, labels = torch.randn(8, 1, 28, 28), torch.arange(8)
    for net, opt in ((original.eval(), original_optimizer), (resumed.eval(), resumed_optimizer)):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(batch), labels).backward()
        opt.step()
    for (name, a), b in zip(original.state_dict().items(), resumed.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_model_from_saved_computes_what_the_original_did(trained, tmp_path):
    _, model, _ = trained
    save_model(tmp_path / "m.cnnwb", saved_from(trained))
    rebuilt = model_from_saved(load_model(tmp_path / "m.cnnwb"))
    assert not rebuilt.training
    x = torch.randn(3, 1, 28, 28)
    assert torch.equal(rebuilt(x), model.eval()(x))
    model.train()


def test_archive_keeps_tensor_dtypes_and_shapes(tmp_path):
    big_endian = np.arange(6, dtype=">i4").reshape(2, 3)
    values = {
        "bf16": torch.tensor([1.5, -2.25, 3e38], dtype=torch.bfloat16),
        "f16": torch.tensor([0.5, 65504.0], dtype=torch.float16),
        "f64": torch.tensor([1e-300, math.pi], dtype=torch.float64),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.arange(256, dtype=torch.uint8),
        "bool": torch.tensor([True, False]),
        "c64": torch.tensor([1 + 2j], dtype=torch.complex64),
        "scalar": torch.tensor(3),
        "empty": torch.zeros(0, 3),
        "transposed": torch.arange(12.0).reshape(3, 4).t(),
        "grad": torch.ones(2, requires_grad=True),
        "nan": torch.tensor([math.nan, math.inf]),
    }
    write_archive(tmp_path / "t.zip", "test", {"tensors": values, "numpy": big_endian})
    payload = read_archive(tmp_path / "t.zip", "test")
    for name, value in values.items():
        got = payload["tensors"][name]
        assert got.dtype == value.dtype and got.shape == value.shape, name
        assert torch.equal(got.reshape(-1).view(torch.uint8), value.detach().reshape(-1).view(torch.uint8)), name
    assert torch.equal(payload["numpy"], torch.arange(6, dtype=torch.int32).reshape(2, 3))
    payload["numpy"] += 1  # writable


def test_archive_keeps_json_values(tmp_path):
    value = {
        "tuple": (1, (2.5, "three")),
        "int_keys": {0: "a", 7: {"nested": True}},
        "mixed_keys": {1: "one", "1": "text one"},
        "looks_like_marker": {"__tensor__": "t0"},
        "looks_like_items": {"__items__": [], "__float__": "nan"},
        "non_finite": [math.nan, math.inf, -math.inf, -0.0],
        "none": None,
        "text": "Ünïcødé ✓",
        "huge_int": 2**80,
        "numpy_scalars": [np.float32(0.5), np.int64(3), np.bool_(True)],
        "empty": {},
    }
    write_archive(tmp_path / "j.zip", "test", value)
    back = read_archive(tmp_path / "j.zip")
    assert back["tuple"] == [1, [2.5, "three"]]
    assert back["int_keys"] == {0: "a", 7: {"nested": True}}
    assert back["mixed_keys"] == {1: "one", "1": "text one"}
    assert back["looks_like_marker"] == {"__tensor__": "t0"}
    assert back["looks_like_items"] == {"__items__": [], "__float__": "nan"}
    nan, inf, ninf, zero = back["non_finite"]
    assert math.isnan(nan) and inf == math.inf and ninf == -math.inf and math.copysign(1, zero) == -1
    assert back["none"] is None and back["text"] == value["text"] and back["huge_int"] == 2**80
    assert back["numpy_scalars"] == [0.5, 3, True] and back["empty"] == {}


@pytest.mark.parametrize("bad", [{1, 2}, object(), {1.5: "float key"}, {(1, 2): "tuple key"}, {True: "bool key"}])
def test_values_the_format_cannot_hold_are_refused_on_save(bad, tmp_path):
    with pytest.raises(TypeError):
        write_archive(tmp_path / "x.zip", "test", {"bad": bad})
    assert os.listdir(tmp_path) == []


def test_save_refuses_weights_that_would_not_load(trained, tmp_path):
    state = saved_from(trained).state
    del state["0.weight"]
    with pytest.raises(ModelFileError, match="cannot save: layer 1 Conv2d: weight is missing"):
        save_model(tmp_path / "x.cnnwb", saved_from(trained, state=state))
    with pytest.raises(ModelFileError, match="std"):
        save_model(tmp_path / "x.cnnwb", saved_from(trained, std=(0.0,)))
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- atomic saves


def _crash_in_write_array(monkeypatch):
    real = npy_format.write_array

    def write_half_then_fail(fp, array, *args, **kwargs):
        if array.size > 1000:
            fp.write(b"\x93NUMPY partial")
            raise OSError(28, "No space left on device")
        return real(fp, array, *args, **kwargs)

    monkeypatch.setattr(npy_format, "write_array", write_half_then_fail)


def _crash_in_writestr(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", fail)


def _crash_in_replace(monkeypatch):
    def fail(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)


@pytest.mark.parametrize("crash", [_crash_in_write_array, _crash_in_writestr, _crash_in_replace])
def test_a_crash_while_saving_keeps_the_old_file(crash, trained, tmp_path, monkeypatch):
    path = tmp_path / "model.cnnwb"
    old = saved_from(trained, dataset="old")
    save_model(path, old)
    newer = saved_from(trained, dataset="new", state={k: v + 1 for k, v in old.state.items()})
    crash(monkeypatch)
    with pytest.raises(OSError):
        save_model(path, newer)
    with pytest.raises(OSError):
        save_model(tmp_path / "fresh.cnnwb", newer)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["model.cnnwb"]
    loaded = load_model(path)
    assert loaded.dataset == "old"
    assert all(torch.equal(loaded.state[k], v) for k, v in old.state.items())


# ---------------------------------------------------------------- malicious files


def test_the_payload_would_really_run(tmp_path):
    """Makes the tests below meaningful: unpickling Evil does create the marker."""
    marker = tmp_path / "marker"
    pickle.loads(pickle.dumps(Evil(marker)))
    assert marker.read_text() == "pwned"


def test_a_pickle_member_is_never_unpickled(tmp_path):
    marker = tmp_path / "marker"
    members = {**classic_members(), "t0.npy": pickle.dumps(Evil(marker))}
    path = craft(tmp_path / "evil.cnnwb", classic_payload(), members)
    refused(path, "tensor t0 is not a valid .npy array")
    assert not marker.exists()


def test_an_object_npy_is_never_unpickled(tmp_path):
    marker = tmp_path / "marker"
    members = {**classic_members(), "t0.npy": npy(np.array([Evil(marker)], dtype=object), allow_pickle=True)}
    path = craft(tmp_path / "evil.cnnwb", classic_payload(), members)
    refused(path, "tensor t0 holds Python objects")
    assert not marker.exists()


def test_a_torch_save_file_is_never_unpickled(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "weights.cnnwb"
    torch.save({"state": Evil(marker)}, path)
    refused(path, "torch.save", "can run any code")
    assert not marker.exists()


def test_a_plain_pickle_is_never_unpickled(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "weights.cnnwb"
    path.write_bytes(pickle.dumps(Evil(marker), protocol=4))
    refused(path, "pickle", "can run any code")
    legacy = tmp_path / "legacy.cnnwb"
    torch.save({"state": Evil(marker)}, legacy, _use_new_zipfile_serialization=False)
    refused(legacy, "pickle")
    assert not marker.exists()


# ---------------------------------------------------------------- zip bombs and lying sizes


def test_contents_larger_than_the_limit_are_refused(trained, tmp_path):
    path = tmp_path / "m.cnnwb"
    save_model(path, saved_from(trained))
    refused(path, "more than the 97.7 KB allowed", max_bytes=100_000)


def test_a_high_ratio_member_is_refused_as_a_zip_bomb(tmp_path):
    members = {**classic_members(), "padding.bin": bytes(8 * 1024 * 1024)}
    path = tmp_path / "bomb.cnnwb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest(classic_payload()))
        for name, data in members.items():
            archive.writestr(name, data)
    assert archive.getinfo("padding.bin").compress_size < 16 * 1024
    refused(path, "'padding.bin'", "zip bomb")


def test_a_member_larger_than_declared_is_refused(tmp_path):
    path = craft(tmp_path / "lie.cnnwb", classic_payload())
    data = bytearray(path.read_bytes())
    real = len(classic_members()["t0.npy"])
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers
        start = data.find(signature)
        while start != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 6] == b"t0.npy":
                assert struct.unpack_from("<I", data, start + offset)[0] == real
                struct.pack_into("<I", data, start + offset, 200)
            start = data.find(signature, start + 4)
    path.write_bytes(bytes(data))
    refused(path, "damaged")


def test_a_huge_declared_npy_shape_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    npy_format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (10**12,)})
    members = {**classic_members(), "t0.npy": header.getvalue() + bytes(8)}
    path = craft(tmp_path / "huge.cnnwb", classic_payload(), members)
    refused(path, "tensor t0 declares shape (1000000000000,)", "3.6 TB")


def test_a_negative_npy_shape_is_refused(tmp_path):
    header = io.BytesIO()
    npy_format.write_array_header_1_0(header, {"descr": "<f4", "fortran_order": False, "shape": (-2, -1)})
    members = {**classic_members(), "t0.npy": header.getvalue() + bytes(8)}
    refused(craft(tmp_path / "neg.cnnwb", classic_payload(), members), "negative size")


@pytest.mark.parametrize("descr", ["<U4", "<M8[s]", [("a", "<f4")], "|V4"])
def test_unsupported_npy_dtypes_are_refused(descr, tmp_path):
    array = np.zeros(2, dtype=np.dtype(descr))
    members = {**classic_members(), "t0.npy": npy(array)}
    refused(craft(tmp_path / "dtype.cnnwb", classic_payload(), members), "tensor t0")


# ---------------------------------------------------------------- weights that do not fit the architecture


def _classic_with(state_changes: dict, drop: tuple[str, ...] = ()) -> dict[str, torch.Tensor]:
    state = build_model(templates.template("mnist-classic")).state_dict()
    for key in drop:
        del state[key]
    return {**state, **state_changes}


def _save_raw(path: Path, spec, state) -> Path:
    """Bypass save_model's checks, as a hand-made or foreign file would."""
    write_archive(path, "model", {"spec": spec.to_json(), "state": state})
    return path


def test_a_weight_of_the_wrong_shape_names_the_layer(tmp_path):
    spec = templates.template("mnist-classic")
    other = spec.with_layers(
        [*spec.layers[:3], LayerSpec("Conv2d", {"out_channels": 20, "kernel_size": 3}), *spec.layers[4:]]
    )
    path = _save_raw(tmp_path / "m.cnnwb", spec, build_model(other).state_dict())
    message = refused(path)
    assert message == (
        "m.cnnwb: layer 4 Conv2d: weight is 20×10×3×3 in the file but the model needs 20×10×5×5; "
        "the weights do not belong to this architecture"
    )


def test_missing_and_unexpected_entries_name_the_layer(tmp_path):
    spec = templates.template("mnist-classic")
    refused(
        _save_raw(tmp_path / "a.cnnwb", spec, _classic_with({}, drop=("3.bias",))), "layer 4 Conv2d: bias is missing"
    )
    extra = _classic_with({"7.scale": torch.ones(1), "12.weight": torch.ones(1)})
    refused(_save_raw(tmp_path / "b.cnnwb", spec, extra), "layer 8 Linear: the file has 'scale'", "2 such entries")
    stray = _classic_with({"12.weight": torch.ones(1)})
    refused(_save_raw(tmp_path / "c.cnnwb", spec, stray), "layer 13 (the model has 10 layers)")
    odd = _classic_with({"features.weight": torch.ones(1)})
    refused(_save_raw(tmp_path / "d.cnnwb", spec, odd), "entry 'features.weight'")


def test_wrong_dtypes_are_refused():
    spec = templates.template("mnist-bn")
    state = build_model(spec).state_dict()
    with pytest.raises(ModelFileError, match=r"layer 2 BatchNorm2d: num_batches_tracked is torch\.float32"):
        check_state(spec, {**state, "1.num_batches_tracked": torch.tensor(0.0)})
    with pytest.raises(ModelFileError, match=r"layer 1 Conv2d: weight is torch\.int64 .* must be floating point"):
        check_state(spec, {**state, "0.weight": state["0.weight"].long()})
    check_state(spec, state)


def test_a_spec_that_cannot_be_built_is_refused(tmp_path):
    spec = templates.template("mnist-classic")
    broken = spec.with_layers([LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 40}), *spec.layers[1:]])
    write_archive(tmp_path / "b.cnnwb", "model", {"spec": broken.to_json(), "state": {}})
    refused(tmp_path / "b.cnnwb", "the model cannot be built: layer 1 Conv2d")


# ---------------------------------------------------------------- not a model file at all


def test_truncated_empty_and_foreign_files_are_refused(trained, tmp_path):
    path = tmp_path / "m.cnnwb"
    save_model(path, saved_from(trained))
    data = path.read_bytes()
    (tmp_path / "half.cnnwb").write_bytes(data[: len(data) // 2])
    refused(tmp_path / "half.cnnwb", "half.cnnwb: the file is incomplete or damaged")
    (tmp_path / "empty.cnnwb").write_bytes(b"")
    refused(tmp_path / "empty.cnnwb", "empty")
    (tmp_path / "spec.cnnwb").write_text(templates.template("mnist-classic").dumps())
    refused(tmp_path / "spec.cnnwb", "JSON text file", "model spec")
    (tmp_path / "noise.cnnwb").write_bytes(os.urandom(4096).replace(b"PK", b"pk"))
    refused(tmp_path / "noise.cnnwb", "not a zip archive")
    refused(tmp_path / "absent.cnnwb", "absent.cnnwb: cannot open the file")
    refused(tmp_path, "cannot open the file")
    refused(write_zip(tmp_path / "other.zip", {"readme.txt": b"hi"}), "no manifest.json")


@pytest.mark.parametrize("cut", [100, 1000, -100, -22, -1])
def test_cut_anywhere_is_refused(cut, trained, tmp_path):
    path = tmp_path / "m.cnnwb"
    save_model(path, saved_from(trained))
    data = path.read_bytes()
    path.write_bytes(data[:cut])
    refused(path)


def test_flipped_bytes_in_a_tensor_are_caught_by_the_checksum(tmp_path):
    path = craft(tmp_path / "m.cnnwb", classic_payload())
    data = bytearray(path.read_bytes())
    data[data.find(b"t1.npy") + 200] ^= 0xFF
    path.write_bytes(bytes(data))
    refused(path, "damaged")


def test_newer_version_and_other_formats_are_refused(tmp_path):
    refused(
        craft(tmp_path / "v2.cnnwb", classic_payload(), version=2), "made by a newer CNN Workbench", "update the app"
    )
    refused(craft(tmp_path / "v0.cnnwb", classic_payload(), version="1"), "version '1' is not valid")
    refused(craft(tmp_path / "f.cnnwb", classic_payload(), fmt="something.else"), "not a CNN Workbench file")


def test_the_wrong_kind_is_refused_both_ways(trained, tmp_path):
    save_model(tmp_path / "run.cnnwb", saved_from(trained), kind="checkpoint")
    refused(tmp_path / "run.cnnwb", "this is a training checkpoint, not a model file", "resume training")
    save_model(tmp_path / "m.cnnwb", saved_from(trained))
    refused(tmp_path / "m.cnnwb", "this is a model file, not a training checkpoint", kind="checkpoint")
    with pytest.raises(ValueError, match="kind"):
        save_model(tmp_path / "x.cnnwb", saved_from(trained), kind="weights")


def test_an_unknown_layer_in_the_spec_is_named(tmp_path):
    payload = classic_payload()
    payload["spec"]["layers"][4] = {"type": "Conv3d", "out_channels": 2}
    refused(craft(tmp_path / "m.cnnwb", payload), "model spec inside is invalid: layer 5: unknown layer type 'Conv3d'")


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"class_names": 10}, "class_names must be a list of text"),
        ({"class_names": ["a", 1]}, "class_names must be a list of text"),
        ({"mean": "0.5"}, "mean must be a list of finite numbers"),
        ({"mean": [{"__float__": "nan"}], "std": [1.0]}, "mean must be a list of finite numbers"),
        ({"mean": [0.5, 0.5, 0.5], "std": [1, 1, 1]}, "mean has 3 values but the model's input has 1 channel;"),
        ({"mean": [0.5], "std": []}, "mean has 1 value but std has 0 values"),
        ({"mean": [0.5], "std": [0]}, "std values must be above 0"),
        ({"history": {"epoch": 1}}, "history must be a list"),
        ({"history": [1, 2]}, "history must be a list"),
        ({"train_config": []}, "train_config must be an object"),
        ({"dataset": 3}, "dataset must be text"),
        ({"extra": "x"}, "extra must be an object"),
        ({"state": [1]}, "holds no weights"),
        ({"state": {"0.weight": [1.0]}}, "weights entry '0.weight' is not a tensor"),
        ({"spec": None}, "holds no model spec"),
        ({"spec": [1]}, "model spec inside is invalid"),
    ],
)
def test_wrong_json_types_are_refused(changes, fragment, tmp_path):
    refused(craft(tmp_path / "m.cnnwb", classic_payload(**changes)), fragment)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (b"[1, 2]", "must be a JSON object"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"format": "cnn-workbench.archive", "version": 1, "payload": {}}', "does not say what it holds"),
        (b'{"format": "cnn-workbench.archive", "version": 1, "kind": "model", "payload": []}', "payload"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_broken_manifest_is_refused(text, fragment, tmp_path):
    refused(write_zip(tmp_path / "m.cnnwb", {"manifest.json": text}), fragment)


@pytest.mark.parametrize(
    ("state", "fragment"),
    [
        ({"0.weight": {"__tensor__": "t99"}}, "tensor t99 is missing from the archive"),
        ({"0.weight": {"__tensor__": "../../etc/passwd"}}, "bad tensor reference"),
        ({"0.weight": {"__tensor__": "t0", "dtype": "object"}}, "unsupported dtype 'object'"),
        ({"0.weight": {"__tensor__": "t0", "dtype": "bfloat16"}}, "must be stored as float32"),
        ({"0.weight": {"__tensor__": "t0", "more": 1}}, "malformed entry"),
        ({"0.weight": {"__items__": [[1.5, 2]]}}, "malformed"),
        ({"0.weight": {"__float__": "zero"}}, "unknown number 'zero'"),
    ],
)
def test_bad_references_are_refused(state, fragment, tmp_path):
    members = {"t0.npy": npy(np.zeros(2, dtype=np.int64))}
    refused(craft(tmp_path / "m.cnnwb", classic_payload(state=state), members), fragment)


def test_duplicate_entries_are_refused(tmp_path):
    members = {**classic_members(), "t0.npy#again": npy(np.zeros(3, dtype=np.float32))}
    refused(craft(tmp_path / "dup.cnnwb", classic_payload(), members), "lists an entry twice")


def test_many_references_to_one_member_load_it_once(tmp_path):
    write_zip(
        tmp_path / "r.zip",
        {
            "manifest.json": manifest({"refs": [{"__tensor__": "t0"}] * 1000}, kind="test"),
            "t0.npy": npy(np.ones(1000, dtype=np.float32)),
        },
    )
    refs = read_archive(tmp_path / "r.zip", "test")["refs"]
    assert len({id(t) for t in refs}) == 1


def test_messages_are_always_one_line():
    assert str(ModelFileError("first line\nsecond  line\r\n")) == "first line second line"


def test_an_oversized_manifest_is_refused_before_parsing(tmp_path, monkeypatch):
    from workbench.files import archive

    monkeypatch.setattr(archive, "MAX_MANIFEST", 100)
    refused(
        craft(tmp_path / "m.cnnwb", classic_payload()), "manifest.json is", "more than a CNN Workbench file ever needs"
    )


def test_numpy_and_torch_scalars_in_mean_and_std_are_saved_as_floats(trained, tmp_path):
    saved = saved_from(trained, mean=(np.float32(0.5),), std=(torch.tensor(0.25),))
    save_model(tmp_path / "m.cnnwb", saved)
    loaded = load_model(tmp_path / "m.cnnwb")
    assert loaded.mean == (0.5,) and loaded.std == (0.25,)
