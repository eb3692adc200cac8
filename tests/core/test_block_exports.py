"""Exports and files of models with blocks (Residual, Concat, blocks inside blocks): model.py with one class
per block whose weights are the app's, ONNX checked in the runtime, model files, the torchrun script and
TensorBoard's first filters."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from tests.core.synthetic import bars_dataset
from tests.core.test_export_code import BLOCKS, _concat, _l, _residual
from workbench.files.errors import ExportError, ModelFileError
from workbench.files.export_code import export_code, render_model_code
from workbench.files.export_train import export_train_script
from workbench.files.model_file import MODEL_SUFFIX, SavedModel, check_state, load_model, model_from_saved, save_model
from workbench.model.build import build_model, compute_logits
from workbench.model.spec import ModelSpec
from workbench.training.config import TrainConfig

SMALL = (2, 8, 8)
CONV = {"kernel_size": 3, "padding": 1}
SPECS = {
    "residual-identity": ModelSpec(
        SMALL,
        (_residual(_l("Conv2d", out_channels=2, **CONV), _l("ReLU")), _l("Flatten"), _l("Linear", out_features=3)),
    ),
    "residual-batchnorm-relu-after": ModelSpec(
        SMALL,
        (
            _residual(_l("Conv2d", out_channels=2, bias=False, **CONV), _l("BatchNorm2d"), relu_after=True),
            _l("Flatten"),
            _l("Linear", out_features=3),
        ),
    ),
    "residual-projection": ModelSpec(
        SMALL,
        (_residual(_l("Conv2d", out_channels=4, stride=2, **CONV)), _l("Flatten"), _l("Linear", out_features=3)),
    ),
    "residual-projection-batchnorm": ModelSpec(
        SMALL,
        (
            _residual(_l("Conv2d", out_channels=4, kernel_size=1), _l("BatchNorm2d"), relu_after=True),
            _l("Flatten"),
            _l("Linear", out_features=3),
        ),
    ),
    "concat-empty-branch": ModelSpec(
        SMALL,
        (_concat((_l("Conv2d", out_channels=3, kernel_size=1),), ()), _l("Flatten"), _l("Linear", out_features=3)),
    ),
    "block-in-block": ModelSpec(
        SMALL,
        (
            _residual(
                _concat((_residual(_l("Conv2d", out_channels=2, **CONV)),), ()), _l("Conv2d", out_channels=2, **CONV)
            ),
            _l("Flatten"),
            _l("Linear", out_features=3),
        ),
    ),
    "blocks": BLOCKS,
}


def random_saved(spec: ModelSpec, seed: int = 0) -> SavedModel:
    """The spec built with random weights, BatchNorm's running statistics away from their defaults."""
    torch.manual_seed(seed)
    model = build_model(spec)
    for module in model.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.5, 0.5)
            module.running_var.uniform_(0.5, 2.0)
    channels = spec.input[0]
    return SavedModel(spec, model.state_dict(), tuple(f"c{i}" for i in range(3)), (0.4,) * channels, (0.2,) * channels)


def app_logits(saved: SavedModel, images: torch.Tensor) -> torch.Tensor:
    mean = torch.tensor(saved.mean).view(1, -1, 1, 1)
    std = torch.tensor(saved.std).view(1, -1, 1, 1)
    return compute_logits(model_from_saved(saved), (images - mean) / std)


