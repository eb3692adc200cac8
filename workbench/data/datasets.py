"""Datasets as whole uint8 tensors, and the fast path that feeds them to training.

`load_dataset` reads a dataset from disk (downloading the standard ones when asked), carves a seeded
validation split from the training data and computes the per-channel mean/std. Everything stays on the
CPU as uint8 (60,000 MNIST images are 47 MB). The trainer then moves a whole split to its device once
(`to_device`), shuffles by index and slices batches (`iterate_batches`): no DataLoader, no per-sample
Python, which on small images is many times faster than torchvision's dataset classes.

Where the files come from is `workbench.data.sources`; this module never unpickles anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F

from workbench.data import sources
from workbench.data.images import DataError, ImageSet, ProgressFn, Raw
from workbench.data.location import data_dir

DATASET_NAMES = ("mnist", "fashion-mnist", "kmnist", "cifar10", "digits", "folder")
TEST_FRACTION = 0.2  # carved from datasets that ship without a test split ("digits", most folders)
TEST_SEED = 0  # fixed, so test accuracy stays comparable between runs with different seeds
CHUNK = 8192  # images per conversion step: bounds the float copies made by to_device and the statistics


@dataclass(frozen=True, eq=False)
class Dataset:
    name: str
    title: str
    class_names: tuple[str, ...]
    input_shape: tuple[int, int, int]  # (C, H, W)
    train: ImageSet
    val: ImageSet
    test: ImageSet
    mean: tuple[float, ...]  # per channel, of `train` scaled to [0, 1]
    std: tuple[float, ...]
    # how load_dataset made it (name, folder, limit, val_fraction, seed, image_size): saved with a run, so that
    # resuming it loads exactly the same splits; empty for datasets made otherwise
    source: dict = field(default_factory=dict)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def split(self, name: str) -> ImageSet:
        if name not in ("train", "val", "test"):
            raise DataError(f"unknown split {name!r}; use train, val or test")
        return getattr(self, name)


SPLITS = ("train", "val", "test")


def split_tensors(dataset: Dataset) -> dict[str, torch.Tensor]:
    """The splits as plain tensors, "train_images", "train_labels", … (for files read back with weights_only)."""
    tensors = {}
    for name in SPLITS:
        split = dataset.split(name)
        tensors[f"{name}_images"], tensors[f"{name}_labels"] = split.images.contiguous(), split.labels.contiguous()
    return tensors


def splits_from_tensors(tensors: dict[str, torch.Tensor]) -> dict[str, ImageSet]:
    """The inverse of split_tensors: {"train": ImageSet, "val": …, "test": …}."""
    return {name: ImageSet(tensors[f"{name}_images"], tensors[f"{name}_labels"]) for name in SPLITS}


def load_dataset(
    name: str,
    root: str | os.PathLike | None = None,
    *,
    folder: str | os.PathLike | None = None,
    val_fraction: float = 0.1,
    seed: int = 0,
    download: bool = True,
    progress: ProgressFn | None = None,
    limit: int | None = None,
    image_size: tuple[int, int] | None = None,
) -> Dataset:
    """Load a dataset by name (see DATASET_NAMES), with train/val/test splits and statistics.

    `root` is the data folder (see `data_dir`); `folder` the image folder for name="folder". `limit` keeps a
    seeded, class-balanced subset of at most `limit` training (train + val) and max(1, limit // 5) test images.
    `image_size` (height, width) applies to "folder" only. Raises DataError with a user-facing message.
    """
    key = str(name).strip().lower()
    _check_request(name, key, val_fraction, limit, image_size)
    raw = sources.read(key, data_dir(root), folder, download, progress, image_size)
    train, val, test = _splits(raw, val_fraction, seed, limit)
    mean, std = channel_stats(train.images)
    _, c, h, w = train.images.shape
    source = {
        "name": key,
        "folder": None if folder is None else str(Path(folder).resolve()),
        "limit": limit,
        "val_fraction": val_fraction,
        "seed": seed,
        "image_size": None if image_size is None else list(image_size),
    }
    return Dataset(key, raw.title, raw.class_names, (c, h, w), train, val, test, mean, std, source)


def _check_request(
    name: str, key: str, val_fraction: float, limit: int | None, image_size: tuple[int, int] | None
) -> None:
    if key not in DATASET_NAMES:
        raise DataError(f"unknown dataset {name!r}; choose one of: {', '.join(DATASET_NAMES)}")
    if not 0.0 <= val_fraction < 1.0:
        raise DataError(f"the validation fraction must be at least 0 and below 1, not {val_fraction}")
    if limit is not None and limit < 1:
        raise DataError(f"the image limit must be at least 1, not {limit}")
    if image_size is not None and key != "folder":
        raise DataError(f"an image size can be chosen only for image folders; {key} images have a fixed size")


def _splits(raw: Raw, val_fraction: float, seed: int, limit: int | None) -> tuple[ImageSet, ImageSet, ImageSet]:
    """(train, val, test): the test split carved with a fixed seed where the files have none, the validation split
    with `seed`, both class-balanced; `limit` keeps a subset of each first."""
    train, test = raw.train, raw.test
    test_gen = torch.Generator().manual_seed(TEST_SEED)
    if test is None:
        test, train = _carve(train, TEST_FRACTION, test_gen)
    train_gen = torch.Generator().manual_seed(seed)
    if limit is not None:
        train = _keep(train, limit, train_gen)
        test = _keep(test, max(1, limit // 5), test_gen)
    val, train = _carve(train, val_fraction, train_gen)
    if len(train) == 0:
        raise DataError(f"{raw.title} has too few images to train on ({len(raw.train)}); add more images")
    return train, val, test


def _stratified(labels: torch.Tensor, count: int, generator: torch.Generator, keep_one: bool) -> torch.Tensor:
    """Indices of `count` random samples drawn from each class in proportion to its size (largest remainder).

    With keep_one, no class gives up its last sample, so every class stays in what is left over."""
    n = labels.shape[0]
    if count <= 0 or n == 0:
        return torch.empty(0, dtype=torch.int64)
    perm = torch.randperm(n, generator=generator)
    grouped = perm[torch.sort(labels[perm], stable=True).indices]  # by class, random within each class
    sizes = torch.bincount(labels, minlength=int(labels.max()) + 1)
    exact = sizes.double() * (count / n)
    quota = exact.floor().long()
    short = count - int(quota.sum())
    if short > 0:
        quota[torch.argsort(exact - quota, descending=True, stable=True)[:short]] += 1
    if keep_one:
        quota = torch.minimum(quota, (sizes - 1).clamp(min=0))
    starts = torch.cumsum(sizes, 0) - sizes
    grouped_labels = labels[grouped]
    rank = torch.arange(n) - starts[grouped_labels]
    return torch.sort(grouped[rank < quota[grouped_labels]]).values


def _carve(images: ImageSet, fraction: float, generator: torch.Generator) -> tuple[ImageSet, ImageSet]:
    """(carved, rest): a seeded, class-balanced `fraction` of the images and the others, both in file order."""
    picked = _stratified(images.labels, round(fraction * len(images)), generator, keep_one=True)
    rest = torch.ones(len(images), dtype=torch.bool)
    rest[picked] = False
    return images.subset(picked), images.subset(rest.nonzero().flatten())


def _keep(images: ImageSet, limit: int, generator: torch.Generator) -> ImageSet:
    if len(images) <= limit:
        return images
    return images.subset(_stratified(images.labels, limit, generator, keep_one=False))


def channel_stats(images: torch.Tensor) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per-channel mean and std in [0, 1] scale, exact: from 256-bin histograms counted chunk by chunk."""
    channels = images.shape[1]
    counts = torch.zeros(channels, 256, dtype=torch.float64)
    for start in range(0, images.shape[0], CHUNK):
        chunk = images[start : start + CHUNK]
        for c in range(channels):
            counts[c] += torch.bincount(chunk[:, c].reshape(-1), minlength=256).double()
    values = torch.arange(256, dtype=torch.float64) / 255.0
    total = counts.sum(1).clamp(min=1)
    mean = (counts * values).sum(1) / total
    var = ((counts * values**2).sum(1) / total - mean**2).clamp(min=0)
    std = var.sqrt()
    std = torch.where(std < 1e-6, torch.ones_like(std), std)  # constant images: do not divide by ~0
    return tuple(mean.tolist()), tuple(std.tolist())


def black_value(mean: Sequence[float], std: Sequence[float]) -> tuple[float, ...]:
    """What a black pixel (0) becomes after normalisation, per channel: the fill for `augment_batch`."""
    return tuple(-m / s for m, s in zip(mean, std, strict=True))


def to_device(
    images: ImageSet, mean: Sequence[float], std: Sequence[float], device: torch.device | str
) -> tuple[torch.Tensor, torch.Tensor]:
    """The whole split on `device`: x float32 (N, C, H, W) as (x/255 - mean)/std, and y int64.

    Copies uint8 chunks (4× less traffic than float) and converts them on the device into a preallocated
    tensor, so the peak is the result plus one chunk."""
    device = torch.device(device)
    n, c, h, w = images.images.shape
    if len(mean) != c or len(std) != c:
        raise ValueError(f"mean and std need {c} values (one per channel), got {len(mean)} and {len(std)}")
    std_t = torch.tensor(std, dtype=torch.float32, device=device).view(1, c, 1, 1)
    scale = 1.0 / (255.0 * std_t)
    shift = -torch.tensor(mean, dtype=torch.float32, device=device).view(1, c, 1, 1) / std_t
    x = torch.empty((n, c, h, w), dtype=torch.float32, device=device)
    for start in range(0, n, CHUNK):
        chunk = x[start : start + CHUNK]
        chunk.copy_(images.images[start : start + CHUNK].to(device))
        chunk.mul_(scale).add_(shift)
    return x, images.labels.to(device)


def num_batches(n: int, batch_size: int, drop_last: bool = False) -> int:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    return n // batch_size if drop_last else -(-n // batch_size)


def iterate_batches(
    x: torch.Tensor,
    y: torch.Tensor,
    batch_size: int,
    *,
    shuffle: bool,
    generator: torch.Generator | None = None,
    drop_last: bool = False,
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """One epoch of (x, y) batches. The permutation is drawn now, on the CPU with `generator` (so the
    order depends only on its seed, not on the device), and moved to x's device once."""
    count = num_batches(x.shape[0], batch_size, drop_last)
    order = torch.randperm(x.shape[0], generator=generator).to(x.device) if shuffle else None
    return _batches(x, y, batch_size, count, order)


def _batches(
    x: torch.Tensor, y: torch.Tensor, batch_size: int, count: int, order: torch.Tensor | None
) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    for i in range(count):
        start, stop = i * batch_size, (i + 1) * batch_size
        if order is None:
            yield x[start:stop], y[start:stop]
        else:
            index = order[start:stop]
            yield x.index_select(0, index), y.index_select(0, index)


def augment_batch(
    x: torch.Tensor,
    generator: torch.Generator | None = None,
    max_shift: float = 2.0,
    max_rotation: float = 10.0,
    fill: float | Sequence[float] | None = None,
) -> torch.Tensor:
    """A randomly shifted (up to `max_shift` pixels each way) and rotated (up to `max_rotation` degrees)
    copy of a normalised batch, all images at once on x's device. Uncovered pixels get `fill` per channel:
    pass `black_value(mean, std)`; by default each channel's minimum in the batch, which is black for
    typical images. Random numbers come from the CPU `generator`."""
    n = x.shape[0]
    angles = (torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * max_rotation
    shifts = (torch.rand(n, 2, generator=generator, dtype=torch.float64) * 2 - 1) * max_shift
    if n == 0 or (max_shift == 0 and max_rotation == 0):
        return x.clone()
    return affine(x, angles, shifts, fill)


def affine(
    x: torch.Tensor, degrees: torch.Tensor, shifts: torch.Tensor, fill: float | Sequence[float] | None = None
) -> torch.Tensor:
    """Rotate each image by degrees[i] (counter-clockwise on screen) about its centre, then shift it by
    shifts[i] = (dx, dy) pixels (positive: right, down), with bilinear sampling. Pixels from outside become
    `fill`."""
    n, c, h, w = x.shape
    if fill is None:
        fill_t = x.detach().amin(dim=(0, 2, 3)).view(1, c, 1, 1)
    else:
        fill_t = torch.as_tensor(fill, dtype=x.dtype, device=x.device).reshape(-1, 1, 1).expand(c, 1, 1).unsqueeze(0)
    rad = torch.deg2rad(degrees.double())
    cos, sin = torch.cos(rad), torch.sin(rad)
    # affine_grid maps output to input coordinates in [-1, 1] units; convert the pixel-space rotation and
    # shift into them so non-square images rotate without shearing.
    theta = torch.zeros(n, 2, 3, dtype=torch.float64)
    theta[:, 0, 0], theta[:, 0, 1] = cos, -sin * h / w
    theta[:, 1, 0], theta[:, 1, 1] = sin * w / h, cos
    dx, dy = shifts[:, 0].double(), shifts[:, 1].double()
    theta[:, 0, 2] = -(cos * dx - sin * dy) * 2 / w  # minus the rotated shift: shift after rotating
    theta[:, 1, 2] = -(sin * dx + cos * dy) * 2 / h
    grid = F.affine_grid(theta.to(device=x.device, dtype=x.dtype), [n, c, h, w], align_corners=False)
    moved = F.grid_sample(x - fill_t, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    return moved + fill_t


def sample_images(dataset: Dataset, split: str = "train", per_class: int = 1) -> ImageSet:
    """The first `per_class` images of each class in `split`, grouped by class in class order."""
    images = dataset.split(split)
    labels = images.labels
    if len(images) == 0 or per_class < 1:
        return images.subset(torch.empty(0, dtype=torch.int64))
    order = torch.sort(labels, stable=True).indices
    sizes = torch.bincount(labels)
    starts = torch.cumsum(sizes, 0) - sizes
    rank = torch.arange(len(order)) - starts[labels[order]]
    return images.subset(order[rank < per_class])
