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
from workbench.text import printable, show_path

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
    if not _is_folder(root):
        shown = show_path(root)
        raise DataError(f"{shown} is not a folder; choose a folder with {LAYOUT.format(shown)}")
    train = _class_files(root / "train")
    if train:  # train/ (and maybe test/) with class sub-folders
        _check_classes(root / "train", train)
        test = _class_files(root / "test")
        extra = sorted(set(test) - set(train))
        if extra:
            raise DataError(f"{show_path(root / 'test')}: class {extra[0]} has no matching folder in train/")
    else:
        train, test = _class_files(root), {}
        _check_classes(root, train)
    classes = tuple(sorted(train))
    files = _labelled(train, classes)
    split_at = len(files)
    files += _labelled(test, classes)
    if len(files) > MAX_IMAGES:
        raise DataError(f"{show_path(root)} has more than {MAX_IMAGES:,} images, the most supported; use a smaller set")
    images = _load_images([path for path, _ in files], image_size, progress)
    labels = torch.tensor([label for _, label in files], dtype=torch.int64)
    title = f"Images in {show_path(root.name or root, 80)}"
    train_set = ImageSet(images[:split_at], labels[:split_at])
    test_set = ImageSet(images[split_at:], labels[split_at:]) if split_at < len(files) else None
    return Raw(title, classes, train_set, test_set)


def _class_files(folder: Path) -> dict[str, list[Path]]:
    """Class name → its image files (sorted, searched recursively, hidden files skipped); classes without
    images are left out. A class is named by its folder, made printable (`workbench.text.printable`)."""
    if not _is_folder(folder):
        return {}
    found: dict[str, list[Path]] = {}
    folders: dict[str, str] = {}  # printable class name → the folder's own name, to catch two that look alike
    room = MAX_IMAGES + 1  # the walk stops once a set is known to be too large
    for sub in sorted(_entries(folder, directories=True, follow=True)):  # a class folder may be a link
        files = sorted(_images_under(sub, room))
        room -= len(files)
        if not files:
            continue
        name = printable(sub.name)
        if name in folders:
            raise DataError(
                f"{show_path(folder)} has two class folders shown as {name!r} "
                f"({folders[name]!a} and {sub.name!a}); rename one"
            )
        folders[name], found[name] = sub.name, files
    return found


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError as exc:  # a path longer than the system allows, a loop of links
        raise _unreadable(path, exc) from None


def _entries(folder: Path, *, directories: bool, follow: bool = False) -> list[Path]:
    """The visible sub-folders (or files) of `folder`; links to folders only if `follow` (inside a class
    folder they are not: they can loop)."""
    try:
        with os.scandir(folder) as scan:
            return [
                folder / entry.name
                for entry in scan
                if not entry.name.startswith(".")
                and (entry.is_dir(follow_symlinks=follow) if directories else entry.is_file())
            ]
    except OSError as exc:
        raise _unreadable(folder, exc) from None


def _images_under(folder: Path, most: int) -> list[Path]:
    """Image files under `folder` at any depth, at most `most` of them."""
    images, pending = [], [folder]
    while pending and len(images) < most:
        current = pending.pop()
        pending += _entries(current, directories=True)
        images += [path for path in _entries(current, directories=False) if path.suffix.lower() in EXTENSIONS]
    return images[:most]


def _unreadable(path: Path, exc: OSError) -> DataError:
    return DataError(
        f"cannot read the folder {show_path(path)} ({exc.strerror or exc}); "
        "move the images to a shorter path you can read, or remove that folder"
    )


def _check_classes(root: Path, found: dict[str, list[Path]]) -> None:
    if len(found) >= 2:
        return
    shown = show_path(root)
    layout = LAYOUT.format(shown)
    if len(found) == 1:
        only = next(iter(found))
        raise DataError(f"{shown} has only one class ({only}); a classifier needs at least two: {layout}")
    loose = any(p.suffix.lower() in EXTENSIONS for p in _entries(root, directories=False))
    what = "images but no class sub-folders" if loose else f"no images ({', '.join(EXTENSIONS)})"
    raise DataError(f"{shown} has {what}; expected {layout}")


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
                picture = as_mode(image, mode)
                if picture.size != (width, height):
                    picture = picture.resize((width, height), Image.Resampling.BILINEAR)
                out[i] = np.asarray(picture).reshape(height, width, channels)
            except Exception as exc:  # decoders of damaged files raise all sorts of errors
                raise _unreadable_image(path, exc) from None
    return torch.from_numpy(out).permute(0, 3, 1, 2).contiguous()


def _open(path: Path):  # -> PIL.Image.Image, opened lazily (header only)
    from PIL import Image

    try:
        return Image.open(path)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise _unreadable_image(path, exc) from None


def _unreadable_image(path: Path, exc: Exception) -> DataError:
    return DataError(f"cannot read image {show_path(path)} ({printable(str(exc))}); fix or remove it")


def _is_grey(image) -> bool:
    if image.mode in GREY_MODES:
        return True
    if image.mode == "P":  # a palette of greys is a greyscale image
        palette = np.asarray(image.getpalette() or [0], dtype=np.uint8)
        rgb = palette[: len(palette) // 3 * 3].reshape(-1, 3)
        return bool((rgb == rgb[:, :1]).all())
    return False


def as_mode(image, mode: str):
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
