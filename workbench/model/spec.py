"""The model spec: plain, immutable data describing a network, and its JSON form.

A spec stores only the parameters a person gave; the rest take torch's defaults (see
`LayerType.resolve`). That keeps hand-written files short and makes save → load → save exact.

    {"format": "cnn-workbench.model", "version": 1, "input": [1, 28, 28],
     "layers": [{"type": "Conv2d", "out_channels": 10, "kernel_size": 5}, {"type": "ReLU"}]}
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from workbench.model.catalog import CATALOG, LayerType
from workbench.model.params import ParamError, to_json_value

FORMAT = "cnn-workbench.model"
VERSION = 1
MAX_LAYERS = 512
MAX_INPUT_CHANNELS = 64
MAX_INPUT_SIZE = 4096


class SpecError(ValueError):
    """A spec file or value is malformed; the message names the offending entry."""


@dataclass(frozen=True)
class LayerSpec:
    type: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def layer_type(self) -> LayerType:
        return CATALOG[self.type]

    def resolved(self) -> dict[str, Any]:
        return self.layer_type.resolve(dict(self.params))

    def with_params(self, **changes: Any) -> LayerSpec:
        """A copy with parameters changed; a value of None removes the parameter (back to default)
        unless None is a legal explicit value of that parameter."""
        params = dict(self.params)
        for name, value in changes.items():
            if value is None and not self.layer_type.param(name).nullable:
                params.pop(name, None)
            else:
                params[name] = value
        return LayerSpec(self.type, params)

    def to_json(self) -> dict[str, Any]:
        return {"type": self.type, **{k: to_json_value(v) for k, v in self.params.items()}}


@dataclass(frozen=True)
class ModelSpec:
    input: tuple[int, ...]
    layers: tuple[LayerSpec, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "input", tuple(self.input))
        object.__setattr__(self, "layers", tuple(self.layers))

    def with_layers(self, layers: Iterable[LayerSpec]) -> ModelSpec:
        return replace(self, layers=tuple(layers))

    def with_input(self, shape: Iterable[int]) -> ModelSpec:
        return replace(self, input=tuple(shape))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        if self.name:
            data["name"] = self.name
        data["input"] = list(self.input)
        data["layers"] = [layer.to_json() for layer in self.layers]
        return data

    def dumps(self) -> str:
        """Human-readable JSON, one layer per line."""
        data = self.to_json()
        head = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if k != "layers"]
        rows = ",\n".join("    " + json.dumps(layer.to_json(), ensure_ascii=False) for layer in self.layers)
        layers = f'  "layers": [\n{rows}\n  ]' if self.layers else '  "layers": []'
        return "{\n" + ",\n".join([*head, layers]) + "\n}\n"


def parse_layer(index: int, entry: Any) -> LayerSpec:
    """Validate one layer entry of a spec (index is 1-based, for messages)."""
    where = f"layer {index}"
    if not isinstance(entry, dict):
        raise SpecError(f'{where}: must be an object like {{"type": "ReLU"}}, not {type(entry).__name__}')
    type_name = entry.get("type")
    if not isinstance(type_name, str):
        raise SpecError(f'{where}: missing "type" (e.g. "Conv2d")')
    if type_name not in CATALOG:
        raise SpecError(f"{where}: unknown layer type {type_name!r}; known types: {', '.join(CATALOG)}")
    layer = CATALOG[type_name]
    params: dict[str, Any] = {}
    for name, value in entry.items():
        if name == "type":
            continue
        if name not in layer.param_names:
            hint = f" ({name} is inferred from the previous layer)" if name == layer.derived else ""
            allowed = ", ".join(layer.param_names) or "none"
            raise SpecError(f"{where} {type_name}: unknown parameter {name!r}{hint}; allowed: {allowed}")
        try:
            params[name] = layer.param(name).check(value)
        except ParamError as exc:
            raise SpecError(f"{where} {type_name}: {exc}") from None
    for param in layer.params:
        if param.required and param.name not in params:
            raise SpecError(f"{where} {type_name}: missing required parameter {param.name!r} ({param.help})")
    return LayerSpec(type_name, params)


def parse_input(value: Any) -> tuple[int, ...]:
    shape_ok = isinstance(value, list) and len(value) in (1, 3)
    if not shape_ok or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise SpecError("input: must be [channels, height, width] (e.g. [1, 28, 28]) or [features], positive integers")
    if len(value) == 3 and value[0] > MAX_INPUT_CHANNELS:
        raise SpecError(f"input: {value[0]} channels is more than the {MAX_INPUT_CHANNELS} supported")
    if any(v > MAX_INPUT_SIZE for v in value[1:]) or value[0] > MAX_INPUT_SIZE**2:
        raise SpecError(f"input: {value} is too large; height and width go up to {MAX_INPUT_SIZE}")
    return tuple(value)


def from_json(data: Any) -> ModelSpec:
    """Validate a decoded JSON document and return the spec, or raise SpecError."""
    if not isinstance(data, dict):
        raise SpecError('a model spec must be a JSON object with "format", "version", "input" and "layers"')
    if data.get("format") != FORMAT:
        raise SpecError(f"format: expected {FORMAT!r}, found {data.get('format')!r}; this is not a model spec")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SpecError(f"version: must be an integer, found {version!r}")
    if version > VERSION:
        raise SpecError(
            f"version: the file is version {version}, newer than this app (reads up to {VERSION}); update CNN Workbench"
        )
    if version < 1:
        raise SpecError(f"version: {version} is not a valid version")
    unknown = set(data) - {"format", "version", "name", "input", "layers"}
    if unknown:
        raise SpecError(
            f"unknown top-level entry {sorted(unknown)[0]!r}; allowed: format, version, name, input, layers"
        )
    name = data.get("name", "")
    if not isinstance(name, str):
        raise SpecError("name: must be text")
    layers = data.get("layers")
    if not isinstance(layers, list):
        raise SpecError("layers: must be a list of layer objects")
    if len(layers) > MAX_LAYERS:
        raise SpecError(f"layers: {len(layers)} layers is more than the {MAX_LAYERS} supported")
    parsed = tuple(parse_layer(i, entry) for i, entry in enumerate(layers, start=1))
    return ModelSpec(parse_input(data.get("input")), parsed, name)


def loads(text: str) -> ModelSpec:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    return from_json(data)


def load(path: str) -> ModelSpec:
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(16 * 1024 * 1024 + 1)
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SpecError(f"{path} is not a text file; a model spec is JSON") from None
    if len(text) > 16 * 1024 * 1024:
        raise SpecError(f"{path} is larger than 16 MB; a model spec is a small JSON file")
    return loads(text)
