"""The model spec: plain, immutable data describing a network, and its JSON form.

A spec stores only the parameters a person gave; the rest take torch's defaults (see
`LayerType.resolve`). That keeps hand-written files short and makes save → load → save exact.

    {"format": "cnn-workbench.model", "version": 1, "input": [1, 28, 28],
     "layers": [{"type": "Conv2d", "out_channels": 10, "kernel_size": 5}, {"type": "ReLU"}]}
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from workbench.messages import say
from workbench.model.catalog import CATALOG, CONCAT, RESIDUAL, LayerType
from workbench.model.params import ParamError, show, to_json_value
from workbench.model.vary import Domain, VaryError, param_domain, parse_domain
from workbench.text import bad_character, show_path

FORMAT = "cnn-workbench.model"
VERSION = 1
MAX_LAYERS = 512  # in all, the layers inside blocks counted
MAX_DEPTH = 8  # blocks inside blocks
MAX_BRANCHES = 16  # of a Concat block
MAX_INPUT_CHANNELS = 64
MAX_INPUT_SIZE = 4096
MAX_NAME = 200  # characters of a spec's name
MAX_SETTING_MARKS = 32
MAX_FILE = 16 * 1024 * 1024  # bytes of a spec file
MAX_DIGITS = 30  # of an integer in a spec; every bound is far below, and int() of over 4,300 digits raises


class SpecError(ValueError):
    """A spec file or value is malformed; the message names the offending entry."""


@dataclass(frozen=True)
class LayerSpec:
    type: str
    params: Mapping[str, Any] = field(default_factory=dict)
    vary: Mapping[str, Domain] = field(default_factory=dict)  # an experiment's marks: parameter → its values
    # a block's stacks: a Residual's one ("layers" in JSON), a Concat's branches; () for a plain layer
    branches: tuple[tuple[LayerSpec, ...], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "vary", MappingProxyType(dict(self.vary)))
        object.__setattr__(self, "branches", tuple(tuple(branch) for branch in self.branches))

    @property
    def layer_type(self) -> LayerType:
        return CATALOG[self.type]

    @property
    def is_block(self) -> bool:
        return self.type in (RESIDUAL, CONCAT)

    @property
    def layers(self) -> tuple[LayerSpec, ...]:
        """A Residual block's layers (its one stack)."""
        return self.branches[0] if self.branches else ()

    def with_branches(self, branches: Iterable[Iterable[LayerSpec]]) -> LayerSpec:
        return replace(self, branches=tuple(tuple(branch) for branch in branches))

    def walk(self) -> Iterable[LayerSpec]:
        """This layer and, for a block, every layer inside it, depth first in forward order."""
        yield self
        for branch in self.branches:
            for layer in branch:
                yield from layer.walk()

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
        return replace(self, params=params)

    def with_vary(self, name: str, domain: Domain | None) -> LayerSpec:
        """A copy with parameter `name` marked to vary over `domain` (None: the mark removed)."""
        marks = {key: value for key, value in self.vary.items() if key != name}
        if domain is not None:
            marks[name] = domain
        return replace(self, vary=marks)

    def without_marks(self) -> LayerSpec:
        branches = tuple(tuple(layer.without_marks() for layer in branch) for branch in self.branches)
        return LayerSpec(self.type, self.params, {}, branches)

    def to_json(self) -> dict[str, Any]:
        data = {"type": self.type, **{k: to_json_value(v) for k, v in self.params.items()}}
        if self.vary:
            data["vary"] = {name: domain.to_json() for name, domain in self.vary.items()}
        if self.type == RESIDUAL:
            data["layers"] = [layer.to_json() for layer in self.layers]
        elif self.type == CONCAT:
            data["branches"] = [[layer.to_json() for layer in branch] for branch in self.branches]
        return data


