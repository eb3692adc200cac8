"""Pictures from outside (PNG, JPEG and BMP files a user points at) found, read safely, and made into what a
model takes, as its training data was made.

Finding (`find_pictures`): files and folders, folders walked in sorted order at any depth, links to folders not
followed, hidden names left out. What cannot be read is one `Found` with a reason, never an exception: a folder
that cannot be listed, a FIFO or device named x.png, a loop of links, a file given that is no picture.

Reading (`read_picture`): only regular files are opened (a FIFO never blocks: it is opened non-blocking and
refused), only the PNG, JPEG and BMP decoders are tried, a picture of more than `MAX_PIXELS` is refused from its
header before it is decoded, EXIF rotation is applied, and what is transparent is laid on white paper. Whatever
a damaged file makes a decoder raise becomes a `PictureError` with a one-line reason.

Preparing (`PictureReader`): digit models (MNIST, the built-in digits) get the Draw tab's reading of a loaded
picture (greyscale, fitted in 280×280 keeping the aspect ratio, inverted when mostly light, then the MNIST
preprocessing of a drawing, `workbench.data.drawing.preprocess`); every other model gets what an image folder's
pictures get in training (`workbench.data.folders`: the same greyscale or RGB conversion, bilinear resizing to
the input size). Inverting: "auto" inverts a mostly light picture (dark ink on a light page) for a greyscale model
that learned light on dark (its training mean below 0.5); "yes" always; "no" never.
"""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.data.drawing import preprocess
from workbench.data.folders import as_mode as training_conversion  # how an image folder's pictures are converted
from workbench.data.images import DataError
from workbench.messages import say
from workbench.text import count, one_line, printable, show_path

__all__ = [
    "DRAWING_DATASETS",
    "DRAWING_SIDE",
    "FORMATS",
    "INVERT_CHOICES",
    "MAX_PICTURES",
    "MAX_PIXELS",
    "PICTURE_SUFFIXES",
    "Found",
    "Picture",
    "PictureError",
    "PictureReader",
    "find_pictures",
    "read_picture",
]

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
FORMATS = ("PNG", "JPEG", "BMP")  # the only decoders tried, whatever a file's name says
MAX_PIXELS = 40_000_000  # a larger picture is refused from its header, before it is decoded
MAX_PICTURES = 1_000_000  # found in one go; more is refused in one line
DRAWING_DATASETS = frozenset({"mnist", "digits"})  # digits framed as MNIST's: read as a drawing is
DRAWING_SIDE = 280  # a picture is fitted in this square before the drawing preprocessing (the Draw tab's canvas)
INVERT_CHOICES = ("auto", "yes", "no")
LIGHT = 0.5  # a picture whose mean is above this is mostly light; a model whose training mean is below, dark
_WIDE_GREY = ("I", "I;16", "I;16L", "I;16B", "I;16N", "F")  # 16/32-bit greyscale, scaled down as training does


class PictureError(Exception):
    """Why one file cannot be used as a picture (one line, without the path)."""


@dataclass(frozen=True)
class Found:
    """A file to read (`problem` None) or something found that cannot be (`problem` says why)."""

    path: Path
    problem: str | None = None


@dataclass(frozen=True)
class Picture:
    image: np.ndarray  # (C, H, W) float32 in [0, 1]: what the model takes
    inverted: bool
    thumbnail: np.ndarray | None = None  # (1 or 3, h, w) uint8, the picture as it looks, when asked for


# ----- finding ----------------------------------------------------------------------------------------------


def is_picture_name(path: str | os.PathLike) -> bool:
    return os.fspath(path).lower().endswith(PICTURE_SUFFIXES)


def find_pictures(paths: Sequence[str | os.PathLike]) -> list[Found]:
    """Every picture file in `paths` (files, or folders walked recursively in sorted order), and what cannot be
    read, in the order found. DataError when there are more than MAX_PICTURES."""
    found: list[Found] = []
    for given in paths:
        path = Path(given)
        try:
            mode = os.stat(path).st_mode  # an explicit link is followed, to a file or a folder
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
            found.append(Found(path, _os_reason(exc)))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, found)
        elif not is_picture_name(path):
            found.append(Found(path, say("picture.not_picture_file", suffixes=", ".join(PICTURE_SUFFIXES))))
        elif not stat.S_ISREG(mode):
            found.append(Found(path, say("picture.special_file")))
        else:
            found.append(Found(path))
        _check_count(found, path)
    return found


