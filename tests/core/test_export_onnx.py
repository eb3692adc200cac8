"""export-onnx: the same logits as the app from images in [0, 1], any batch size; a plain message without onnx."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from tests.core.hostile import run_cli
from tests.core.test_export_code import REST, random_dataset, train_briefly
from workbench.cli.main import main
from workbench.data.datasets import load_dataset, to_device
from workbench.files.errors import ExportError
from workbench.files.export_onnx import CHECK_IMAGES, MISSING_ONNX, export_onnx, standalone_model
from workbench.files.model_file import MODEL_SUFFIX, model_from_saved, save_model
from workbench.model import templates
from workbench.model.build import compute_logits

# torch's exporter ignores AvgPool2d's divisor_override (export_onnx refuses it, tested below).
ONNX_REST = REST.with_layers(
    layer.with_params(divisor_override=None) if layer.type == "AvgPool2d" else layer for layer in REST.layers
)
CASES = {"mnist-bn": templates.template("mnist-bn"), "every-other-layer": ONNX_REST}


@pytest.fixture(scope="module")
def trained():
    """Each case trained briefly, with its test images in [0, 1] and the app's logits for them."""
    results = {}
    for name, spec in CASES.items():
        dataset = random_dataset(spec.input, classes=5 if name == "every-other-layer" else 10, test=20)
        saved = train_briefly(spec, dataset)
        x, _ = to_device(dataset.test, saved.mean, saved.std, "cpu")
        results[name] = (saved, dataset.test.images.float() / 255, compute_logits(model_from_saved(saved), x))
    return results


@pytest.mark.parametrize("name", list(CASES))
def test_the_standalone_model_takes_images_in_0_1_and_gives_the_apps_logits(trained, name):
    saved, images, expected = trained[name]
    with torch.no_grad():
        assert (standalone_model(saved)(images) - expected).abs().max().item() < 1e-4


def test_without_the_onnx_packages_the_message_says_how_to_install_them(trained, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "onnxscript", None)  # `import onnxscript` now raises ImportError
    save_model(tmp_path / f"m{MODEL_SUFFIX}", trained["mnist-bn"][0])
    assert main(["export-onnx", str(tmp_path / f"m{MODEL_SUFFIX}"), "--out", str(tmp_path / "m.onnx")]) == 2
    assert capsys.readouterr().err == f"error: {MISSING_ONNX}\n"
    assert MISSING_ONNX == "ONNX export needs the optional onnx packages: pip install 'cnn-workbench[onnx]'"
    assert not (tmp_path / "m.onnx").exists()


def test_bad_onnx_paths_are_clear_errors(trained, tmp_path):
    saved = trained["mnist-bn"][0]
    with pytest.raises(ExportError, match=r"FILE\.onnx"):
        export_onnx(saved, tmp_path / "m.txt")
    with pytest.raises(ExportError, match="does not exist"):
        export_onnx(saved, tmp_path / "nowhere" / "m.onnx")


@pytest.mark.parametrize("name", list(CASES))
def test_the_onnx_graph_gives_the_apps_logits_for_any_batch_size(trained, name, tmp_path):
    onnx = pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    saved, images, expected = trained[name]
    save_model(tmp_path / f"m{MODEL_SUFFIX}", saved)
    assert main(["export-onnx", str(tmp_path / f"m{MODEL_SUFFIX}"), "--out", str(tmp_path / "m.onnx")]) == 0
    onnx.checker.check_model(str(tmp_path / "m.onnx"))
    run = _runner(onnx, tmp_path / "m.onnx")
    for batch in (images, images[:1]):
        got = run(batch.numpy())
        assert np.abs(got - expected[: len(batch)].numpy()).max() < 1e-4


def _runner(onnx, path):
    """onnxruntime where installed, otherwise onnx's own reference evaluator (slow, but needs nothing more)."""
    try:
        import onnxruntime
    except ImportError:
        from onnx.reference import ReferenceEvaluator

        evaluator = ReferenceEvaluator(onnx.load(str(path)))
        return lambda x: evaluator.run(None, {"images": x})[0]
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return lambda x: session.run(None, {"images": x})[0]


def test_a_layer_the_exporter_gets_wrong_is_refused(tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    spec = templates.template("lenet5")
    spec = spec.with_layers(
        [spec.layers[0], spec.layers[1], spec.layers[2].with_params(divisor_override=3), *spec.layers[3:]]
    )
    saved = train_briefly(spec, random_dataset(spec.input, test=20))
    with pytest.raises(ExportError, match="layer 3 AvgPool2d: divisor_override"):
        export_onnx(saved, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


# ----- checked by the runtime that will run it --------------------------------------------------------------


def test_onnxruntime_on_a_whole_test_split_gives_the_logits_export_logits_writes(digits_model, tmp_path, capsys):
    """The built-in digits' whole test split (MNIST's would take 16 s of CPU more and show nothing new)."""
    onnxruntime = pytest.importorskip("onnxruntime")
    path, saved = digits_model
    calibrated = tmp_path / "calibrated.cnnwb"
    save_model(calibrated, replace(saved, calibration={"temperature": 1.25}))
    code, _, err = run_cli(["export-onnx", str(calibrated), "--out", str(tmp_path / "m.onnx")], capsys)
    assert code == 0, err
    test = load_dataset("digits").test
    assert f"checked with onnxruntime {onnxruntime.__version__} on {min(CHECK_IMAGES, len(test))} real images" in err
    argv = ["export-logits", str(path), "--dataset", "digits", "--split", "test", "--out", str(tmp_path / "l.npy")]
    code, _, err = run_cli(argv, capsys)
    assert code == 0, err
    exported = np.load(tmp_path / "l.npy")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), options, providers=["CPUExecutionProvider"])
    got = session.run(None, {"images": (test.images.float() / 255).numpy()})[0]
    assert got.shape == exported["logits"].shape == (len(test), 10)
    assert np.abs(got - exported["logits"]).max() < 1e-4
    assert (got.argmax(1) == exported["predicted"]).all()
    metadata = session.get_modelmeta().custom_metadata_map
    assert float(metadata["temperature"]) == 1.25 and json.loads(metadata["class_names"]) == list(saved.class_names)


def test_a_graph_the_runtime_reads_differently_is_refused_and_nothing_is_written(digits_model, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    from workbench.files import export_onnx as module

    real = module._runtime

    def drifting(onnx, proto):
        name, run = real(onnx, proto)
        return name, lambda x: run(x) + 2e-4

    monkeypatch.setattr(module, "_runtime", drifting)
    with pytest.raises(ExportError, match=r"disagrees .* in onnxruntime .*largest logit difference 0\.0002"):
        export_onnx(digits_model[1], tmp_path / "m.onnx", torch.rand(4, 1, 28, 28))
    assert not (tmp_path / "m.onnx").exists()


def test_without_its_dataset_the_graph_is_checked_on_random_images_and_says_so(digits_model, tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    path, _ = digits_model
    argv = ["export-onnx", str(path), "--out", str(tmp_path / "m.onnx"), "--dataset", "mnist"]
    code, _, err = run_cli([*argv, "--data-dir", str(tmp_path / "nothing")], capsys)
    assert code == 0, err
    assert err.startswith("note: ") and "checked on random images" in err and (tmp_path / "m.onnx").is_file()
