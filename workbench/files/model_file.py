"""The model file (`.cnnwb`): a spec, its weights and what is needed to use and understand them.

Model files and training checkpoints are the same format (a `workbench.files.archive`, so opening one never
runs code from it); a checkpoint is saved with kind "checkpoint" and carries the trainer's resume state
(optimizer, scheduler, RNG…) in `extra`. Every field is checked on load against its declaration in
`files/schema.py` (a refusal names the field), and the weights are checked against the architecture so a
mismatch is reported by layer rather than as a torch traceback.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from workbench.files.archive import DEFAULT_MAX_BYTES, read_archive, write_archive
from workbench.files.errors import ModelFileError
from workbench.files.schema import check_payload
from workbench.messages import said_in, say
from workbench.model import tree
from workbench.model.build import build_model
from workbench.model.shapes import MAX_PARAM_BYTES
from workbench.model.spec import ModelSpec, SpecError, from_json
from workbench.text import count, printable

__all__ = [
    "CHECKPOINT_KIND",
    "KINDS",
    "MODEL_KIND",
    "MODEL_SUFFIX",
    "ModelFileError",
    "SavedModel",
    "check_state",
    "load_model",
    "model_from_saved",
    "save_model",
    "trained_model",
]

MODEL_SUFFIX = ".cnnwb"
MODEL_KIND = "model"
CHECKPOINT_KIND = "checkpoint"
KINDS = (MODEL_KIND, CHECKPOINT_KIND)
MISMATCH = "the weights do not belong to this architecture"
# A checkpoint holds the weights and the optimizer's state: up to two more copies of them (Adam's moments,
# RMSprop's average and momentum), so the largest model shape inference allows must still resume.
CHECKPOINT_MAX_BYTES = max(DEFAULT_MAX_BYTES, 3 * MAX_PARAM_BYTES + 512 * 1024**2)


@dataclass
class SavedModel:
    """What a model file holds. Loaded, each field holds the kinds declared in `files/schema.py` (train_config:
    TrainSettings, history: HistoryRow, extra: ResumeState, data: Source), so readers use the values as they are."""

    spec: ModelSpec
    state: dict[str, torch.Tensor]  # model.state_dict() on CPU
    class_names: tuple[str, ...] = ()
    mean: tuple[float, ...] = ()  # input normalisation used in training (per channel, [0, 1] scale)
    std: tuple[float, ...] = ()
    train_config: dict = field(default_factory=dict)  # plain JSON (the trainer's TrainConfig as a dict)
    history: list[dict] = field(default_factory=list)  # per-epoch rows: {"epoch": 1, "train_loss": ...}
    dataset: str = ""  # the dataset it was trained on, e.g. "mnist"
    extra: dict = field(default_factory=dict)  # JSON (+ tensors) for checkpoints: optimizer/scheduler/RNG state
    # how the run's data was loaded (dataset name, folder, limit, val_fraction, seed, image_size): see
    # Dataset.source; `train --resume` loads exactly that again. Empty for files from before it was kept
    data: dict = field(default_factory=dict)
    # temperature scaling fitted by `calibrate` (files/schema.py: Calibrated); {} when the model was not
    calibration: dict = field(default_factory=dict)

    @property
    def temperature(self) -> float:
        """What the logits are divided by before the softmax wherever probabilities are shown (1: none)."""
        return float(self.calibration.get("temperature", 1.0))


def trained_model(spec: ModelSpec, state: dict, dataset, config, history, extra: dict | None = None) -> SavedModel:
    """What a training run keeps: its weights with the data's classes and normalisation (`dataset` is a
    workbench.data.datasets.Dataset, `config` a TrainConfig). Used by the trainer and by the window's copy
    of a run."""
    return SavedModel(
        spec=spec,
        state=state,
        class_names=tuple(dataset.class_names),
        mean=tuple(dataset.mean),
        std=tuple(dataset.std),
        train_config=config.to_json(),
        history=list(history),
        dataset=dataset.name,
        extra=extra or {},
        data=_source(dataset),
    )


def _source(dataset) -> dict:
    """How the dataset was loaded (its `source`, a dict), copied; {} for datasets that do not say."""
    source = getattr(dataset, "source", None)
    return dict(source) if isinstance(source, dict) else {}


def save_model(path: str | os.PathLike, saved: SavedModel, *, kind: str = MODEL_KIND) -> None:
    """Write atomically. The same checks as `load_model` run first, so a file that saves also loads."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    payload = _to_payload(saved)
    try:
        checked = _from_payload(payload)
        check_state(checked.spec, checked.state)
    except ModelFileError as exc:
        raise ModelFileError(say("file.cannot_save", error=said_in(exc) or str(exc))) from None
    write_archive(path, kind, payload)