def _walk(root: Path, found: list[Found]) -> None:
    """Depth first, each folder's entries in name order, without recursion (a folder may be nested deeply)."""
    pending = [iter(_listing(root, found))]
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
            continue
        path, is_folder, problem = entry
        if is_folder:
            pending.append(iter(_listing(path, found)))
        else:
            found.append(Found(path, problem))
            _check_count(found, root)


def _listing(folder: Path, found: list[Found]) -> list[tuple[Path, bool, str | None]]:
    """(path, is a folder, problem) for the visible sub-folders and picture files of `folder`, sorted by name;
    a folder that cannot be listed is one `Found` with the reason."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted((entry for entry in scan if not entry.name.startswith(".")), key=lambda e: e.name)
            listed = []
            for entry in entries:
                kind = _kind(entry)
                if kind is not None:
                    listed.append((folder / entry.name, *kind))
            return listed
    except OSError as exc:
        found.append(Found(folder, f"cannot read the folder ({_os_reason(exc)})"))
        return []


def _kind(entry: os.DirEntry) -> tuple[bool, str | None] | None:
    """(is a folder, problem) of one entry; None for what is neither a folder nor named as a picture."""
    try:
        if entry.is_dir(follow_symlinks=False):
            return True, None
        if not is_picture_name(entry.name):
            return None
        if not entry.is_symlink():
            return (False, None) if entry.is_file(follow_symlinks=False) else (False, "not a regular file")
        mode = os.stat(entry.path).st_mode
    except OSError as exc:  # a loop of links, a link to nowhere, a file gone since the listing
        return False, _os_reason(exc)
    if stat.S_ISDIR(mode):
        return False, say("picture.folder_link")
    return (False, None) if stat.S_ISREG(mode) else (False, "not a regular file")


def _check_count(found: list[Found], where: Path) -> None:
    if len(found) > MAX_PICTURES:
        raise DataError(
            f"more than {count(MAX_PICTURES, 'file')} found under {show_path(where)}; "
            "predict a smaller folder at a time"
        )


def _os_reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
    return one_line(printable(text), 200)


# ----- reading ----------------------------------------------------------------------------------------------


def read_picture(path: str | os.PathLike, draft: tuple[int, int] | None = None):
    """The picture in `path` as an 8-bit "L" or "RGB" PIL image, upright (EXIF), transparent parts on white;
    `draft` lets a JPEG decode at a reduced scale no smaller than that size. PictureError says why not."""
    from PIL import Image

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:
        raise PictureError(_os_reason(exc)) from None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise PictureError(say("picture.folder" if stat.S_ISDIR(info.st_mode) else "picture.not_regular"))
            if info.st_size == 0:
                raise PictureError(say("picture.empty"))
            image = _open(handle)
            if draft is not None and image.format == "JPEG":
                image.draft(None, draft)
            image.load()  # inside the `with`: the decoder reads from the open file
            return _flattened(_upright(image))
    except PictureError:
        raise
    except Image.DecompressionBombError:
        raise PictureError(say("picture.megapixels", limit=MAX_PIXELS // 1_000_000)) from None
    except MemoryError:
        raise PictureError(say("picture.no_memory")) from None
    except Exception as exc:  # decoders of damaged files raise all sorts of errors (OSError, SyntaxError, …)
        detail = one_line(printable(str(exc)), 160) or type(exc).__name__
        raise PictureError(say("picture.cannot_decode", reason=detail)) from None


def _open(handle):
    """The header read, nothing decoded yet; refused when it is no PNG, JPEG or BMP or has too many pixels."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # Pillow warns of a large picture, refused below anyway
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(handle, formats=FORMATS)
    except UnidentifiedImageError:
        raise PictureError(say("picture.not_picture_format")) from None
    width, height = image.size
    if width < 1 or height < 1:
        raise PictureError(say("picture.no_pixels", width=width, height=height))
    if width * height > MAX_PIXELS:
        limit = MAX_PIXELS // 1_000_000
        raise PictureError(say("picture.too_many_pixels", width=f"{width:,}", height=f"{height:,}", limit=limit))
    return image


def _upright(image):
    from PIL import ImageOps

    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # an EXIF block too damaged to say how to turn the picture: taken as it is
        return image


def _flattened(image):
    """8-bit "L" or "RGB": wide greyscale scaled down as training does, transparency laid on white paper, other
    modes (palette, CMYK, 1-bit…) converted."""
    from PIL import Image

    if image.mode in _WIDE_GREY:
        return training_conversion(image, "L")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        grey = image.mode in ("LA", "La", "L", "1") or (image.mode in ("P", "PA") and _grey_palette(image))
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L" if grey else "RGB")
    if image.mode in ("L", "RGB"):
        return image
    if image.mode == "1" or (image.mode == "P" and _grey_palette(image)):
        return image.convert("L")
    return image.convert("RGB")


