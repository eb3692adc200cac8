"""What a model file or checkpoint holds, declared once: every field read from a file is checked here, on load
and before a save, and a refusal is one line naming the field's path ("train_config.seed must be a whole
number, not 'abc'; the file is damaged").

The declarations are TypedDicts checked by pydantic in strict mode (no text taken for a number, no 1 for true,
no 1.0 for a whole number). The archive (`files/archive.py`) has already turned the JSON into Python values and
tensors and refused what no file this app writes holds (markers, depth, huge numbers); the spec is parsed by
`model.spec.from_json`, whose messages name the layer and the parameter. What is checked against something
else (mean and std against the input's channels, weights against the architecture) is `model_file`'s.

Unknown keys: a newer app may save settings, history columns or data fields this one does not know. In
`train_config`, history rows and `data` they are kept when they hold plain values (text, true/false, null,
numbers, short lists of them) and refused otherwise; `TrainConfig.from_json` refuses an unknown setting when
such a run is resumed. In `extra` (a checkpoint's resume state) they are kept as they are; at the top of the
payload they are ignored.

`TrainSettings` mirrors `training.config.TrainConfig` (this room may not import training); a test fails when a
setting is added there and not here.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

import torch
from pydantic import ConfigDict, Field, InstanceOf, TypeAdapter, ValidationError, WrapValidator, with_config
from pydantic_core import ErrorDetails, PydanticCustomError
from typing_extensions import Required, TypedDict

from workbench.files.errors import ModelFileError
from workbench.model.params import show

__all__ = ["Calibrated", "HistoryRow", "Payload", "ResumeState", "Source", "TrainSettings", "check_payload"]

INT64 = 2**63
DAMAGED = "the file is damaged"
STRICT = ConfigDict(strict=True, arbitrary_types_allowed=True)

# ----- the kinds of value ------------------------------------------------------------------------------------

Whole = Annotated[int, Field(ge=-INT64, lt=INT64)]  # what an int64 holds: seeds, sizes, counts of settings
Count = Annotated[int, Field(ge=0, lt=INT64)]  # an epoch, a step
Finite = Annotated[float, Field(allow_inf_nan=False)]  # an int is taken too (strict mode allows it for a float)
Number = float  # NaN and infinities too: the loss of a run that diverged is kept
Tensor = InstanceOf[torch.Tensor]


def _plain(value: Any, handler: Any) -> Any:
    """One error for a value of an unknown key, not one per kind it might have been."""
    try:
        return handler(value)
    except ValidationError:
        raise PydanticCustomError("plain_value", "not a plain value") from None


def _float_only(value: Any, handler: Any) -> Any:
    """In a plain value, a float as it is: an int past int64 is refused, not taken for a float (strict mode
    takes ints where floats belong)."""
    if not isinstance(value, float):
        raise PydanticCustomError("float_type", "not a float")
    return handler(value)


Scalar = bool | str | Whole | Annotated[Finite, WrapValidator(_float_only)] | None
LooseScalar = bool | str | Whole | Annotated[Number, WrapValidator(_float_only)] | None
Plain = Annotated[Scalar | Annotated[list[Scalar], Field(max_length=8)], WrapValidator(_plain)]
LoosePlain = Annotated[LooseScalar | Annotated[list[LooseScalar], Field(max_length=8)], WrapValidator(_plain)]
SizePlain = Annotated[Scalar | Annotated[list[Whole], Field(max_length=4)], WrapValidator(_plain)]

# ----- the fields ----------------------------------------------------------------------------------------------


@with_config(STRICT)
class TrainSettings(TypedDict, total=False, extra_items=Plain):
    """The trainer's TrainConfig as saved (`TrainConfig.to_json`): its fields' types, not their ranges (a
    resumed run checks those); {} for a model saved before it was trained."""

    optimizer: str
    lr: Finite
    momentum: Finite
    nesterov: bool
    weight_decay: Finite
    batch_size: Whole
    epochs: Whole
    schedule: str
    step_size: Whole
    gamma: Finite
    label_smoothing: Finite
    seed: Whole
    device: str
    mixed_precision: bool
    threads: Whole
    augment: bool
    val_fraction: Finite
    channels_last: bool
    compile: bool
    target_accuracy: Finite | None
    time_budget: Finite | None
    patience: Whole
    checks_per_epoch: Whole


@with_config(STRICT)
class HistoryRow(TypedDict, total=False, extra_items=LoosePlain):
    """One epoch of the run, as the trainer appends it; rows from before `step` was kept lack it."""

    epoch: Count
    step: Count
    train_loss: Number | None
    train_accuracy: Finite | None
    val_loss: Number | None
    val_accuracy: Finite | None
    seconds: Finite | None
    images_per_second: Finite | None
    lr: Finite | None


@with_config(STRICT)
class Source(TypedDict, total=False, extra_items=SizePlain):
    """How the run's data was loaded (`Dataset.source`, the arguments of `load_dataset`); {} for older files."""

    name: str
    folder: str | None
    limit: Whole | None
    val_fraction: Finite
    seed: Whole
    image_size: Annotated[list[Whole], Field(max_length=4)] | None