@dataclass(frozen=True)
class ModelSpec:
    input: tuple[int, ...]
    layers: tuple[LayerSpec, ...] = ()
    name: str = ""
    vary: Mapping[str, Domain] = field(default_factory=dict)  # an experiment's marks on training settings
    # the training settings the model is meant to be trained with (a template's recipe): `train SPEC` and the
    # window use them for every setting not given explicitly; checked against TrainConfig where they are used
    recommended: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "input", tuple(self.input))
        object.__setattr__(self, "layers", tuple(self.layers))
        object.__setattr__(self, "vary", MappingProxyType(dict(self.vary)))
        object.__setattr__(self, "recommended", MappingProxyType(dict(self.recommended)))

    @property
    def marked(self) -> bool:
        """Whether anything is marked to vary (a layer parameter or a training setting)."""
        return bool(self.vary) or any(layer.vary for layer in self.walk())

    def walk(self) -> Iterable[LayerSpec]:
        """Every layer, those inside blocks too, depth first in forward order (a block before its layers)."""
        for layer in self.layers:
            yield from layer.walk()

    def without_marks(self) -> ModelSpec:
        return replace(self, layers=tuple(layer.without_marks() for layer in self.layers), vary={})

    def with_setting_vary(self, name: str, domain: Domain | None) -> ModelSpec:
        marks = {key: value for key, value in self.vary.items() if key != name}
        if domain is not None:
            marks[name] = domain
        return replace(self, vary=marks)

    def with_layers(self, layers: Iterable[LayerSpec]) -> ModelSpec:
        return replace(self, layers=tuple(layers))

    def with_recommended(self, settings: Mapping[str, Any]) -> ModelSpec:
        return replace(self, recommended=_recommended(dict(settings)))

    def with_input(self, shape: Iterable[int]) -> ModelSpec:
        return replace(self, input=tuple(shape))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION}
        if self.name:
            data["name"] = self.name
        data["input"] = list(self.input)
        if self.vary:
            data["vary"] = {name: domain.to_json() for name, domain in self.vary.items()}
        if self.recommended:
            data["recommended"] = {name: _plain(value) for name, value in self.recommended.items()}
        data["layers"] = [layer.to_json() for layer in self.layers]
        return data

    def dumps(self) -> str:
        """Human-readable JSON, one layer per line (a block's layers indented under it)."""
        data = self.to_json()
        head = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items() if k != "layers"]
        return "{\n" + ",\n".join([*head, '  "layers": ' + _dump_stack(self.layers, 2)]) + "\n}\n"


def _dump_stack(layers: tuple[LayerSpec, ...], indent: int) -> str:
    if not layers:
        return "[]"
    pad = " " * (indent + 2)
    rows = ",\n".join(pad + _dump_layer(layer, indent + 2) for layer in layers)
    return f"[\n{rows}\n{' ' * indent}]"


def _dump_layer(layer: LayerSpec, indent: int) -> str:
    data = layer.to_json()
    if not layer.is_block:
        return json.dumps(data, ensure_ascii=False)
    data.pop("layers", None)
    data.pop("branches", None)
    head = json.dumps(data, ensure_ascii=False)[:-1]
    if layer.type == RESIDUAL:
        return f'{head}, "layers": {_dump_stack(layer.layers, indent)}}}'
    pad = " " * (indent + 2)
    branches = ",\n".join(pad + _dump_stack(branch, indent + 2) for branch in layer.branches)
    return f'{head}, "branches": [\n{branches}\n{" " * indent}]}}'


class _Budget:
    """How many layers a spec may still hold, counted across its blocks while it is read."""

    def __init__(self) -> None:
        self.left = MAX_LAYERS

    def take(self, count: int) -> None:
        self.left -= count
        if self.left < 0:
            raise SpecError(f"layers: more than the {MAX_LAYERS} layers supported in all (blocks' layers counted)")


def parse_layer(index: int, entry: Any, where: str = "", depth: int = 0, budget: _Budget | None = None) -> LayerSpec:
    """Validate one layer entry of a spec (index is 1-based, for messages; `where` locates its stack)."""
    where = f"{where}layer {index}"
    if not isinstance(entry, dict):
        raise SpecError(f'{where}: must be an object like {{"type": "ReLU"}}, not {type(entry).__name__}')
    type_name = entry.get("type")
    if not isinstance(type_name, str):
        raise SpecError(f'{where}: missing "type" (e.g. "Conv2d")')
    if type_name not in CATALOG:
        raise SpecError(f"{where}: unknown layer type {show(type_name)}; known types: {', '.join(CATALOG)}")
    layer = CATALOG[type_name]
    params: dict[str, Any] = {}
    stacks = _BLOCK_ENTRIES.get(type_name, ())
    for name, value in entry.items():
        if name in ("type", "vary", *stacks):
            continue
        if name not in layer.param_names:
            hint = f" ({name} is inferred from the previous layer)" if name == layer.derived else ""
            allowed = ", ".join(layer.param_names) or "none"
            raise SpecError(f"{where} {type_name}: unknown parameter {show(name)}{hint}; allowed: {allowed}")
        try:
            params[name] = layer.param(name).check(value)
        except ParamError as exc:
            raise SpecError(f"{where} {type_name}: {exc}") from None
    for param in layer.params:
        if param.required and param.name not in params:
            raise SpecError(f"{where} {type_name}: missing required parameter {param.name!r} ({param.help})")
    branches = _parse_branches(f"{where} {type_name}", entry, depth, budget or _Budget()) if stacks else ()
    return LayerSpec(type_name, params, _layer_marks(f"{where} {type_name}", layer, entry.get("vary", {})), branches)


