"""The one catalog of layer types.

Each entry names a torch.nn class, its parameters (exactly torch's names and defaults), its group in
the palette and its shape rule. Its texts, a one-line tooltip, a paragraph for learners and a help
line per parameter, are Markdown files in resources/help/ (`layers/<Type>.md`, and `parameters.md`
for help several layers share; format in `workbench.model.helptext`), read here at import: a layer
or parameter without its text fails the import, naming the file. The palette, the inspector form,
spec validation, shape inference, model building and code export all read this; none keeps its own
list.

Left out on purpose: `inplace` (an in-place activation overwrites the previous layer's output, which
the feature-map probe needs to show), `return_indices` (changes the output type) and device/dtype.
Derived sizes (in_channels, in_features, num_features) are never parameters: they are inferred.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import resources
from workbench.model import helptext
from workbench.model import shape_rules as rules
from workbench.model.params import Kind, Param

GROUPS = (
    "Convolution",
    "Normalization",
    "Activation",
    "Pooling",
    "Regularization",
    "Reshape",
    "Dense",
    "Output",
    "Blocks",
)

# Blocks: a row of the stack that holds stacks of its own (`LayerSpec.branches`). Shape inference, building and
# export treat them by name (model/blocks.py, model/shapes.py); their catalog entries give the palette, the
# inspector and the help their texts and parameters.
RESIDUAL = "Residual"
CONCAT = "Concat"
BLOCKS = (RESIDUAL, CONCAT)


@dataclass(frozen=True)
class LayerType:
    name: str
    group: str
    params: tuple[Param, ...]
    tooltip: str
    explain: str
    rule: Callable[[rules.Shape, dict[str, Any]], rules.LayerShape]
    derived: str | None = None  # which torch argument is inferred from the input shape

    @property
    def block(self) -> bool:
        """Whether this is a block (Residual, Concat): a row whose layers are stacks of their own."""
        return self.name in BLOCKS

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def resolve(self, given: dict[str, Any]) -> dict[str, Any]:
        """All parameters: the given ones, torch's defaults for the rest."""
        return {p.name: given.get(p.name, p.default) for p in self.params}


SIZE = 4096  # upper bound for channel and feature counts
SPATIAL = 255  # upper bound for kernel sizes, strides, paddings

# Help shared by several layer types (help/parameters.md), by layer type.
_SHARED_HELP = helptext.shared_params(helptext.load("parameters.md"))


def _layer(
    name: str,
    group: str,
    params: tuple[Param, ...],
    rule: Callable[[rules.Shape, dict[str, Any]], rules.LayerShape],
    derived: str | None = None,
) -> LayerType:
    """The layer type with its texts from help/layers/<name>.md (and help/parameters.md)."""
    doc = helptext.load("layers", f"{name}.md")
    texts = helptext.layer_help(doc, name, [p.name for p in params], _SHARED_HELP.get(name, {}))
    with_help = tuple(replace(param, help=texts.params[param.name]) for param in params)
    return LayerType(name, group, with_help, texts.tooltip, texts.explain, rule, derived)


def _kernel(required: bool = True) -> Param:
    return Param("kernel_size", Kind.PAIR, None, minimum=1, maximum=SPATIAL, required=required)


def _stride(default: Any = 1, nullable: bool = False) -> Param:
    return Param("stride", Kind.PAIR, default, minimum=1, maximum=SPATIAL, nullable=nullable)


def _dilation() -> Param:
    return Param("dilation", Kind.PAIR, 1, minimum=1, maximum=64)


def _pool_padding() -> Param:
    return Param("padding", Kind.PAIR, 0, minimum=0, maximum=SPATIAL)


def _ceil_mode() -> Param:
    return Param("ceil_mode", Kind.BOOL, False)


def _bias() -> Param:
    return Param("bias", Kind.BOOL, True)


def _bn_params() -> tuple[Param, ...]:
    return (
        Param("eps", Kind.FLOAT, 1e-5, minimum=1e-12, maximum=1.0),
        Param("momentum", Kind.FLOAT, 0.1, minimum=0.0, maximum=1.0, nullable=True),
        Param("affine", Kind.BOOL, True),
        Param("track_running_stats", Kind.BOOL, True),
    )


def _dim(default: int = 1) -> Param:
    return Param("dim", Kind.INT, default, minimum=-8, maximum=8)


def _p(default: float = 0.5) -> Param:
    return Param("p", Kind.FLOAT, default, minimum=0.0, maximum=1.0)


def _activation(name: str, *params: Param) -> LayerType:
    return _layer(name, "Activation", params, rules.elementwise)