def load_model(path: str | os.PathLike, *, kind: str = MODEL_KIND, max_bytes: int | None = None) -> SavedModel:
    """Read and validate a model file (or, with kind="checkpoint", a checkpoint); ModelFileError otherwise.
    `max_bytes` caps what the file may unpack to (default: DEFAULT_MAX_BYTES, CHECKPOINT_MAX_BYTES for checkpoints)."""
    if max_bytes is None:
        max_bytes = CHECKPOINT_MAX_BYTES if kind == CHECKPOINT_KIND else DEFAULT_MAX_BYTES
    payload = read_archive(path, kind, max_bytes=max_bytes)
    try:
        saved = _from_payload(payload)
        check_state(saved.spec, saved.state)
    except ModelFileError as exc:
        problem = said_in(exc) or str(exc)
        raise ModelFileError(say("file.problem", name=Path(path).name, problem=problem)) from None
    return saved


def model_from_saved(saved: SavedModel) -> torch.nn.Sequential:
    """The network with the saved weights, in eval mode."""
    check_state(saved.spec, saved.state)
    model = build_model(saved.spec)
    model.load_state_dict(saved.state, strict=True)
    return model.eval()


# ---------------------------------------------------------------- payload <-> SavedModel


def _to_payload(saved: SavedModel) -> dict[str, Any]:
    return {
        "spec": saved.spec.to_json(),
        "state": dict(saved.state),
        "class_names": list(saved.class_names),
        "mean": [_plain(v) for v in saved.mean],
        "std": [_plain(v) for v in saved.std],
        "dataset": saved.dataset,
        "train_config": saved.train_config,
        "history": saved.history,
        "extra": saved.extra,
        "data": saved.data,
        **({"calibration": saved.calibration} if saved.calibration else {}),
    }


def _plain(value: Any) -> Any:
    """numpy/torch scalars (a dataset's mean may be float32) as Python floats; anything else is left to validation."""
    is_number = isinstance(value, numbers.Real) or (isinstance(value, torch.Tensor) and value.numel() == 1)
    return float(value) if is_number and not isinstance(value, bool) else value


def _from_payload(payload: dict[str, Any]) -> SavedModel:
    """Every field checked by its declaration in `files/schema.py`; then what is checked against something
    else: the normalisation against the model's input."""
    spec = _spec(payload.get("spec"))
    checked = check_payload(payload)
    mean = _normalisation("mean", checked.get("mean", []), spec)
    std = _normalisation("std", checked.get("std", []), spec)
    if len(mean) != len(std):
        raise ModelFileError(
            f"mean has {count(len(mean), 'value')} but std has {count(len(std), 'value')}; the file is damaged"
        )
    if any(value <= 0 for value in std):
        raise ModelFileError("std values must be above 0; the file is damaged")
    return SavedModel(
        spec=spec,
        state=checked["state"],
        class_names=tuple(printable(name) for name in checked.get("class_names", [])),  # shown, printed, in code
        mean=mean,
        std=std,
        train_config=dict(checked.get("train_config", {})),
        history=[dict(row) for row in checked.get("history", [])],
        dataset=printable(checked.get("dataset", "")),
        extra=dict(checked.get("extra", {})),
        data=dict(checked.get("data", {})),
        calibration=dict(checked.get("calibration", {})),
    )


def _spec(data: Any) -> ModelSpec:
    if data is None:
        raise ModelFileError(say("file.no_spec"))
    try:
        return from_json(data)
    except SpecError as exc:
        raise ModelFileError(say("file.bad_spec", error=str(exc))) from None