_BLOCK_ENTRIES = {RESIDUAL: ("layers",), CONCAT: ("branches",)}


def _parse_branches(where: str, entry: dict, depth: int, budget: _Budget) -> tuple[tuple[LayerSpec, ...], ...]:
    """A block's stacks, checked for depth and size before anything inside is read (a hostile file may nest
    thousands deep or hold millions of layers)."""
    if depth >= MAX_DEPTH:
        raise SpecError(f"{where}: blocks nest at most {MAX_DEPTH} deep; move some layers out of the inner blocks")
    if entry["type"] == RESIDUAL:
        stacks = [entry.get("layers")]
        if not isinstance(stacks[0], list):
            raise SpecError(f'{where}: "layers" must be a list of layer objects (the block\'s f in x + f(x))')
    else:
        stacks = entry.get("branches")
        if not (isinstance(stacks, list) and stacks and all(isinstance(b, list) for b in stacks)):
            raise SpecError(f'{where}: "branches" must be a list of branches, each a list of layer objects')
        if len(stacks) > MAX_BRANCHES:
            raise SpecError(f"{where}: {len(stacks)} branches is more than the {MAX_BRANCHES} supported")
    for stack in stacks:
        budget.take(len(stack))
    parsed = []
    for number, stack in enumerate(stacks, start=1):
        inner = f"{where} › " + (f"branch {number} " if entry["type"] == CONCAT else "")
        parsed.append(tuple(parse_layer(i, item, inner, depth + 1, budget) for i, item in enumerate(stack, 1)))
    return tuple(parsed)


def _layer_marks(where: str, layer: LayerType, marks: Any) -> dict[str, Domain]:
    if not isinstance(marks, dict):
        raise SpecError(f'{where}: "vary" maps parameter names to domains, not {show(marks)}')
    parsed = {}
    for name, entry in marks.items():
        if name not in layer.param_names:
            allowed = ", ".join(layer.param_names) or "none"
            raise SpecError(f"{where}: vary names unknown parameter {show(name)}; allowed: {allowed}")
        try:
            parsed[name] = param_domain(layer.param(name), entry)
        except VaryError as exc:
            raise SpecError(f"{where}: vary {exc}") from None
    return parsed


def _setting_marks(marks: Any) -> dict[str, Domain]:
    """Marks on training settings: checked for form here; against the settings where a sweep reads them."""
    if not isinstance(marks, dict) or len(marks) > MAX_SETTING_MARKS:
        raise SpecError(f"vary: maps up to {MAX_SETTING_MARKS} training settings to domains, not {show(marks)}")
    parsed = {}
    for name, entry in marks.items():
        if not (isinstance(name, str) and name.isidentifier() and len(name) <= 40):
            raise SpecError(f"vary: {show(name)} is not the name of a training setting (e.g. lr, batch_size)")
        try:
            parsed[name] = parse_domain(name, entry, None)
        except VaryError as exc:
            raise SpecError(f"vary: {exc}") from None
    return parsed


def _recommended(settings: Any) -> dict[str, Any]:
    """Recommended training settings: checked for form here (names, plain values); against TrainConfig where a
    run takes them."""
    if not isinstance(settings, dict) or len(settings) > MAX_SETTING_MARKS:
        raise SpecError(
            f"recommended: maps up to {MAX_SETTING_MARKS} training settings to values, not {show(settings)}"
        )
    for name, value in settings.items():
        if not (isinstance(name, str) and name.isidentifier() and len(name) <= 40):
            raise SpecError(f"recommended: {show(name)} is not the name of a training setting (e.g. lr, batch_size)")
        items = value if isinstance(value, list) and len(value) <= 4 else [value]
        for item in items:
            number = isinstance(item, (int, float)) and not isinstance(item, bool)
            if number and not (math.isfinite(item) and abs(item) < 2**63):
                raise SpecError(f"recommended: {name} is {show(value)}, not a finite number")
            if not (number or item is None or isinstance(item, bool) or (isinstance(item, str) and len(item) <= 40)):
                raise SpecError(
                    f"recommended: {name} is {show(value)}, not a plain value (a number, text or true/false)"
                )
            if isinstance(item, str) and bad_character(item) is not None:
                raise SpecError(f"recommended: {name} holds {bad_character(item)}; use plain text")
    return settings


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def parse_input(value: Any) -> tuple[int, ...]:
    shape_ok = isinstance(value, list) and len(value) in (1, 3)
    if not shape_ok or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        raise SpecError("input: must be [channels, height, width] (e.g. [1, 28, 28]) or [features], positive integers")
    if len(value) == 3 and value[0] > MAX_INPUT_CHANNELS:
        raise SpecError(f"input: {show(value[0])} channels is more than the {MAX_INPUT_CHANNELS} supported")
    if len(value) == 1 and value[0] > MAX_INPUT_SIZE**2:
        raise SpecError(f"input: {show(value[0])} features is more than the {MAX_INPUT_SIZE**2:,} supported")
    if any(v > MAX_INPUT_SIZE for v in value[1:]):
        raise SpecError(f"input: {show(value)} is too large; height and width go up to {MAX_INPUT_SIZE}")
    return tuple(value)