def import_model_py(folder: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def images_for(spec: ModelSpec, count: int = 5) -> torch.Tensor:
    return torch.rand(count, *spec.input, generator=torch.Generator().manual_seed(1))


# ---------------------------------------------------------------- model.py


@pytest.mark.parametrize("name", list(SPECS))
def test_model_py_has_the_apps_weights_and_gives_its_logits(name, tmp_path):
    spec = SPECS[name]
    saved = random_saved(spec)
    export_code(saved, tmp_path)
    module = import_model_py(tmp_path, f"blocks_{name.replace('-', '_')}")
    assert list(module.Net().state_dict()) == [f"layers.{key}" for key in saved.state]
    model = module.build_model()  # load_state_dict(strict=True)
    images = images_for(spec)
    with torch.no_grad():
        assert (model(images) - app_logits(saved, images)).abs().max().item() < 1e-5


def test_each_block_is_a_class_that_reads_as_its_formula():
    code = render_model_code(random_saved(BLOCKS))
    compile(code, "model.py", "exec")
    assert "class Residual2(nn.Module):" in code and "        self.body = nn.Sequential(\n" in code
    residual2 = code[code.index("class Residual2") : code.index("class Residual3")]
    assert "self.projection" not in residual2
    assert "        out = self.body(x) + x\n        return torch.relu(out)" in residual2
    residual3 = code[code.index("class Residual3") : code.index("class Residual4")]
    assert "out = self.body(x) + self.projection(x)\n        return out" in residual3
    assert "nn.Conv2d(8, 16, kernel_size=1, stride=2)," in residual3  # the projection, with a bias: no BatchNorm
    residual4 = code[code.index("class Residual4") : code.index("class Residual5_2_1_1")]
    assert "nn.Conv2d(16, 24, kernel_size=1, bias=False),\n            nn.BatchNorm2d(24)," in residual4
    concat = code[code.index("class Concat5(") : code.index("class Net")]
    assert "self.branches = nn.ModuleList(" in concat
    assert "return torch.cat([branch(x) for branch in self.branches], dim=1)" in concat
    assert "nn.Sequential(),  # branch 3: 24x6x6, its input passed on" in concat
    assert "Residual5_2_1(),  # 1: 24x6x6" in concat and "Concat5_4_1(),  # 1: 48x6x6" in concat
    # inner blocks are defined before the blocks that use them
    order = [code.index(f"class {name}(") for name in ("Residual5_2_1_1", "Residual5_2_1", "Concat5_4_1", "Concat5")]
    assert order == sorted(order)
    assert '"""layer 5 Concat › branch 2 › layer 1 Residual › layer 1 Residual: out = body(x) + x;' in code
    assert "            Residual2(),  # 2: 8x12x12, 1,176 params" in code
    assert "# nn.Softmax(dim=1) (layer 9) is left out: forward returns logits" in code


# ---------------------------------------------------------------- ONNX


def test_a_nested_model_exports_to_onnx_and_the_runtime_gives_the_apps_logits(tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    onnxruntime = pytest.importorskip("onnxruntime")
    from workbench.files.export_onnx import export_onnx

    saved = random_saved(BLOCKS)
    images = images_for(BLOCKS, 7)
    done = export_onnx(saved, tmp_path / "m.onnx", images)
    assert done.runtime.startswith("onnxruntime") and done.images == 7 and done.difference <= 1e-4
    session = onnxruntime.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = session.run(None, {"images": images.numpy()})[0]
    assert np.abs(got - app_logits(saved, images).numpy()).max() < 1e-4


def test_a_layer_the_onnx_exporter_gets_wrong_is_refused_inside_a_block(tmp_path):
    pytest.importorskip("onnx")
    pytest.importorskip("onnxscript")
    from workbench.files.export_onnx import export_onnx

    pool = _l("AvgPool2d", kernel_size=3, stride=1, padding=1, divisor_override=3)
    spec = ModelSpec(SMALL, (_concat((), (_residual(pool),)), _l("Flatten"), _l("Linear", out_features=3)))
    with pytest.raises(
        ExportError, match=r"^layer 1 Concat › branch 2 › layer 1 Residual › layer 1 AvgPool2d: divisor"
    ):
        export_onnx(random_saved(spec), tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


# ---------------------------------------------------------------- model files


def test_a_nested_model_file_reopens_with_its_spec_weights_and_outputs(tmp_path):
    saved = random_saved(BLOCKS)
    save_model(tmp_path / f"m{MODEL_SUFFIX}", saved)
    loaded = load_model(tmp_path / f"m{MODEL_SUFFIX}")
    assert loaded.spec == BLOCKS and loaded.spec.dumps() == BLOCKS.dumps()
    assert list(loaded.state) == list(saved.state) and "4.branches.1.0.body.0.body.0.weight" in loaded.state
    assert all(torch.equal(loaded.state[key], value) for key, value in saved.state.items())
    images = images_for(BLOCKS)
    assert torch.equal(app_logits(loaded, images), app_logits(saved, images))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda state: state.update({"1.body.0.weight": torch.zeros(8, 8, 1, 1)}),
            "^layer 2 Residual › layer 1 Conv2d: weight is 8×8×1×1 in the file but the model needs 8×8×3×3;",
        ),
        (
            lambda state: state.pop("4.branches.1.0.body.0.body.0.weight"),
            "^layer 5 Concat › branch 2 › layer 1 Residual › layer 1 Residual › layer 1 Conv2d: weight is missing",
        ),
        (
            lambda state: state.update({"3.projection.0.bias": torch.zeros(24)}),
            "^layer 4 Residual: the file has 'projection.0.bias', which the model does not have;",
        ),
        (
            lambda state: state.update({"3.body.7.weight": torch.zeros(24)}),
            "^layer 4 Residual: the file has 'body.7.weight', which the model does not have;",
        ),
        (
            lambda state: state.update({"12.weight": torch.zeros(3)}),
            r"^layer 13 \(the model has 9 layers at its top level\): the file has 'weight'",
        ),
    ],
)
def test_weights_that_do_not_fit_a_nested_spec_are_located(change, message, tmp_path):
    state = dict(random_saved(BLOCKS).state)
    change(state)
    with pytest.raises(ModelFileError, match=message):
        check_state(BLOCKS, state)