def _normalisation(name: str, values: list[float], spec: ModelSpec) -> tuple[float, ...]:
    """Per-channel normalisation: one value per input channel (for a [features] input, 1 or one per feature)."""
    allowed = {spec.input[0]} if len(spec.input) == 3 else {1, spec.input[0]}
    if values and len(values) not in allowed:
        raise ModelFileError(
            f"{name} has {len(values)} values but the model's input has {count(spec.input[0], 'channel')}; "
            "the file is damaged"
        )
    return tuple(float(value) for value in values)  # a whole number is taken for a float: kept as one


# ---------------------------------------------------------------- weights against architecture


def check_state(spec: ModelSpec, state: dict[str, torch.Tensor]) -> None:
    """Refuse weights that do not fit the spec, naming the first layer that does not fit (inside a block, by
    where it sits: "layer 3 Residual › layer 1 Conv2d: weight is …")."""
    expected = _expected_state(spec)
    missing = [key for key in expected if key not in state]
    for key, want in expected.items():
        if key in missing:
            more = f" ({len(missing)} entries missing in all)" if len(missing) > 1 else ""
            where, param = _locate(spec, key)
            raise ModelFileError(f"{where}: {param} is missing from the file{more}; {MISMATCH}")
        _check_tensor(spec, key, state[key], want)
    unexpected = [key for key in state if key not in expected]
    if unexpected:
        more = f" ({len(unexpected)} such entries)" if len(unexpected) > 1 else ""
        where, param = _locate(spec, unexpected[0])
        raise ModelFileError(f"{where}: the file has {param!r}, which the model does not have{more}; {MISMATCH}")


def _expected_state(spec: ModelSpec) -> dict[str, torch.Tensor]:
    """The state_dict the spec's model would have, built on the meta device (no memory, no init)."""
    try:
        with torch.device("meta"):
            return build_model(spec).state_dict()
    except ValueError as exc:  # BuildError: shape inference names the layer
        raise ModelFileError(f"the model cannot be built: {exc}") from None
    except Exception as exc:  # a torch constructor refusing a combination the catalog allowed
        raise ModelFileError(f"the model cannot be built ({type(exc).__name__}: {exc})") from None


def _check_tensor(spec: ModelSpec, key: str, got: torch.Tensor, want: torch.Tensor) -> None:
    problem = None
    if got.shape != want.shape:
        problem = f"is {_shape(got.shape)} in the file but the model needs {_shape(want.shape)}"
    elif want.is_floating_point() and not got.is_floating_point():
        problem = f"is {got.dtype} in the file but must be floating point"
    elif not want.is_floating_point() and (got.is_floating_point() or got.is_complex() or got.dtype == torch.bool):
        problem = f"is {got.dtype} in the file but must be an integer"
    if problem is not None:
        where, param = _locate(spec, key)
        raise ModelFileError(f"{where}: {param} {problem}; {MISMATCH}")


def _locate(spec: ModelSpec, key: str) -> tuple[str, str]:
    """The layer a state-dict key belongs to, in words, and the key's rest: "3.weight" -> ("layer 4 Conv2d",
    "weight"); "2.body.0.weight" -> ("layer 3 Residual › layer 1 Conv2d", "weight") (the built model's names,
    `model.tree.module_name`); a key naming no layer, by what it names."""
    prefix, _, rest = key.partition(".")
    if not prefix.isdigit() or not rest:
        return f"entry {key!r}", key
    if int(prefix) >= len(spec.layers):
        nested = any(layer.is_block for layer in spec.layers)
        layers = count(len(spec.layers), "layer") + (" at its top level" if nested else "")
        return f"layer {int(prefix) + 1} (the model has {layers})", rest
    paths = {tree.module_name(spec, path): path for path, _ in tree.walk(spec)}
    parts = key.split(".")
    for end in range(len(parts) - 1, 1, -1):  # the deepest layer inside a block whose name starts the key
        path = paths.get(".".join(parts[:end]))
        if path is not None:
            return tree.where(spec, path), ".".join(parts[end:])
    return tree.where(spec, (int(prefix),)), rest


def _shape(shape: torch.Size) -> str:
    return "×".join(str(dim) for dim in shape) if len(shape) else "a single number"
