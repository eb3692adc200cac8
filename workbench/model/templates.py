"""Starter networks, each a spec. The first is the app's starter model."""

from __future__ import annotations

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

TEMPLATES: dict[str, ModelSpec] = {spec.name: spec for spec in (MNIST_CLASSIC, LENET5, MNIST_BN, VGG_MINI, MLP)}

DESCRIPTIONS: dict[str, str] = {
    "mnist-classic": "The classic PyTorch MNIST example: two 5×5 convolutions, max pooling, two Linear layers.",
    "lenet5": "LeCun's LeNet-5 (1998) with Tanh and average pooling, padded for 28×28 digits.",
    "mnist-bn": "A BatchNorm CNN (conv-BN-ReLU blocks) that reaches 99% on MNIST in two epochs.",
    "vgg-mini": "A small VGG-style net of 3×3 conv-BN-ReLU blocks for 3×32×32 colour images (CIFAR-10).",
    "mlp": "A baseline without convolutions: Flatten and three Linear layers.",
}

STARTER = "mnist-classic"


def template(name: str) -> ModelSpec:
    return TEMPLATES[name]
