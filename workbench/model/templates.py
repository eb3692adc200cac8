"""Starter networks, each a spec, with the training settings they were measured with and what that
measurement gave (`bench/bench_templates.py` prints the figures; MEASURED quotes them). The first is
the app's starter model.
"""

from __future__ import annotations

from typing import Any

from workbench.model.spec import LayerSpec, ModelSpec


def _l(type_name: str, **params) -> LayerSpec:
    return LayerSpec(type_name, params)


def _conv_bn_relu(channels: int) -> list[LayerSpec]:
    return [_l("Conv2d", out_channels=channels, kernel_size=3, padding=1, bias=False), _l("BatchNorm2d"), _l("ReLU")]


MNIST_CLASSIC = ModelSpec(
    (1, 28, 28),
    (
        _l("Conv2d", out_channels=10, kernel_size=5),
        _l("ReLU"),
        _l("MaxPool2d", kernel_size=2),
        _l("Conv2d", out_channels=20, kernel_size=5),
        _l("ReLU"),
        _l("MaxPool2d", kernel_size=2),
        _l("Flatten"),
        _l("Linear", out_features=50),
        _l("ReLU"),
        _l("Linear", out_features=10),
    ),
    "mnist-classic",
)

LENET5 = ModelSpec(
    (1, 28, 28),
    (
        _l("Conv2d", out_channels=6, kernel_size=5, padding=2),
        _l("Tanh"),
        _l("AvgPool2d", kernel_size=2),
        _l("Conv2d", out_channels=16, kernel_size=5),
        _l("Tanh"),
        _l("AvgPool2d", kernel_size=2),
        _l("Flatten"),
        _l("Linear", out_features=120),
        _l("Tanh"),
        _l("Linear", out_features=84),
        _l("Tanh"),
        _l("Linear", out_features=10),
    ),
    "lenet5",
)

MNIST_FAST = ModelSpec(
    (1, 28, 28),
    (
        *_conv_bn_relu(16),
        _l("MaxPool2d", kernel_size=2),
        *_conv_bn_relu(32),
        _l("MaxPool2d", kernel_size=2),
        *_conv_bn_relu(64),
        *_conv_bn_relu(64),
        _l("AdaptiveMaxPool2d", output_size=1),
        _l("Flatten"),
        _l("Linear", out_features=10),
    ),
    "mnist-fast",
)

MNIST_BN = ModelSpec(
    (1, 28, 28),
    (
        *_conv_bn_relu(32),
        _l("MaxPool2d", kernel_size=2),
        *_conv_bn_relu(64),
        _l("MaxPool2d", kernel_size=2),
        _l("Flatten"),
        _l("Linear", out_features=128, bias=False),
        _l("BatchNorm1d"),
        _l("ReLU"),
        _l("Dropout", p=0.25),
        _l("Linear", out_features=10),
    ),
    "mnist-bn",
)

VGG_MINI = ModelSpec(
    (3, 32, 32),
    (
        *_conv_bn_relu(32),
        *_conv_bn_relu(32),
        _l("MaxPool2d", kernel_size=2),
        *_conv_bn_relu(64),
        *_conv_bn_relu(64),
        _l("MaxPool2d", kernel_size=2),
        *_conv_bn_relu(128),
        *_conv_bn_relu(128),
        _l("MaxPool2d", kernel_size=2),
        _l("Flatten"),
        _l("Dropout", p=0.5),
        _l("Linear", out_features=256),
        _l("ReLU"),
        _l("Dropout", p=0.5),
        _l("Linear", out_features=10),
    ),
    "vgg-mini",
)

MLP = ModelSpec(
    (1, 28, 28),
    (
        _l("Flatten"),
        _l("Linear", out_features=256),
        _l("ReLU"),
        _l("Linear", out_features=128),
        _l("ReLU"),
        _l("Linear", out_features=10),
    ),
    "mlp",
)

# The settings each template is trained with when chosen (TrainConfig fields; the rest are its defaults).
RECIPES: dict[str, dict[str, Any]] = {
    "mnist-classic": {},
    "mnist-fast": {"batch_size": 128, "lr": 0.01, "label_smoothing": 0.1, "epochs": 1},
    "lenet5": {},
    "mnist-bn": {"epochs": 2},
    "vgg-mini": {"epochs": 10, "augment": True},
    "mlp": {},
}

# Each template carries its recipe as its recommended settings ("recommended" in its JSON): `train SPEC` and
# the window take them for every setting not given explicitly.
TEMPLATES: dict[str, ModelSpec] = {
    spec.name: spec.with_recommended(RECIPES[spec.name])
    for spec in (MNIST_CLASSIC, MNIST_FAST, LENET5, MNIST_BN, VGG_MINI, MLP)
}

DESCRIPTIONS: dict[str, str] = {
    "mnist-classic": "The classic PyTorch MNIST example: two 5×5 convolutions, max pooling, two Linear layers.",
    "mnist-fast": "Four small 3×3 conv-BN-ReLU blocks and global max pooling: 99% on MNIST in one quick epoch.",
    "lenet5": "LeCun's LeNet-5 (1998) with Tanh and average pooling, padded for 28×28 digits.",
    "mnist-bn": "A wider BatchNorm CNN (conv-BN-ReLU blocks, a BatchNorm1d head) with 420k parameters.",
    "vgg-mini": "A small VGG-style net of 3×3 conv-BN-ReLU blocks for 3×32×32 colour images (CIFAR-10).",
    "mlp": "A baseline without convolutions: Flatten and three Linear layers.",
}

# What `bench/bench_templates.py` measured with each recipe on 2 CPU cores (torch 2.14, 2026-12-02):
# MNIST test accuracy and the whole run's time, evaluation included.
MEASURED: dict[str, str] = {
    "mnist-classic": "98.5% after 1 epoch, 6 s on 2 CPU cores",
    "mnist-fast": "99.2% after 1 epoch, 8 s on 2 CPU cores",
    "lenet5": "97.3% after 1 epoch, 3 s on 2 CPU cores",
    "mnist-bn": "99.2% after 2 epochs, 26 s on 2 CPU cores",
    "vgg-mini": "56 s per CIFAR-10 epoch on 2 CPU cores (10 epochs); accuracy not measured here",
    "mlp": "97.0% after 1 epoch, 1 s on 2 CPU cores",
}

STARTER = "mnist-classic"


def template(name: str) -> ModelSpec:
    return TEMPLATES[name]


def recipe(name: str) -> dict[str, Any]:
    """The TrainConfig fields template `name` is trained with (KeyError for an unknown name)."""
    return dict(RECIPES[name])