_LAYERS: tuple[LayerType, ...] = (
    _layer(
        "Conv2d",
        "Convolution",
        (
            Param("out_channels", Kind.INT, None, minimum=1, maximum=SIZE, required=True),
            _kernel(),
            _stride(),
            Param("padding", Kind.PADDING, 0, minimum=0, maximum=SPATIAL, choices=("same", "valid")),
            _dilation(),
            Param("groups", Kind.INT, 1, minimum=1, maximum=SIZE),
            _bias(),
            Param("padding_mode", Kind.CHOICE, "zeros", choices=("zeros", "reflect", "replicate", "circular")),
        ),
        rules.conv2d,
        derived="in_channels",
    ),
    _layer("BatchNorm2d", "Normalization", _bn_params(), rules.batch_norm2d, derived="num_features"),
    _layer("BatchNorm1d", "Normalization", _bn_params(), rules.batch_norm1d, derived="num_features"),
    _activation("ReLU"),
    _activation("ReLU6"),
    _activation("LeakyReLU", Param("negative_slope", Kind.FLOAT, 0.01, minimum=-100.0, maximum=100.0)),
    _activation("ELU", Param("alpha", Kind.FLOAT, 1.0, minimum=0.0, maximum=100.0)),
    _activation("GELU", Param("approximate", Kind.CHOICE, "none", choices=("none", "tanh"))),
    _activation("Sigmoid"),
    _activation("Tanh"),
    _activation(
        "Softplus",
        Param("beta", Kind.FLOAT, 1.0, minimum=1e-6, maximum=1000.0),
        Param("threshold", Kind.FLOAT, 20.0, minimum=1e-6, maximum=1000.0),
    ),
    _activation("SiLU"),
    _layer(
        "MaxPool2d",
        "Pooling",
        (_kernel(), _stride(None, nullable=True), _pool_padding(), _dilation(), _ceil_mode()),
        rules.max_pool2d,
    ),
    _layer(
        "AvgPool2d",
        "Pooling",
        (
            _kernel(),
            _stride(None, nullable=True),
            _pool_padding(),
            _ceil_mode(),
            Param("count_include_pad", Kind.BOOL, True),
            Param("divisor_override", Kind.INT, None, minimum=1, maximum=SIZE, nullable=True),
        ),
        rules.avg_pool2d,
    ),
    _layer(
        "AdaptiveAvgPool2d",
        "Pooling",
        (Param("output_size", Kind.PAIR, None, minimum=1, maximum=SIZE, required=True),),
        rules.adaptive_avg_pool2d,
    ),
    _layer(
        "AdaptiveMaxPool2d",
        "Pooling",
        (Param("output_size", Kind.PAIR, None, minimum=1, maximum=SIZE, required=True),),
        rules.adaptive_max_pool2d,
    ),
    _layer("Dropout", "Regularization", (_p(),), rules.elementwise),
    _layer("Dropout2d", "Regularization", (_p(),), rules.dropout2d),
    _layer(
        "Flatten",
        "Reshape",
        (Param("start_dim", Kind.INT, 1, minimum=-8, maximum=8), Param("end_dim", Kind.INT, -1, minimum=-8, maximum=8)),
        rules.flatten,
    ),
    _layer(
        "Linear",
        "Dense",
        (Param("out_features", Kind.INT, None, minimum=1, maximum=65536, required=True), _bias()),
        rules.linear,
        derived="in_features",
    ),
    _layer("Softmax", "Output", (_dim(),), rules.softmax),
    _layer("LogSoftmax", "Output", (_dim(),), rules.softmax),
    _layer(RESIDUAL, "Blocks", (Param("relu_after", Kind.BOOL, False),), rules.block),
    _layer(CONCAT, "Blocks", (), rules.block),
)

CATALOG: dict[str, LayerType] = {layer.name: layer for layer in _LAYERS}


def _check_no_stray_help() -> None:
    """Every help file and shared section is about a layer type of the catalog (no text is left behind)."""
    for name in resources.names("help/layers", ".md"):
        if name not in CATALOG:
            raise helptext.HelpError(f"help/layers/{name}.md: no layer type {name!r} in the catalog")
    for name in _SHARED_HELP:
        if name not in CATALOG:
            raise helptext.HelpError(f"{helptext.SHARED_FILE}: a section names {name!r}, not a catalog layer type")


_check_no_stray_help()

_NUMERIC = frozenset({Kind.INT, Kind.FLOAT, Kind.PAIR, Kind.PADDING})


def _check_bounds() -> None:
    """Every number a spec gives has a lower and an upper bound: a value from a file is checked against
    both before torch (or float()) ever sees it, and the message of a value out of range states them."""
    for layer in _LAYERS:
        for param in layer.params:
            if param.kind in _NUMERIC and (param.minimum is None or param.maximum is None):
                raise TypeError(f"catalog: {layer.name}.{param.name} needs both a minimum and a maximum")


_check_bounds()


def layer_type(name: str) -> LayerType:
    return CATALOG[name]


def by_group() -> dict[str, list[LayerType]]:
    grouped: dict[str, list[LayerType]] = {group: [] for group in GROUPS}
    for layer in _LAYERS:
        grouped[layer.group].append(layer)
    return grouped


_TEXTS: dict[tuple[str, str], helptext.LayerHelp] = {}


def layer_texts(name: str, language: str = helptext.ENGLISH) -> helptext.LayerHelp:
    """Layer type `name`'s tooltip, explanation and parameter help in `language` (its help files under
    help/<language>/, checked as strictly as the English ones); the English ones for "en"."""
    layer = CATALOG[name]
    if language not in helptext.TRANSLATED:
        return helptext.LayerHelp(layer.tooltip, layer.explain, {p.name: p.help for p in layer.params})
    if (name, language) not in _TEXTS:
        shared = helptext.shared_params(helptext.load_in(language, "parameters.md"))
        doc = helptext.load_in(language, "layers", f"{name}.md")
        _TEXTS[name, language] = helptext.layer_help(doc, name, layer.param_names, shared.get(name, {}))
    return _TEXTS[name, language]


def help_markdown(layer: LayerType) -> str:
    """The layer's help as one Markdown page (Help ▸ About layers): its texts, and every parameter with
    torch's default and its help, whichever help file the help comes from."""
    lines = [f"# {layer.name}", "", f"*{layer.group}* · `torch.nn.{layer.name}`", "", layer.tooltip, "", layer.explain]
    if layer.derived is not None:
        lines += ["", f"`{layer.derived}` is not set here: it is inferred from the layer's input."]
    lines += ["", "## Parameters", ""]
    for param in layer.params:
        default = "required" if param.required else f"default `{param.default!r}`"
        lines.append(f"- `{param.name}` ({default}): {param.help}")
    if not layer.params:
        lines.append("None: this layer has nothing to set.")
    return "\n".join(lines) + "\n"
