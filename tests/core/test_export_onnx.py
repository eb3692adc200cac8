"""export-onnx: the same logits as the app from images in [0, 1], any batch size; a plain message without onnx."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import torch

from tests.core.test_export_code import REST, random_dataset, train_briefly
from workbench.cli.main import main
from workbench.data.datasets import to_device
from workbench.files.errors import ExportError
from workbench.files.export_onnx import MISSING_ONNX, export_onnx, standalone_model
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
