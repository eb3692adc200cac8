"""Hypothesis strategies for random model specs (tests/core/test_shapes_property.py). A module of its own, imported
inside the tests: every test worker collects every test file, and importing hypothesis takes 1.2 s."""

from __future__ import annotations

from hypothesis import strategies as st

from workbench.model.catalog import CATALOG
from workbench.model.params import Kind, Param
from workbench.model.spec import LayerSpec, ModelSpec

SMALL_INT = {
    "out_channels": st.integers(1, 6),
    "out_features": st.integers(1, 12),
    "groups": st.sampled_from([1, 1, 1, 2, 3]),
    "divisor_override": st.one_of(st.none(), st.integers(1, 5)),
    "start_dim": st.integers(-3, 3),
    "end_dim": st.integers(-3, 3),
    "dim": st.integers(-3, 3),
}
SMALL_PAIR = {
    "kernel_size": (1, 5),
    "stride": (1, 3),
    "padding": (0, 3),
    "dilation": (1, 3),
    "output_size": (1, 4),
}


def _pair(low: int, high: int):
    return st.one_of(st.integers(low, high), st.tuples(st.integers(low, high), st.integers(low, high)))


def param_values(param: Param):
    if param.kind is Kind.INT:
        strategy = SMALL_INT.get(param.name, st.integers(1, 4))
    elif param.kind is Kind.FLOAT:
        strategy = st.floats(param.minimum or 0.0, min(param.maximum or 2.0, 2.0)).filter(lambda v: v > 0)
    elif param.kind is Kind.BOOL:
        strategy = st.booleans()
    elif param.kind is Kind.CHOICE:
        strategy = st.sampled_from(param.choices)
    elif param.kind is Kind.PAIR:
        strategy = _pair(*SMALL_PAIR[param.name])
    else:
        strategy = st.one_of(_pair(*SMALL_PAIR[param.name]), st.sampled_from(param.choices))
    if param.nullable:
        strategy = st.one_of(st.none(), strategy)
    return strategy


IMAGE_TYPES = [
    "Conv2d",
    "Conv2d",
    "Conv2d",
    "MaxPool2d",
    "MaxPool2d",
    "AvgPool2d",
    "AvgPool2d",
    "AdaptiveAvgPool2d",
    "AdaptiveMaxPool2d",
    "BatchNorm2d",
    "ReLU",
    "Tanh",
    "Dropout2d",
]
PLAIN_TYPES = sorted(name for name, layer in CATALOG.items() if not layer.block)
FLAT_TYPES = ["Linear", "Linear", "BatchNorm1d", "ReLU", "Sigmoid", "Dropout", "Softmax", "LogSoftmax"]


@st.composite
def layers(draw, types=None):
    layer = CATALOG[draw(st.sampled_from(types or PLAIN_TYPES))]
    params = {}
    for param in layer.params:
        if param.required or draw(st.booleans()):
            params[param.name] = draw(param_values(param))
    return LayerSpec(layer.name, params)


@st.composite
def random_specs(draw):
    """Any layers in any order: mostly impossible stacks."""
    shape = draw(
        st.one_of(
            st.tuples(st.integers(1, 4), st.integers(1, 14), st.integers(1, 14)),
            st.tuples(st.integers(1, 20)),
        )
    )
    return ModelSpec(shape, tuple(draw(st.lists(layers(), min_size=1, max_size=7))))


@st.composite
def cnn_specs(draw):
    """Image layers, Flatten, then dense layers: the shape of a real CNN, often valid."""
    shape = draw(st.tuples(st.integers(1, 4), st.integers(4, 24), st.integers(4, 24)))
    image = draw(st.lists(layers(IMAGE_TYPES), min_size=1, max_size=5))
    dense = draw(st.lists(layers(FLAT_TYPES), max_size=4))
    return ModelSpec(shape, (*image, LayerSpec("Flatten"), *dense))


def specs():
    return st.one_of(random_specs(), cnn_specs())