def check_name(value: Any) -> str:
    """A spec's name: printable text of at most MAX_NAME characters, or SpecError.

    A name is printed by `summary`, written into JSON, zips and exported code, and shown in the window;
    rejecting what none of those can carry here means none of them has to cope with it."""
    if not isinstance(value, str):
        raise SpecError(f"name: must be text, not {show(value)}")
    if len(value) > MAX_NAME:
        raise SpecError(f"name: {len(value):,} characters is more than the {MAX_NAME} allowed; use a shorter name")
    bad = bad_character(value)
    if bad is not None:
        position, char = bad
        raise SpecError(
            f"name: character {position} is {char!a}, a control or invalid character; use printable text only"
        )
    return value


def from_json(data: Any) -> ModelSpec:
    """Validate a decoded JSON document and return the spec, or raise SpecError."""
    if not isinstance(data, dict):
        raise SpecError('a model spec must be a JSON object with "format", "version", "input" and "layers"')
    if data.get("format") != FORMAT:
        raise SpecError(f"format: expected {FORMAT!r}, found {show(data.get('format'))}; this is not a model spec")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SpecError(f"version: must be an integer, found {show(version)}")
    if version > VERSION:
        raise SpecError(
            f"version: the file is version {show(version)}, newer than this app (reads up to {VERSION}); "
            "update CNN Workbench"
        )
    if version < 1:
        raise SpecError(f"version: {show(version)} is not a valid version")
    unknown = set(data) - {"format", "version", "name", "input", "layers", "vary", "recommended"}
    if unknown:
        first = show(sorted(map(str, unknown))[0])
        allowed = "format, version, name, input, vary, recommended, layers"
        raise SpecError(f"unknown top-level entry {first}; allowed: {allowed}")
    name = check_name(data.get("name", ""))
    layers = data.get("layers")
    if not isinstance(layers, list):
        raise SpecError("layers: must be a list of layer objects")
    if len(layers) > MAX_LAYERS:
        raise SpecError(f"layers: {len(layers)} layers is more than the {MAX_LAYERS} supported")
    budget = _Budget()
    budget.take(len(layers))
    parsed = tuple(parse_layer(i, entry, "", 0, budget) for i, entry in enumerate(layers, start=1))
    marks = _setting_marks(data.get("vary", {}))
    return ModelSpec(parse_input(data.get("input")), parsed, name, marks, _recommended(data.get("recommended", {})))


def _parse_int(text: str) -> int:
    """json's integers, refusing the absurdly long (json.loads itself raises a bare ValueError past 4,300
    digits); the checks of each entry then say its range."""
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise SpecError(
            f"not a usable spec: it holds an integer of {len(text.lstrip('-')):,} digits; "
            f"numbers in a spec have at most {MAX_DIGITS}"
        )
    return int(text)


def loads(text: str) -> ModelSpec:
    """Parse and validate spec JSON. NaN and Infinity (which Python's json accepts) reach the checks of
    their entry, which refuse them by name; so do numbers like 1e400, which parse as infinity."""
    try:
        data = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise SpecError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise SpecError(
            f"not a usable spec: its JSON is nested too deeply; blocks nest at most {MAX_DEPTH} deep"
        ) from None
    return from_json(data)


def _read_regular(path: str, shown: str) -> str:
    """The text of the file at `path`, refusing anything but a regular file before reading: opening a FIFO
    blocks until a writer comes, and reading a device may never end. O_NONBLOCK makes the open itself
    return at once; fstat of the open file then decides (no race between a check and the open)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise SpecError(say("spec.folder" if stat.S_ISDIR(mode) else "spec.not_regular", path=shown))
    with open(fd, "rb") as handle:
        data = handle.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise SpecError(say("spec.too_large", path=shown))
    return data.decode("utf-8")


def load(path: str | os.PathLike) -> ModelSpec:
    shown = show_path(path)
    try:
        text = _read_regular(os.fspath(path), shown)
    except OSError as exc:
        raise SpecError(say("spec.cannot_read", path=shown, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise SpecError(say("spec.not_text", path=shown)) from None
    except ValueError as exc:  # os.open refuses a path with a NUL in it
        if isinstance(exc, SpecError):
            raise
        raise SpecError(say("spec.nul", path=shown)) from None
    return loads(text)