# ---------------------------------------------------------------- the torchrun script


def test_the_exported_training_script_trains_a_nested_model_without_the_workbench(tmp_path):
    """One process, a few dozen images: the script builds the blocks from model.py and trains them."""
    spec = ModelSpec(
        (1, 12, 12),
        (
            _l("Conv2d", out_channels=4, kernel_size=3, padding=1),
            _residual(_l("Conv2d", out_channels=8, stride=2, **CONV), _l("BatchNorm2d"), relu_after=True),
            _concat((_l("Conv2d", out_channels=4, kernel_size=1),), ()),
            _l("Flatten"),
            _l("Linear", out_features=4),
        ),
    )
    dataset = bars_dataset(train=48, val=16, test=16)
    config = TrainConfig(epochs=1, batch_size=16, lr=0.01, seed=0, device="cpu", threads=1)
    saved = random_saved(spec)
    saved.train_config = config.to_json()
    export_train_script(saved, dataset, tmp_path / "cluster")
    shadow = tmp_path / "shadow" / "workbench"  # any import of the workbench fails in the script's process
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('the exported script needs the workbench')\n")
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(shadow.parent), "OMP_NUM_THREADS": "1"}
    env.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK="0", WORLD_SIZE="1", LOCAL_RANK="0")
    done = subprocess.run(
        [sys.executable, "train_ddp.py"], cwd=tmp_path / "cluster", env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["processes"] == 1 and result["steps"] == 3 and result["test_accuracy"] is not None
    trained = torch.load(tmp_path / "cluster" / "weights.pt", weights_only=True)
    state = {key.removeprefix("layers."): value for key, value in trained.items()}
    check_state(spec, state)  # what the script trained fits the app's model of the spec, block by block
    assert not torch.equal(state["1.body.0.weight"], saved.state["1.body.0.weight"])


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- TensorBoard


def test_tensorboard_shows_the_first_conv_inside_a_block_and_says_where_it_is(tmp_path):
    from workbench.runs.tensorboard import export_run, first_layer_filters

    spec = ModelSpec(
        SMALL,
        (
            _residual(_l("Conv2d", out_channels=5, **CONV)),
            _l("Conv2d", out_channels=2, kernel_size=1),
            _l("Flatten"),
            _l("Linear", out_features=3),
        ),
    )
    saved = random_saved(spec)
    save_model(tmp_path / f"m{MODEL_SUFFIX}", saved)
    where, filters = first_layer_filters(str(tmp_path / f"m{MODEL_SUFFIX}"))
    assert where == "layer 1 Residual › layer 1 Conv2d"
    weight = saved.state["0.body.0.weight"].mean(dim=1, keepdim=True)
    assert filters.shape == (5, 1, 3, 3) and filters.min() == 0 and filters.max() == pytest.approx(1)
    assert (filters.reshape(5, -1).argmax(1) == weight.flatten(1).argmax(1).numpy()).all()  # each filter scaled
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    summary = SimpleNamespace(
        id=7, name="nested", dataset="bars", device="cpu", test_accuracy=None, model_path=str(tmp_path / "m.cnnwb")
    )
    record = SimpleNamespace(summary=summary, batch_steps=[1], batch_losses=[0.5], history=[])
    folder = export_run(record, tmp_path / "tb")
    events = event_accumulator.EventAccumulator(str(folder), size_guidance={"images": 0, "tensors": 0})
    events.Reload()
    assert "first_conv_filters" in events.Tags()["images"]
    text = events.Tensors("first_conv_filters/text_summary")[0].tensor_proto.string_val[0].decode()
    assert text.startswith("layer 1 Residual › layer 1 Conv2d: 5 filters")
