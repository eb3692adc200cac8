"""A dataset from a folder of images: one sub-folder per class, optionally under train/ and test/.

    pets/cat/1.png  pets/cat/2.jpg  pets/dog/7.png        (a test split is carved off)
    pets/train/cat/1.png  ...  pets/test/dog/9.png       (the given splits are used)

Images are greyscale (1 channel) when every one of them is, else RGB, and all are resized to one size.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch

from workbench.data.images import DataError, ImageSet, ProgressFn, Raw

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MAX_IMAGES = 200_000
MAX_SIDE = 64  # the default size is the most common one, scaled down to this: the networks here are small
MAX_EXPLICIT_SIDE = 1024
MAX_BYTES = 4 << 30  # all images together, as uint8
GREY_MODES = frozenset({"1", "L", "LA", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"})
LAYOUT = "one sub-folder of images per class, e.g. {0}/cat/1.png and {0}/dog/2.png (optionally under train/ and test/)"


def read_folder(
    folder: str | os.PathLike | None, image_size: tuple[int, int] | None, progress: ProgressFn | None = None
) -> Raw:
    if folder is None or str(folder) == "":
        raise DataError(f"choose an image folder: {LAYOUT.format('folder')}")
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(f"{root} is not a folder; choose a folder with {LAYOUT.format(root)}")
    train = _class_files(root / "train")
    if train:  # train/ (and maybe test/) with class sub-folders
        _check_classes(root / "train", train)
        test = _class_files(root / "test")
        extra = sorted(set(test) - set(train))
        if extra:
            raise DataError(f"{root / 'test' / extra[0]} has no matching class folder in {root / 'train'}")
    else:
        train, test = _class_files(root), {}
        _check_classes(root, train)
    classes = tuple(sorted(train))
    files = _labelled(train, classes)
    split_at = len(files)
    files += _labelled(test, classes)
    if len(files) > MAX_IMAGES:
        raise DataError(f"{root} has {len(files):,} images, more than the {MAX_IMAGES:,} supported; use a smaller set")
    images = _load_images([path for path, _ in files], image_size, progress)
    labels = torch.tensor([label for _, label in files], dtype=torch.int64)
    title = f"Images in {root.name or root}"
    train_set = ImageSet(images[:split_at], labels[:split_at])
    test_set = ImageSet(images[split_at:], labels[split_at:]) if split_at < len(files) else None
    return Raw(title, classes, train_set, test_set)


def _class_files(folder: Path) -> dict[str, list[Path]]:
    """Class name → its image files (sorted, searched recursively, hidden files skipped); classes without
    images are left out."""
    if not folder.is_dir():
        return {}
    found = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(
            p
            for p in sub.rglob("*")
            if p.suffix.lower() in EXTENSIONS
            and not any(part.startswith(".") for part in p.relative_to(sub).parts)
            and p.is_file()
        )
        if files:
            found[sub.name] = files
    return found


def _check_classes(root: Path, found: dict[str, list[Path]]) -> None:
    if len(found) >= 2:
        return
    layout = LAYOUT.format(root)
    if len(found) == 1:
        only = next(iter(found))
        raise DataError(f"{root} has only one class ({only}); a classifier needs at least two: {layout}")
    loose = any(p.suffix.lower() in EXTENSIONS for p in root.iterdir() if p.is_file())
    what = "images but no class sub-folders" if loose else f"no images ({', '.join(EXTENSIONS)})"
    raise DataError(f"{root} has {what}; expected {layout}")


def _labelled(found: dict[str, list[Path]], classes: Sequence[str]) -> list[tuple[Path, int]]:
    index = {name: i for i, name in enumerate(classes)}
    return [(path, index[name]) for name in sorted(found) for path in found[name]]


def _load_images(paths: list[Path], image_size: tuple[int, int] | None, progress: ProgressFn | None) -> torch.Tensor:
    """(N, C, H, W) uint8. A first pass reads only headers to choose channels and size; the second decodes."""
    from PIL import Image

    modes, sizes = [], []
    for path in paths:
        with _open(path) as image:
            modes.append("L" if _is_grey(image) else "RGB")
            sizes.append((image.height, image.width))
    mode = "L" if all(m == "L" for m in modes) else "RGB"
    height, width = _choose_size(sizes, image_size)
    channels = 1 if mode == "L" else 3
    total = len(paths) * channels * height * width
    if total > MAX_BYTES:
        raise DataError(
            f"{len(paths):,} images of {channels}×{height}×{width} need {total / 2**30:.1f} GB; "
            "choose a smaller image size"
        )
    out = np.empty((len(paths), height, width, channels), dtype=np.uint8)
    for i, path in enumerate(paths):
        if progress is not None and i % 500 == 0:
            progress("Reading images", i, len(paths))
        with _open(path) as image:
            try:
                picture = _as_mode(image, mode)
                if picture.size != (width, height):
                    picture = picture.resize((width, height), Image.Resampling.BILINEAR)
                out[i] = np.asarray(picture).reshape(height, width, channels)
            except Exception as exc:  # decoders of damaged files raise all sorts of errors
                raise DataError(f"cannot read image {path} ({exc}); fix or remove it") from None
    return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()


def _open(path: Path):  # -> PIL.Image.Image, opened lazily (header only)
    from PIL import Image

    try:
        return Image.open(path)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DataError(f"cannot read image {path} ({exc}); fix or remove it") from None


def _is_grey(image) -> bool:
    if image.mode in GREY_MODES:
        return True
    if image.mode == "P":  # a palette of greys is a greyscale image
        palette = np.asarray(image.getpalette() or [0], dtype=np.uint8)
        rgb = palette[: len(palette) // 3 * 3].reshape(-1, 3)
        return bool((rgb == rgb[:, :1]).all())
    return False


def _as_mode(image, mode: str):
    """The image as 8-bit "L" or "RGB". 16/32-bit greyscale is scaled down rather than clipped."""
    from PIL import Image

    if image.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N", "F"):
        values = np.asarray(image, dtype=np.float64)
        top = values.max(initial=0.0)
        scale = 1.0 if top <= 255 else 255.0 / (65535.0 if top <= 65535 else top)
        image = Image.fromarray(np.clip(values * scale, 0, 255).round().astype(np.uint8), "L")
    return image.convert(mode)


def _choose_size(sizes: list[tuple[int, int]], image_size: tuple[int, int] | None) -> tuple[int, int]:
    if image_size is not None:
        ok = len(image_size) == 2 and all(isinstance(v, int) and 1 <= v <= MAX_EXPLICIT_SIDE for v in image_size)
        if not ok:
            raise DataError(f"image size must be (height, width), each 1 to {MAX_EXPLICIT_SIDE}; got {image_size}")
        return int(image_size[0]), int(image_size[1])
    height, width = Counter(sizes).most_common(1)[0][0]
    scale = min(1.0, MAX_SIDE / max(height, width))
    return max(1, round(height * scale)), max(1, round(width * scale))
