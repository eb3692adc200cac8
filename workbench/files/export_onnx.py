"""Export a saved model to ONNX, for runtimes without Python or PyTorch.

The graph takes images scaled to [0, 1] ("images", shape (batch, …), the batch size free) and
returns the logits ("logits"), the same as `model.py` from `workbench.files.export_code` and the app's
logits export: the training normalisation is the first step inside the graph and a trailing
Softmax/LogSoftmax is left out. It needs the optional packages onnx and onnxscript (torch's
exporter uses them); without them the error says how to install them.

Before the file is written the graph is run by the runtime that will run it, onnxruntime (onnx's reference
evaluator where onnxruntime is not installed), on real images of the model's dataset when they are at hand,
and refused when any logit differs from PyTorch's by more than 1e-4. What the app adds to a model's logits
rides beside the graph in its metadata: the calibration temperature (probabilities are
softmax(logits / temperature)), the class names and the normalisation.
"""

from __future__ import annotations

import importlib
import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from workbench.files.errors import ExportError, ModelFileError
from workbench.files.model_file import SavedModel, model_from_saved
from workbench.model import tree
from workbench.model.build import logits_model
from workbench.system import atomic_file

__all__ = ["MISSING_ONNX", "Normalize", "OnnxExport", "export_onnx", "require_onnx", "standalone_model"]

MISSING_ONNX = "ONNX export needs the optional onnx packages: pip install 'cnn-workbench[onnx]'"
OPSET = 18
VERIFY_TOLERANCE = 1e-4
CHECK_IMAGES = 256  # real images the graph is checked on, at most


@dataclass(frozen=True)
class OnnxExport:
    """What was written and how it was checked: by `runtime` on `images` real images (0: random ones only),
    the largest difference from PyTorch's logits."""

    path: Path
    runtime: str
    images: int
    difference: float

    def line(self) -> str:
        checked = f"{self.images} real images" if self.images else "random images (no dataset at hand)"
        return f"wrote {self.path} (checked with {self.runtime} on {checked}: logits within {self.difference:.1e})"


class Normalize(nn.Module):
    """(x - mean) / std per channel, on inputs scaled to [0, 1]."""

    def __init__(self, mean: tuple[float, ...], std: tuple[float, ...], rank: int) -> None:
        super().__init__()
        view = (1, -1) + (1,) * (rank - 1)  # channels second: (1, C, 1, 1) for images, (1, F) for vectors
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(view), persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(view), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


class _Standalone(nn.Module):
    def __init__(self, normalize: nn.Module, layers: nn.Module) -> None:
        super().__init__()
        self.normalize = normalize
        self.layers = layers

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(self.normalize(x)).flatten(1)  # compute_logits flattens too


def standalone_model(saved: SavedModel) -> nn.Module:
    """Images in [0, 1] → logits: the normalisation, then the network without a trailing softmax; eval mode."""
    try:
        layers = logits_model(model_from_saved(saved))
    except ModelFileError as exc:
        raise ExportError(f"cannot export: {exc}") from None
    rank = len(saved.spec.input)
    normalize = Normalize(saved.mean, saved.std, rank) if saved.mean else nn.Identity()
    return _Standalone(normalize, layers).eval()


def export_onnx(saved: SavedModel, path: str | os.PathLike, images: torch.Tensor | None = None) -> OnnxExport:
    """Write the model as an ONNX file (atomically) with a dynamic batch dimension, after checking it in the
    runtime on `images` (real images of its dataset in [0, 1], (N, C, H, W); the first 256 are used) and random
    ones; ExportError otherwise."""
    path = Path(path)
    if path.suffix.lower() != ".onnx":
        raise ExportError(f"{path.name}: an ONNX model is written as FILE.onnx, not {path.suffix or 'no extension'}")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"folder {folder} does not exist; choose an existing folder")
    onnx = require_onnx()
    _refuse_unsupported(saved)
    model = standalone_model(saved)
    proto = _onnx_proto(model, saved.spec.input)
    _describe(onnx, proto, saved)
    real = None if images is None or not len(images) else images[:CHECK_IMAGES].float()
    runtime, difference = _verify(onnx, proto, model, saved.spec.input, real)
    try:
        with atomic_file(path) as handle:
            onnx.save_model(proto, handle)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}; choose a folder you can write to") from None
    return OnnxExport(path, runtime, 0 if real is None else len(real), difference)