def _grey_palette(image) -> bool:
    palette = np.asarray(image.getpalette() or [0], dtype=np.uint8)
    rgb = palette[: len(palette) // 3 * 3].reshape(-1, 3)
    return bool((rgb == rgb[:, :1]).all())


# ----- preparing --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PictureReader:
    """Pictures made into a model's input (C, H, W), as its training data was made (see the module's text)."""

    shape: tuple[int, int, int]
    drawing: bool  # the MNIST preprocessing of a drawing; else an image folder's conversion
    invert: str = "auto"  # INVERT_CHOICES
    dark_background: bool = True  # the model learned light on dark (its training mean below 0.5)

    @classmethod
    def for_model(
        cls, input_shape: Sequence[int], dataset: str, mean: Sequence[float], invert: str = "auto"
    ) -> PictureReader:
        """For a model with `input_shape`, trained on `dataset` (a name of DATASET_NAMES, "" if unknown: read as a
        drawing when it takes greyscale and learned light on dark) whose training data had per-channel `mean`."""
        shape = tuple(int(side) for side in input_shape)
        if len(shape) != 3 or min(shape) < 1:
            raise DataError(f"this model takes inputs of shape {shape}, not pictures (channels, height, width)")
        if invert not in INVERT_CHOICES:
            raise DataError(f"invert must be one of {', '.join(INVERT_CHOICES)}, not {printable(str(invert))!r}")
        values = [float(v) for v in mean if np.isfinite(v)]
        dark = bool(values) and sum(values) / len(values) < LIGHT
        name = str(dataset or "").strip().lower()
        drawing = name in DRAWING_DATASETS or (not name and shape[0] == 1 and dark)
        if not drawing and shape[0] not in (1, 3):
            raise DataError(f"this model takes {shape[0]}-channel images; pictures are greyscale (1) or RGB (3)")
        return cls(shape, drawing, invert, dark)  # type: ignore[arg-type]

    def describe(self) -> str:
        """One line: how pictures are read for this model."""
        channels, height, width = self.shape
        colour = "greyscale" if channels == 1 else "RGB" if channels == 3 else f"{channels} channels"
        how = "as a drawing (MNIST preprocessing)" if self.drawing else "resized (bilinear)"
        invert = {
            "yes": "always inverted",
            "no": "never inverted",
            "auto": "inverted when mostly light" if self._auto_inverts() else "not inverted",
        }[self.invert]
        return f"{colour} {height}×{width}, {how}, {invert}"

    def _auto_inverts(self) -> bool:
        return self.dark_background and (self.drawing or self.shape[0] == 1)

    def read(self, path: str | os.PathLike, thumbnail: int = 0) -> Picture:
        """The picture in `path` as the model's input; with `thumbnail` > 0, a copy at most that many pixels a
        side too. PictureError says why a file cannot be used."""
        from PIL import Image

        channels, height, width = self.shape
        if self.drawing:
            picture = read_picture(path, (2 * DRAWING_SIDE, 2 * DRAWING_SIDE)).convert("L")
            scale = DRAWING_SIDE / max(picture.size)
            size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
            picture = picture.resize(size, Image.Resampling.BILINEAR)
            ink = np.asarray(picture, dtype=np.float32) / 255.0
            inverted = self._inverts(ink)
            image = preprocess(1.0 - ink if inverted else ink, height, width, channels)
        else:
            picture = read_picture(path)
            converted = training_conversion(picture, "L" if channels == 1 else "RGB")
            if converted.size != (width, height):
                converted = converted.resize((width, height), Image.Resampling.BILINEAR)
            pixels = np.asarray(converted, dtype=np.float32).reshape(height, width, channels) / 255.0
            inverted = self._inverts(pixels)
            image = np.ascontiguousarray((1.0 - pixels if inverted else pixels).transpose(2, 0, 1))
        return Picture(image.astype(np.float32, copy=False), inverted, _thumbnail(picture, thumbnail))

    def _inverts(self, pixels: np.ndarray) -> bool:
        if self.invert != "auto":
            return self.invert == "yes"
        return self._auto_inverts() and float(pixels.mean()) > LIGHT


def _thumbnail(picture, side: int) -> np.ndarray | None:
    if side <= 0:
        return None
    from PIL import Image

    small = picture.copy()
    small.thumbnail((side, side), Image.Resampling.BILINEAR)
    pixels = np.asarray(small, dtype=np.uint8)
    return np.ascontiguousarray(pixels[None] if pixels.ndim == 2 else pixels.transpose(2, 0, 1))
