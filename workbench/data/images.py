"""Images as whole uint8 tensors (`ImageSet`), what a reader finds on disk (`Raw`), and the errors
and progress callback every reader shares. The bottom of `workbench.data.datasets`: it imports nothing else here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

ProgressFn = Callable[[str, int, int], None]
"""(message, done, total), e.g. ("Downloading train-images-idx3-ubyte.gz", 123456, 9912422); total 0 if unknown."""


class DataError(Exception):
    """A dataset cannot be loaded; the message says what is wrong and what to do about it."""


@dataclass(frozen=True, eq=False)  # compared by identity: == on tensors is element-wise
class ImageSet:
    images: torch.Tensor  # uint8 (N, C, H, W), CPU
    labels: torch.Tensor  # int64 (N,), CPU

    def __post_init__(self) -> None:
        if self.images.dtype != torch.uint8 or self.images.dim() != 4:
            raise ValueError(f"images must be uint8 (N, C, H, W), got {self.images.dtype} {tuple(self.images.shape)}")
        if self.labels.dtype != torch.int64 or self.labels.shape != self.images.shape[:1]:
            raise ValueError(f"labels must be int64 ({len(self.images)},), got {self.labels.dtype} {self.labels.shape}")

    def __len__(self) -> int:
        return self.images.shape[0]

    def subset(self, indices: torch.Tensor) -> ImageSet:
        return ImageSet(self.images.index_select(0, indices), self.labels.index_select(0, indices))


@dataclass(frozen=True)
class Raw:
    """What a reader found: the test split is None when the data has none and one must be carved."""

    title: str
    class_names: tuple[str, ...]
    train: ImageSet
    test: ImageSet | None