def _describe(onnx, proto, saved: SavedModel) -> None:
    """The calibration temperature, class names and normalisation, as the graph's metadata (text values)."""
    values = {
        "temperature": repr(saved.temperature),
        "class_names": json.dumps(list(saved.class_names)),
        "mean": json.dumps(list(saved.mean)),
        "std": json.dumps(list(saved.std)),
        "input": "images in [0, 1], (batch, " + ", ".join(map(str, saved.spec.input)) + ")",
        "output": "logits; probabilities are softmax(logits / temperature)",
    }
    onnx.helper.set_model_props(proto, values)


def require_onnx():
    """The onnx module, or ExportError saying how to install the exporter's packages."""
    try:
        importlib.import_module("onnxscript")
        return importlib.import_module("onnx")
    except ImportError:
        raise ExportError(MISSING_ONNX) from None


def _refuse_unsupported(saved: SavedModel) -> None:
    """Layers torch's exporter gets wrong without an error, inside blocks too: refuse them rather than write a
    wrong graph."""
    for path, layer in tree.walk(saved.spec):
        if layer.type == "AvgPool2d" and layer.resolved()["divisor_override"] is not None:
            raise ExportError(
                f"{tree.where(saved.spec, path)}: divisor_override is not exported correctly to ONNX (torch's exporter "
                "ignores it); use export-code instead, or remove divisor_override and retrain"
            )


def _verify(onnx, proto, model: nn.Module, input_shape: tuple[int, ...], images: torch.Tensor | None):
    """Run the graph in the runtime on the real images and a random batch; refuse it if any logit differs from
    PyTorch's by more than VERIFY_TOLERANCE. Returns (the runtime in words, the largest difference)."""
    random = torch.rand(3, *input_shape, generator=torch.Generator().manual_seed(0))
    batches = [random] if images is None else [images, random]
    runtime, run = _runtime(onnx, proto)
    largest = 0.0
    for x in batches:
        with torch.no_grad():
            expected = model(x).numpy()
        try:
            got = run(x.numpy())
        except Exception as exc:
            raise ExportError(
                f"the exported ONNX graph does not run in {runtime} ({type(exc).__name__}: {_first_line(exc)})"
            ) from None
        difference = float(abs(got - expected).max()) if got.shape == expected.shape else float("inf")
        if not difference <= VERIFY_TOLERANCE:
            raise ExportError(
                f"the exported ONNX graph disagrees with the PyTorch model in {runtime} (largest logit difference "
                f"{difference:.3g}, allowed {VERIFY_TOLERANCE:g}); use export-code instead"
            )
        largest = max(largest, difference)
    return runtime, largest


def _runtime(onnx, proto):
    """(name, run(x) -> logits): onnxruntime on the CPU where it is installed, else onnx's reference evaluator."""
    try:
        import onnxruntime
    except ImportError:
        from onnx.reference import ReferenceEvaluator

        evaluator = ReferenceEvaluator(proto)
        return f"onnx's reference evaluator {onnx.__version__}", lambda x: evaluator.run(None, {"images": x})[0]
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # a check, beside whatever else runs
    options.log_severity_level = 3  # its own warnings are not the user's
    try:
        session = onnxruntime.InferenceSession(proto.SerializeToString(), options, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ExportError(
            f"onnxruntime cannot load the exported graph ({type(exc).__name__}: {_first_line(exc)})"
        ) from None
    return f"onnxruntime {onnxruntime.__version__}", lambda x: session.run(None, {"images": x})[0]


def _onnx_proto(model: nn.Module, input_shape: tuple[int, ...]):
    example = torch.rand(2, *input_shape)
    batch = torch.export.Dim("batch", min=1)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            program = torch.onnx.export(
                model,
                (example,),
                input_names=["images"],
                output_names=["logits"],
                dynamic_shapes=({0: batch},),
                opset_version=OPSET,
                dynamo=True,
                verbose=False,
            )
    except Exception as exc:  # the exporter's failures are many and deep; say which and stop
        raise ExportError(f"the ONNX exporter failed ({type(exc).__name__}: {_first_line(exc)})") from None
    return program.model_proto


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no details"