@with_config(STRICT)
class Calibrated(TypedDict, total=False):
    """Temperature scaling fitted on a split (`calibrate`): probabilities are softmax(logits / temperature)
    wherever the model's are shown; its expected calibration error before and after, on that split."""

    temperature: Required[Annotated[float, Field(gt=0, allow_inf_nan=False)]]
    ece_before: Finite
    ece_after: Finite
    split: str
    images: Count


@with_config(STRICT)
class OptimizerState(TypedDict, extra_items=Any):
    """torch's `Optimizer.state_dict()`; what is inside is checked by `load_state_dict`."""

    state: dict[int, dict[str, Any]]
    param_groups: list[dict[str, Any]]


@with_config(STRICT)
class ResumeState(TypedDict, total=False, extra_items=Any):
    """A checkpoint's `extra`: what the trainer needs to go on exactly where it stopped (a model file's is {})."""

    optimizer: OptimizerState
    schedule: dict[str, Any]
    epoch: Count
    step: Count
    batch_in_epoch: Count
    epoch_shuffle_state: Tensor
    torch_rng: Tensor
    cuda_rng: Tensor
    scaler: dict[str, Any]


@with_config(STRICT)
class Payload(TypedDict, total=False):
    """The archive's payload. `spec` is parsed by `model.spec.from_json`."""

    spec: Any
    state: Required[dict[str, Tensor]]
    class_names: list[str]
    mean: list[Finite]
    std: list[Finite]
    dataset: str
    train_config: TrainSettings
    history: list[HistoryRow]
    extra: ResumeState
    data: Source
    calibration: Calibrated


@functools.cache
def _adapter() -> TypeAdapter:
    return TypeAdapter(Payload)


def check_payload(payload: dict[str, Any]) -> Payload:
    """The payload with every field checked: plain dicts and lists of the declared kinds (ints where whole
    numbers belong, floats where numbers do), tensors as they were. ModelFileError naming the first field
    that is wrong."""
    try:
        return _adapter().validate_python(payload)
    except ValidationError as exc:
        raise ModelFileError(message(exc.errors(include_url=False)[0])) from None


# ----- messages ----------------------------------------------------------------------------------------------

LISTS = {  # fields whose items are all one thing: the message says what the whole field must be
    "class_names": "a list of text",
    "mean": "a list of finite numbers",
    "std": "a list of finite numbers",
    "history": "a list of per-epoch objects",
}
WHOLE = {
    "train_config": "an object",
    "extra": "an object",
    "data": "an object",
    "calibration": "an object",
    "dataset": "text",
}
EXPECTED = {
    "int_type": "a whole number",
    "float_type": "a number",
    "finite_number": "a finite number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "an object",
    "list_type": "a list",
    "is_instance_of": "a tensor",
    "plain_value": "a plain value (text, a number, true/false, null or a short list of them)",
}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")


def message(error: ErrorDetails) -> str:
    """One line for the first thing wrong: the field's path, what belongs there and what the file holds."""
    loc, kind, found = error["loc"], error["type"], error.get("input")
    field = str(loc[0]) if loc else "payload"
    if field == "state":
        if len(loc) < 2 or kind == "invalid_key":
            return "the file holds no weights (state); it is damaged"
        return f"weights entry {show(loc[1])} is not a tensor; {DAMAGED}"
    if kind == "invalid_key":
        return f"{path(loc[:-1]) or 'the payload'} must be an object with text keys, not {show(loc[-1])}; {DAMAGED}"
    if field in LISTS and (field != "history" or len(loc) <= 2):
        where = f", not {_kind(found)}" if len(loc) == 1 else f" ({path(loc)} is {show(found)})"
        return f"{field} must be {LISTS[field]}{where}; {DAMAGED}"
    if len(loc) == 1 and field in WHOLE:
        return f"{field} must be {WHOLE[field]}, not {_kind(found)}; {DAMAGED}"
    if kind == "missing":
        return f"{path(loc)} is missing; {DAMAGED}"
    if loc[-1] == "[key]":  # a dict's key of the wrong kind (the optimizer's state is keyed by whole numbers)
        expected = _expected(kind, error.get("ctx") or {})
        return f"{path(loc[:-2])} has the key {show(found)} where each key must be {expected}; {DAMAGED}"
    return f"{path(loc)} must be {_expected(kind, error.get('ctx') or {})}, not {show(found)}; {DAMAGED}"


def path(loc: tuple) -> str:
    """("history", 2, "train_loss") -> "history[2].train_loss"; keys that are not plain names are quoted."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{show(part)}]"
    return text


def _expected(kind: str, ctx: dict) -> str:
    if kind in ("greater_than_equal", "less_than"):
        return "a whole number from 0" if ctx.get("ge") == 0 else "a whole number that fits in 64 bits"
    if kind == "greater_than":
        return f"a number above {ctx.get('gt'):g}"
    if kind == "too_long":
        return f"a list of at most {ctx.get('max_length')} items"
    return EXPECTED.get(kind, kind.replace("_", " "))


def _kind(value: Any) -> str:
    kinds = {list: "a list", dict: "an object", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)
