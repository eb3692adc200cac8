"""Export a saved model as standalone PyTorch code: `model.py` plus `weights.pt` beside it.

The user's side needs only torch. `model.py` spells every layer out as an explicit `torch.nn`
constructor (derived sizes filled in, one line per layer with its output shape and parameter count)
and applies the training normalisation itself, so it takes images scaled to [0, 1] as ToTensor gives
them. Its forward returns the same logits the app exports (`workbench.model.build.compute_logits`): a
trailing Softmax/LogSoftmax is left out, as `build.logits_model` does. Each block of the spec is a class of
its own above `Net` (`Residual2`: layer 2; `Concat3_2_1`: layer 1 of branch 2 of the Concat block at layer 3),
with the attribute names of `workbench.model.blocks` (`body`, `projection`, `branches`) and a forward that
reads as the block's formula.

`weights.pt` is a `torch.save`d state dict of plain tensors, so `torch.load(..., weights_only=True)`
reads it without unpickling any code. Its keys are the app's ("0.weight", "2.body.0.weight") under "layers.",
matching the `self.layers` Sequential of the generated module, whose indices are the app's.
"""

from __future__ import annotations

import inspect
import io
import os
from pathlib import Path

import torch
from torch import nn

import workbench
from workbench.files.errors import ExportError, ModelFileError
from workbench.files.model_file import SavedModel, check_state
from workbench.model.catalog import CONCAT, RESIDUAL
from workbench.model.shapes import LayerInfo, Projection, infer
from workbench.model.spec import LayerSpec, ModelSpec
from workbench.model.tree import Path as LayerPath
from workbench.model.tree import layer_at, where
from workbench.system import atomic_file
from workbench.text import count, printable, show_path

__all__ = ["CODE_FILE", "WEIGHTS_FILE", "export_code", "render_model_code", "weights_for_code"]

CODE_FILE = "model.py"
WEIGHTS_FILE = "weights.pt"
PREFIX = "layers."
OUTPUT_LAYERS = ("Softmax", "LogSoftmax")  # left out of forward, like build.logits_model
POSITIONAL = ("out_channels", "out_features")  # written after the derived size, as torch's signatures order them
MAX_LISTED_CLASSES = 20


