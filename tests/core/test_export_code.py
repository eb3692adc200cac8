"""export-code: model.py + weights.pt that need only torch and reproduce the app's exported logits."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.cli.main import main
from workbench.data.datasets import Dataset, load_dataset, to_device
from workbench.data.images import ImageSet
from workbench.files.errors import ExportError
from workbench.files.export_code import export_code, render_model_code
from workbench.files.model_file import MODEL_SUFFIX, SavedModel, load_model, model_from_saved, save_model
from workbench.model import templates
from workbench.model.build import compute_logits
from workbench.model.catalog import CATALOG
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.training.config import TrainConfig
from workbench.training.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-4


def _l(type_name: str, **params) -> LayerSpec:
    return LayerSpec(type_name, params)


# Every catalog layer the templates do not use, with parameters away from their defaults, on 3-channel input.
REST = ModelSpec(
    (3, 16, 16),
    (
        _l("Conv2d", out_channels=6, kernel_size=3, padding=1, padding_mode="reflect"),
        _l("ReLU6"),
        _l("Conv2d", out_channels=6, kernel_size=(3, 1), padding="same", padding_mode="replicate", groups=3),
        _l("LeakyReLU", negative_slope=0.2),
        _l("Conv2d", out_channels=8, kernel_size=3, padding=2, dilation=2, padding_mode="circular", bias=False),
        _l("BatchNorm2d", momentum=None, eps=1e-3),
        _l("ELU", alpha=0.5),
        _l("Softmax", dim=1),  # kept in forward: only a trailing softmax is left out; torch's own default dim is None
        _l("AvgPool2d", kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        _l("GELU", approximate="tanh"),
        _l("Dropout2d", p=0.3),
        _l("Conv2d", out_channels=8, kernel_size=2, stride=(1, 2)),
        _l("Sigmoid"),
        _l("AvgPool2d", kernel_size=2, divisor_override=3),
        _l("Softplus", beta=2.0, threshold=10.0),
        _l("AdaptiveAvgPool2d", output_size=(2, 3)),
        _l("SiLU"),
        _l("Flatten"),
        _l("Linear", out_features=12, bias=False),
        _l("BatchNorm1d", affine=False),
        _l("Dropout", p=0.2),
        _l("Linear", out_features=5),
        _l("LogSoftmax"),
    ),
    "every-other-layer",
)


def _residual(*layers: LayerSpec, relu_after: bool = False) -> LayerSpec:
    return LayerSpec("Residual", {"relu_after": relu_after}, branches=(layers,))


def _concat(*branches: tuple[LayerSpec, ...]) -> LayerSpec:
    return LayerSpec("Concat", branches=branches)


# Every kind of block: Residual with and without a projection (with and without BatchNorm in it), relu_after,
# Concat with an empty branch, blocks inside blocks; a trailing Softmax left out of forward.
BLOCKS = ModelSpec(
    (3, 12, 12),
    (
        _l("Conv2d", out_channels=8, kernel_size=3, padding=1),
        _residual(  # no projection, BatchNorm inside
            _l("Conv2d", out_channels=8, kernel_size=3, padding=1, bias=False),
            _l("BatchNorm2d"),
            _l("ReLU"),
            _l("Conv2d", out_channels=8, kernel_size=3, padding=1),
            relu_after=True,
        ),
        _residual(_l("Conv2d", out_channels=16, kernel_size=3, stride=2, padding=1), _l("ReLU")),  # plain projection
        _residual(_l("Conv2d", out_channels=24, kernel_size=1, bias=False), _l("BatchNorm2d")),  # projection + BN
        _concat(
            (_l("Conv2d", out_channels=8, kernel_size=1),),
            (_residual(_residual(_l("Conv2d", out_channels=24, kernel_size=3, padding=1)), _l("ReLU")),),
            (),
            (_concat((_l("MaxPool2d", kernel_size=3, stride=1, padding=1),), ()),),
        ),
        _l("AdaptiveAvgPool2d", output_size=1),
        _l("Flatten"),
        _l("Linear", out_features=10),
        _l("Softmax"),
    ),
    "blocks",
)
BN_SOFTMAX = templates.template("mnist-bn").with_layers([*templates.template("mnist-bn").layers, _l("Softmax")])
CASES = {**templates.TEMPLATES, "mnist-bn-softmax": BN_SOFTMAX, "every-other-layer": REST, "blocks": BLOCKS}

# Runs in a fresh isolated interpreter: loads each exported model.py with workbench blocked from import,
# and writes its logits and probabilities beside the inputs.
RUNNER = """
import importlib.abc, importlib.util, sys
from pathlib import Path

