"""A tiny learnable image dataset made on the fly: class k is a bright bar at position k."""

from __future__ import annotations

import torch

from workbench.data.datasets import Dataset
from workbench.data.images import ImageSet
from workbench.model.spec import LayerSpec, ModelSpec

# A small conv net that learns the bars in a few steps: Conv2d 4@3×3, ReLU, Flatten, Linear → 4 classes
BARS_SPEC = ModelSpec(
    (1, 12, 12),
    (
        LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3}),
        LayerSpec("ReLU"),
        LayerSpec("Flatten"),
        LayerSpec("Linear", {"out_features": 4}),
    ),
)


def bars(count: int, classes: int = 4, size: int = 12, seed: int = 0) -> ImageSet:
    generator = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, classes, (count,), generator=generator)
    images = (torch.rand(count, 1, size, size, generator=generator) * 60).to(torch.uint8)
    rows = (labels * (size // classes) + 1).tolist()
    for i, row in enumerate(rows):
        images[i, 0, row : row + 2, 1:-1] = 255
    return ImageSet(images, labels)


def bars_dataset(train: int = 256, val: int = 64, test: int = 64, classes: int = 4, size: int = 12) -> Dataset:
    train_set = bars(train, classes, size, seed=1)
    scaled = train_set.images.float() / 255
    return Dataset(
        name="bars",
        title="Bars",
        class_names=tuple(f"bar {i}" for i in range(classes)),
        input_shape=(1, size, size),
        train=train_set,
        val=bars(val, classes, size, seed=2),
        test=bars(test, classes, size, seed=3),
        mean=(float(scaled.mean()),),
        std=(float(scaled.std()),),
    )