def export_code(saved: SavedModel, out_dir: str | os.PathLike, *, force: bool = False, source: str = "") -> list[Path]:
    """Write `model.py` and `weights.pt` into `out_dir` (created if needed); returns the paths written.

    Refuses a folder that already holds either file unless `force`. `source` (a file name) is only
    mentioned in the header. Raises ExportError with a one-line message."""
    try:
        check_state(saved.spec, saved.state)  # names the layer that does not fit, before anything is written
    except ModelFileError as exc:
        raise ExportError(f"cannot export: {exc}") from None
    folder = Path(out_dir)
    code_path, weights_path = folder / CODE_FILE, folder / WEIGHTS_FILE
    _check_folder(folder, (code_path, weights_path), force)
    code = render_model_code(saved, source=source).encode("utf-8")
    weights = _weights_bytes(saved)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(weights_path, weights)
        _write(code_path, code)
    except OSError as exc:
        raise ExportError(
            f"cannot write to {folder}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    return [code_path, weights_path]


def _check_folder(folder: Path, paths: tuple[Path, ...], force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file, not a folder; choose a folder for {CODE_FILE} and {WEIGHTS_FILE}")
    existing = [path.name for path in paths if path.exists()]
    if existing and not force:
        raise ExportError(
            f"{folder} already holds {' and '.join(existing)}; choose another folder, or replace them (--force)"
        )


def _write(path: Path, data: bytes) -> None:
    with atomic_file(path) as handle:
        handle.write(data)


def weights_for_code(saved: SavedModel) -> dict[str, torch.Tensor]:
    """The state dict as the generated module names it: contiguous CPU copies, keys under "layers."."""
    return {PREFIX + key: value.detach().to("cpu").clone().contiguous() for key, value in saved.state.items()}


def _weights_bytes(saved: SavedModel) -> bytes:
    buffer = io.BytesIO()
    torch.save(weights_for_code(saved), buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- model.py


def render_model_code(saved: SavedModel, *, source: str = "") -> str:
    """The text of `model.py` for `saved` (deterministic: the same model gives the same text)."""
    spec = saved.spec
    inference = infer(spec)
    if inference.error is not None:
        raise ExportError(f"the model cannot be built: {inference.error.message}")
    kept = _logit_layers(spec)
    parts = [
        _header(saved, source, inference.layers[kept - 1].output if kept else spec.input) + "\n\n" + _constants(saved),
        _normalize_class(spec) if saved.mean else "",
        *_block_classes(spec, (), spec.layers, inference.layers),
        _net_class(saved, inference.layers, kept),
        _BUILD,
    ]
    return "\n\n\n".join(part for part in parts if part)


def _logit_layers(spec: ModelSpec) -> int:
    """How many layers forward keeps: all but a trailing run of Softmax/LogSoftmax."""
    end = len(spec.layers)
    while end > 0 and spec.layers[end - 1].type in OUTPUT_LAYERS:
        end -= 1
    return end


def _doc(text: object) -> str:
    """Text from the model file made safe inside a docstring: one line, no escapes, no closing quotes."""
    return " ".join(printable(str(text)).split()).replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _dims(shape: tuple[int, ...]) -> str:
    return ", ".join(str(dim) for dim in shape)


def _header(saved: SavedModel, source: str, output: tuple[int, ...]) -> str:
    spec = saved.spec
    title = _doc(spec.name or "model")
    origin = f" from {_doc(show_path(source))}" if source else ""
    lines = [f'"""{title}: a CNN exported by CNN Workbench {workbench.__version__}{origin}.', ""]
    lines += _training_lines(saved)
    lines += [
        "",
        f"Input: a float tensor of shape (N, {_dims(spec.input)}) with pixel values scaled to [0, 1], which is what",
        "torchvision.transforms.ToTensor() gives.",
    ]
    lines += _normalisation_lines(saved)
    lines += [
        "",
        f"Output: logits of shape (N, {_dims(output)}), the raw outputs of the last layer before softmax; these are",
        "exactly the logits CNN Workbench exports. For probabilities use model.probabilities(x), which is",
        "torch.softmax(logits / TEMPERATURE, dim=1).",
    ]
    lines += _temperature_lines(saved)
    if _logit_layers(spec) < len(spec.layers):
        lines.append("The model's final Softmax/LogSoftmax layer is therefore left out of forward().")
    lines += _USAGE.format(weights=WEIGHTS_FILE, dims=_dims(spec.input)).splitlines()
    return "\n".join(lines) + '\n"""\n' + _IMPORTS


def _training_lines(saved: SavedModel) -> list[str]:
    dataset = f"Trained on {_doc(saved.dataset)}" if saved.dataset else "The dataset it was trained on is not recorded"
    epochs = len(saved.history)
    trained = f"{dataset} for {count(epochs, 'epoch')}" if epochs else dataset
    last = saved.history[-1] if saved.history else {}
    accuracy = last.get("val_accuracy")
    if isinstance(accuracy, (int, float)):
        trained += f" (validation accuracy {100 * accuracy:.2f}%)"
    lines = [trained + "."]
    names = saved.class_names
    if names:
        shown = ", ".join(_doc(name) for name in names[:MAX_LISTED_CLASSES])
        more = f", … ({len(names)} in all)" if len(names) > MAX_LISTED_CLASSES else ""
        lines.append(f"Classes, in output order (CLASS_NAMES): {shown}{more}.")
    return lines


def _temperature_lines(saved: SavedModel) -> list[str]:
    record = saved.calibration
    if not record:
        return ["TEMPERATURE is 1: the model was not calibrated, so its probabilities are the plain softmax."]
    before, after = record.get("ece_before"), record.get("ece_after")
    figures = (
        f" (expected calibration error {100 * before:.2f}% before, {100 * after:.2f}% after)"
        if isinstance(before, float) and isinstance(after, float)
        else ""
    )
    return [
        f"TEMPERATURE ({saved.temperature:.6g}) was fitted on the validation split by temperature scaling{figures}:",
        "it changes how sure the probabilities say the model is, never which class it predicts.",
    ]


def _normalisation_lines(saved: SavedModel) -> list[str]:
    if not saved.mean:
        return ["The model file records no input normalisation, so forward() applies none."]
    return [
        "Do not normalise the images yourself: forward() first applies the normalisation used in training,",
        "(x - MEAN) / STD per channel.",
    ]


_IMPORTS = """
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn"""

_USAGE = """
Needs only PyTorch. The weights are read from {weights} beside this file with
torch.load(..., weights_only=True), so loading them runs no code:

    import torch
    from model import CLASS_NAMES, build_model

    model = build_model()
    with torch.no_grad():
        logits = model(images)  # images: (N, {dims}) in [0, 1]
    print([CLASS_NAMES[i] for i in logits.argmax(1)])"""


def _constants(saved: SavedModel) -> str:
    spec = saved.spec
    return "\n".join(
        [
            f"CLASS_NAMES = {tuple(saved.class_names)!r}",
            f"INPUT_SHAPE = {tuple(spec.input)!r}  # per image, without the batch dimension",
            f"MEAN = {tuple(saved.mean)!r}  # training normalisation per channel, on the [0, 1] scale",
            f"STD = {tuple(saved.std)!r}",
            f"TEMPERATURE = {saved.temperature!r}  # probabilities are softmax(logits / TEMPERATURE)",
            f"WEIGHTS_FILE = {WEIGHTS_FILE!r}",
        ]
    )


def _normalize_class(spec: ModelSpec) -> str:
    view = "(1, -1, 1, 1)" if len(spec.input) == 3 else "(1, -1)"
    return f'''class Normalize(nn.Module):
    """(x - mean) / std per channel: the normalisation the model was trained with."""

    def __init__(self, mean: tuple[float, ...], std: tuple[float, ...]) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view{view}, persistent=False)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view{view}, persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std'''


def _net_class(saved: SavedModel, infos: tuple[LayerInfo, ...], kept: int) -> str:
    spec = saved.spec
    rows = _stack_rows(spec, (), spec.layers, infos, 12)
    for index in range(kept, len(spec.layers)):
        left_out = _constructor(spec, (index,), spec.layers[index], infos[index])
        rows[index] = f"            # {left_out} (layer {index + 1}) is left out: forward returns logits"
    normalize = "Normalize(MEAN, STD)" if saved.mean else "nn.Identity()  # no normalisation recorded"
    output = infos[kept - 1].output if kept else spec.input
    flatten = ".flatten(1)" if len(output) > 1 else ""  # compute_logits flattens too
    return f'''class Net(nn.Module):
    """The layers as built in CNN Workbench; comments give each layer's output shape per image."""

    def __init__(self) -> None:
        super().__init__()
        self.normalize = {normalize}
        self.layers = {_sequential(rows, 8)}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits for a batch of images scaled to [0, 1]."""
        return self.layers(self.normalize(x)){flatten}

    def probabilities(self, x: torch.Tensor) -> torch.Tensor:
        """Class probabilities: softmax of the logits divided by TEMPERATURE (1 unless the model was calibrated)."""
        return torch.softmax(self(x) / TEMPERATURE, dim=1)'''


def _stack_rows(
    spec: ModelSpec, stack: LayerPath, layers: tuple[LayerSpec, ...], infos: tuple[LayerInfo, ...], indent: int
) -> list[str]:
    """One line per layer of a stack: its constructor (a block's class), its output shape and parameters."""
    pad = " " * indent
    return [
        f"{pad}{_constructor(spec, (*stack, index), layer, info)},  {_comment(info)}"
        for index, (layer, info) in enumerate(zip(layers, infos, strict=True))
    ]


def _sequential(rows: list[str], indent: int) -> str:
    """`nn.Sequential(...)` around `rows`, its closing parenthesis indented by `indent`."""
    if not rows:
        return "nn.Sequential()"
    return "nn.Sequential(\n" + "\n".join(rows) + "\n" + " " * indent + ")"


# ---------------------------------------------------------------- blocks: one class each


def _class_name(spec: ModelSpec, path: LayerPath) -> str:
    """`Residual2` for layer 2; inside a block, the layer's number is added (`Residual2_3`: layer 3 of the block
    at layer 2), after its branch's inside a Concat block (`Concat3_2_1`: layer 1 of branch 2 of layer 3).
    Unique within a spec: each block's type says how many numbers the next step takes."""
    numbers = [path[0] + 1]
    for depth in range(1, len(path), 2):
        if layer_at(spec, path[:depth]).type == CONCAT:
            numbers.append(path[depth] + 1)
        numbers.append(path[depth + 1] + 1)
    return layer_at(spec, path).type + "_".join(str(number) for number in numbers)


def _block_classes(
    spec: ModelSpec, stack: LayerPath, layers: tuple[LayerSpec, ...], infos: tuple[LayerInfo, ...]
) -> list[str]:
    """The classes of the blocks in a stack, each block's inner blocks before it (the order they are read in)."""
    classes: list[str] = []
    for index, (layer, info) in enumerate(zip(layers, infos, strict=True)):
        if not layer.is_block:
            continue
        path = (*stack, index)
        for branch, (inner, inner_infos) in enumerate(zip(layer.branches, info.branches, strict=True)):
            classes += _block_classes(spec, (*path, branch), inner, inner_infos)
        render = _residual_class if layer.type == RESIDUAL else _concat_class
        classes.append(render(spec, path, layer, info))
    return classes


def _block_head(spec: ModelSpec, path: LayerPath, info: LayerInfo, what: str) -> list[str]:
    shapes = f"{_shape(info.input)} -> {_shape(info.output)}"
    return [
        f"class {_class_name(spec, path)}(nn.Module):",
        f'    """{_doc(where(spec, path))}: {what}; {shapes}."""',
        "",
        "    def __init__(self) -> None:",
        "        super().__init__()",
    ]


def _residual_class(spec: ModelSpec, path: LayerPath, layer: LayerSpec, info: LayerInfo) -> str:
    """A Residual block: `self.body` (its layers) and `self.projection` where the sum needs one, named as
    `model.blocks.Residual` names them so the app's weights load as they are."""
    relu = bool(layer.resolved()["relu_after"])
    shortcut = "x" if info.projection is None else "self.projection(x)"
    added = "projection(x)" if info.projection else "x"
    what = f"out = relu(body(x) + {added})" if relu else f"out = body(x) + {added}"
    body = _stack_rows(spec, (*path, 0), layer.layers, info.branches[0], 12)
    lines = [*_block_head(spec, path, info, what), f"        self.body = {_sequential(body, 8)}"]
    if info.projection is not None:
        lines.append(f"        self.projection = {_projection(info.projection, info.output)}")
    lines += [
        "",
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
        f"        out = self.body(x) + {shortcut}",
        "        return torch.relu(out)" if relu else "        return out",
    ]
    return "\n".join(lines)


def _projection(projection: Projection, output: tuple[int, ...]) -> str:
    """The 1×1 convolution (and BatchNorm2d) that reshapes the input for the sum, as `model.build` makes it."""
    stride = projection.stride[0] if projection.stride[0] == projection.stride[1] else projection.stride
    args = [str(projection.in_channels), str(projection.out_channels), "kernel_size=1"]
    args += [f"stride={stride!r}"] if stride != 1 else []
    args += ["bias=False"] if projection.batch_norm else []
    rows = [f"            nn.Conv2d({', '.join(args)}),"]
    rows += [f"            nn.BatchNorm2d({projection.out_channels}),"] if projection.batch_norm else []
    note = f"  # 1x1: the input as {_shape(output)} for the sum, {projection.params:,} params"
    return "nn.Sequential(" + note + "\n" + "\n".join(rows) + "\n        )"


def _concat_class(spec: ModelSpec, path: LayerPath, layer: LayerSpec, info: LayerInfo) -> str:
    """A Concat block: `self.branches`, each branch an `nn.Sequential` (an empty one passes its input on)."""
    branches = []
    for number, (inner, infos) in enumerate(zip(layer.branches, info.branches, strict=True)):
        rows = _stack_rows(spec, (*path, number), inner, infos, 20)
        shape = _shape(infos[-1].output if infos else info.input)
        if rows:
            branches += [f"                nn.Sequential(  # branch {number + 1}: {shape}", *rows, "                ),"]
        else:
            branches.append(f"                nn.Sequential(),  # branch {number + 1}: {shape}, its input passed on")
    what = "its branches on one input, joined on the channel axis"
    lines = [
        *_block_head(spec, path, info, what),
        "        self.branches = nn.ModuleList(",
        "            [",
        *branches,
        "            ]",
        "        )",
        "",
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
        "        return torch.cat([branch(x) for branch in self.branches], dim=1)",
    ]
    return "\n".join(lines)


def _constructor(spec: ModelSpec, path: LayerPath, layer: LayerSpec, info: LayerInfo) -> str:
    """`nn.Conv2d(1, 10, kernel_size=5)`: derived size, output size, then what differs from torch's defaults;
    a block's class (`Residual2()`)."""
    if layer.is_block:
        return f"{_class_name(spec, path)}()"
    layer_type = layer.layer_type
    values = layer.resolved()
    args = [repr(info.input[0])] if layer_type.derived else []
    for param in layer_type.params:
        value = values[param.name]
        if param.name in POSITIONAL:
            args.append(repr(value))
        elif param.required or not _is_torch_default(layer.type, param.name, value):
            args.append(f"{param.name}={value!r}")
    return f"nn.{layer.type}({', '.join(args)})"


def _is_torch_default(type_name: str, name: str, value: object) -> bool:
    """Whether torch's own constructor default is `value`; the catalog's default can differ (Softmax's dim)."""
    parameter = inspect.signature(getattr(nn, type_name)).parameters.get(name)
    if parameter is None or parameter.default is inspect.Parameter.empty:
        return False
    default = parameter.default
    return type(default) is type(value) and default == value


def _shape(shape: tuple[int, ...]) -> str:
    return "x".join(str(dim) for dim in shape)


def _comment(info: LayerInfo) -> str:
    shape = _shape(info.output)
    params = f", {info.params:,} params" if info.params else ""
    return f"# {info.index}: {shape}{params}"


_BUILD = '''def build_model(weights_path: str | Path | None = None) -> Net:
    """The network with its trained weights, in eval mode (Dropout off, BatchNorm on its running statistics).

    weights_path defaults to the weights file beside this model.py."""
    path = Path(__file__).parent / WEIGHTS_FILE if weights_path is None else Path(weights_path)
    model = Net()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()
'''