class NoWorkbench(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "workbench":
            raise ImportError("model.py must not need workbench")

sys.meta_path.insert(0, NoWorkbench())
import torch

for i, folder in enumerate(map(Path, sys.argv[1:])):
    spec = importlib.util.spec_from_file_location(f"exported_{i}", folder / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    x = torch.load(folder.parent / "inputs.pt", weights_only=True)
    with torch.no_grad():
        out = {"logits": model(x), "probabilities": model.probabilities(x)}
    out["training"] = torch.tensor(model.training)
    torch.save(out, folder.parent / "outputs.pt")
assert "workbench" not in sys.modules, "model.py imported workbench"
sys.meta_path.pop(0)
try:
    import workbench
except ImportError:
    print("workbench: not importable")
else:
    print("workbench: importable")
"""


def random_dataset(shape: tuple[int, ...], classes: int = 10, train: int = 64, test: int = 50) -> Dataset:
    generator = torch.Generator().manual_seed(0)

    def images(count: int) -> ImageSet:
        pixels = torch.randint(0, 256, (count, *shape), dtype=torch.uint8, generator=generator)
        return ImageSet(pixels, torch.randint(0, classes, (count,), generator=generator))

    train_set = images(train)
    scaled = train_set.images.float() / 255
    channels = scaled.transpose(0, 1).flatten(1)
    return Dataset(
        name="noise",
        title="Noise",
        class_names=tuple(f"class {i}" for i in range(classes)),
        input_shape=shape,
        train=train_set,
        val=images(32),
        test=images(test),
        mean=tuple(channels.mean(1).tolist()),
        std=tuple(channels.std(1).tolist()),
    )


def train_briefly(spec: ModelSpec, dataset: Dataset) -> SavedModel:
    """Two batches: enough to move the weights and BatchNorm's running statistics off their defaults."""
    config = TrainConfig(epochs=1, device="cpu", threads=1, batch_size=32, seed=0)
    trainer = Trainer(spec, dataset, config)
    trainer.fit()
    return trainer.saved_model()


def app_logits(model_file: Path, images: ImageSet) -> torch.Tensor:
    """The logits the app exports: the saved file loaded back, inputs normalised as in training."""
    saved = load_model(model_file)
    x, _ = to_device(images, saved.mean, saved.std, "cpu")
    return compute_logits(model_from_saved(saved), x)


def run_isolated(folders: list[Path], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, *map(str, folders)], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def workbench_installed() -> bool:
    try:
        importlib.metadata.distribution("cnn-workbench")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Each case trained briefly, saved, exported with the CLI and run by model.py in one isolated interpreter."""
    root = tmp_path_factory.mktemp("export")
    results = {}
    for name, spec in CASES.items():
        case = root / name
        case.mkdir()
        dataset = random_dataset(spec.input, classes=5 if name == "every-other-layer" else 10)
        save_model(case / f"model{MODEL_SUFFIX}", train_briefly(spec, dataset))
        assert main(["export-code", str(case / f"model{MODEL_SUFFIX}"), "--out", str(case / "code")]) == 0
        torch.save(dataset.test.images.float() / 255, case / "inputs.pt")
        results[name] = (case, app_logits(case / f"model{MODEL_SUFFIX}", dataset.test))
    stdout = run_isolated([case / "code" for case, _ in results.values()], cwd=root)
    return results, stdout


@pytest.mark.parametrize("name", list(CASES))
def test_model_py_reproduces_the_apps_logits(exported, name):
    results, _ = exported
    case, expected = results[name]
    out = torch.load(case / "outputs.pt", weights_only=True)
    assert out["logits"].shape == expected.shape
    assert (out["logits"] - expected).abs().max().item() < TOLERANCE
    assert torch.allclose(out["probabilities"], torch.softmax(expected, 1), atol=1e-5)
    assert not out["training"].item()


def test_model_py_needs_only_torch(exported):
    _, stdout = exported
    if not workbench_installed():
        assert "workbench: not importable" in stdout


def test_the_cases_cover_every_catalog_layer():
    used = {layer.type for spec in CASES.values() for layer in spec.walk()}
    assert used == set(CATALOG)


def test_each_layer_is_one_explicit_line_with_its_shape_and_parameters():
    saved = SavedModel(
        templates.template("mnist-classic"), {}, tuple("0123456789"), (0.1307,), (0.3081,), dataset="mnist"
    )
    code = render_model_code(saved, source="run.cnnwb")
    assert "nn.Conv2d(1, 10, kernel_size=5),  # 1: 10x24x24, 260 params" in code
    assert "nn.MaxPool2d(kernel_size=2),  # 3: 10x12x12" in code
    assert "nn.Linear(320, 50),  # 8: 50, 16,050 params" in code
    assert "Trained on mnist" in code and "run.cnnwb" in code and "Classes, in output order" in code
    assert "MEAN = (0.1307,)" in code and "(N, 1, 28, 28)" in code
    compile(code, "model.py", "exec")


def test_names_from_the_model_file_cannot_break_the_code():
    hostile = ('"""', "\\", "new\nline", "it's", 'say "hi"', "\\N{bad}")
    spec = ModelSpec((1, 4, 4), (_l("Flatten"), _l("Linear", out_features=len(hostile))), 'n"""ame\\')
    saved = SavedModel(spec, {}, hostile, (0.5,), (0.25,), dataset='da"""ta\\')
    tree = ast.parse(render_model_code(saved, source='file"""\\x.cnnwb'))
    names = next(
        node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "CLASS_NAMES"
    )
    assert ast.literal_eval(names) == hostile


def test_weights_load_with_weights_only_under_the_modules_names(exported):
    results, _ = exported
    case, _ = results["mnist-bn"]
    state = torch.load(case / "code" / "weights.pt", weights_only=True)
    saved = load_model(case / f"model{MODEL_SUFFIX}")
    assert set(state) == {f"layers.{key}" for key in saved.state}
    assert all(torch.equal(state[f"layers.{key}"], value) for key, value in saved.state.items())


@pytest.mark.slow
def test_export_code_as_a_real_command_and_imported_as_the_user_would(exported, tmp_path):
    results, _ = exported
    case, expected = results["lenet5"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [sys.executable, "-m", "workbench", "export-code", str(case / f"model{MODEL_SUFFIX}")]
    done = subprocess.run([*command, "--out", str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "model.py" in done.stderr and "weights.pt" in done.stderr
    use = (
        "import sys, torch; sys.path.insert(0, '.'); from model import build_model; "
        f"x = torch.load({str(case / 'inputs.pt')!r}, weights_only=True); "
        "torch.save(build_model()(x).detach(), 'logits.pt'); "
        "assert 'workbench' not in sys.modules"
    )
    ran = subprocess.run(
        [sys.executable, "-I", "-c", use], cwd=tmp_path / "out", env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr
    logits = torch.load(tmp_path / "out" / "logits.pt", weights_only=True)
    assert (logits - expected).abs().max().item() < TOLERANCE


# ---------------------------------------------------------------- refusals


def one_error_line(capsys, *fragments: str) -> str:
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    for fragment in fragments:
        assert fragment in err
    return err


class Evil:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_a_hostile_model_file_is_refused_and_nothing_written(tmp_path, capsys):
    import pickle

    marker = tmp_path / "pwned"
    hostile = tmp_path / f"evil{MODEL_SUFFIX}"
    hostile.write_bytes(pickle.dumps(Evil(marker), protocol=4))
    assert main(["export-code", str(hostile), "--out", str(tmp_path / "out")]) == 2
    one_error_line(capsys, "pickle", "can run any code")
    assert not marker.exists() and not (tmp_path / "out").exists()


def test_a_missing_model_file_is_one_line(tmp_path, capsys):
    assert main(["export-code", str(tmp_path / f"nothing{MODEL_SUFFIX}"), "--out", str(tmp_path / "out")]) == 2
    one_error_line(capsys, "cannot open the file")
    assert not (tmp_path / "out").exists()


def test_an_existing_model_py_is_kept_unless_forced(exported, tmp_path, capsys):
    results, _ = exported
    model_file = str(results["mlp"][0] / f"model{MODEL_SUFFIX}")
    (tmp_path / "model.py").write_text("# mine\n")
    assert main(["export-code", model_file, "--out", str(tmp_path)]) == 2
    one_error_line(capsys, "already holds model.py", "--force")
    assert (tmp_path / "model.py").read_text() == "# mine\n" and not (tmp_path / "weights.pt").exists()
    assert main(["export-code", model_file, "--out", str(tmp_path), "--force"]) == 0
    assert "def build_model" in (tmp_path / "model.py").read_text()


def test_an_unwritable_folder_is_one_line(exported, tmp_path, capsys):
    results, _ = exported
    model_file = str(results["mlp"][0] / f"model{MODEL_SUFFIX}")
    (tmp_path / "a-file").write_text("")
    assert main(["export-code", model_file, "--out", str(tmp_path / "a-file")]) == 2
    one_error_line(capsys, "is a file, not a folder")
    assert main(["export-code", model_file, "--out", str(tmp_path / "a-file" / "sub")]) == 2
    one_error_line(capsys, "cannot write to", "choose a folder you can write to")


def test_weights_that_do_not_fit_are_an_export_error(tmp_path):
    spec = templates.template("mlp")
    with pytest.raises(ExportError, match="layer 2 Linear"):
        export_code(SavedModel(spec, {"1.weight": torch.zeros(3, 3)}), tmp_path / "out")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- real MNIST


@pytest.mark.slow
@pytest.mark.mnist
def test_real_mnist_logits_match_the_cli_export(tmp_path):
    root = os.environ.get("WORKBENCH_DATA_DIR")
    if not root or not (Path(root) / "MNIST" / "raw" / "t10k-images-idx3-ubyte").is_file():
        pytest.skip("set WORKBENCH_DATA_DIR to a folder with MNIST/raw/ to run this")
    spec_file = tmp_path / "m.json"
    spec_file.write_text(templates.template("mnist-classic").dumps())
    train = ["train", str(spec_file), "--dataset", "mnist", "--limit", "1000"]
    assert main([*train, "--batch-size", "64", "--out", str(tmp_path / "run")]) == 0
    model_file = str(tmp_path / "run" / f"model{MODEL_SUFFIX}")
    assert main(["export-logits", model_file, "--split", "test", "--out", str(tmp_path / "logits.npy")]) == 0
    assert main(["export-code", model_file, "--out", str(tmp_path / "code")]) == 0
    test = load_dataset("mnist", val_fraction=0, download=False).test
    torch.save(test.images.float() / 255, tmp_path / "inputs.pt")
    run_isolated([tmp_path / "code"], cwd=tmp_path)
    logits = torch.load(tmp_path / "outputs.pt", weights_only=True)["logits"].numpy()
    table = np.load(tmp_path / "logits.npy", allow_pickle=False)
    assert logits.shape == (10_000, 10)
    assert np.abs(logits - table["logits"]).max() < TOLERANCE
    assert (logits.argmax(1) == table["predicted"]).all()


def test_a_calibrated_models_code_carries_its_temperature(digits_model, tmp_path):
    """model.py's probabilities are the app's: softmax(logits / TEMPERATURE); its logits stay raw."""
    from dataclasses import replace

    from workbench.insight.classify import Classifier

    saved = replace(digits_model[1], calibration={"temperature": 0.5, "ece_before": 0.08, "ece_after": 0.01})
    export_code(saved, tmp_path / "code")
    text = (tmp_path / "code" / "model.py").read_text(encoding="utf-8")
    assert "TEMPERATURE = 0.5  #" in text and "8.00% before, 1.00% after" in text
    spec = importlib.util.spec_from_file_location("calibrated_model", tmp_path / "code" / "model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    images = load_dataset("digits").test.images[:8].float() / 255
    classifier = Classifier.from_saved(saved, "calibrated")
    with torch.no_grad():
        assert np.allclose(model(images).double().numpy(), classifier.batch_logits(images), atol=1e-5)
        probabilities = model.probabilities(images).double().numpy()
    assert np.allclose(probabilities, classifier.batch_probabilities(images), atol=1e-5)
