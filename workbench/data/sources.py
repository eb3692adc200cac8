"""Where datasets come from: the standard files on disk (downloaded when asked) and the built-in digits.

MNIST, Fashion-MNIST and KMNIST use torchvision's layout (`<root>/MNIST/raw/train-images-idx3-ubyte`, ...),
read here with numpy rather than through torchvision, which is much faster and validates every file.
CIFAR-10 uses the "binary version" (`<root>/cifar-10-batches-bin/`), fixed-size records that need no
pickle; torchvision's Python version is read too, with an unpickler that can build numpy arrays and nothing
else, because loading a file must never run code. Image folders are in `workbench.data.folders`.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.client
import importlib.util
import math
import os
import pickle
import struct
import tarfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from workbench.data.folders import read_folder
from workbench.data.images import DataError, ImageSet, ProgressFn, Raw
from workbench.data.location import ENV_DATA_DIR

TIMEOUT = 10.0  # seconds without an answer before a download counts as offline
DOWNLOAD_CHUNK = 1 << 20
MAX_FILE_BYTES = 1 << 30  # no dataset file here is near this; a bigger one is not what we expect

DIGIT_NAMES = tuple(str(d) for d in range(10))
FASHION_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
KMNIST_NAMES = ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo")
CIFAR10_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")


def read(
    name: str,
    root: Path,
    folder: str | os.PathLike | None,
    download: bool,
    progress: ProgressFn | None,
    image_size: tuple[int, int] | None,
) -> Raw:
    if name in IDX_SETS:
        return read_idx_set(name, root, download, progress)
    if name == "cifar10":
        return read_cifar10(root, download, progress)
    if name == "digits":
        return read_digits()
    return read_folder(folder, image_size, progress)


# --- MNIST-style IDX files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdxSet:
    folder: str  # torchvision's folder name, which is also its dataset class name
    short: str
    title: str
    class_names: tuple[str, ...]


IDX_SETS = {
    "mnist": IdxSet("MNIST", "MNIST", "MNIST handwritten digits", DIGIT_NAMES),
    "fashion-mnist": IdxSet("FashionMNIST", "Fashion-MNIST", "Fashion-MNIST clothing", FASHION_NAMES),
    "kmnist": IdxSet("KMNIST", "KMNIST", "Kuzushiji-MNIST cursive Japanese", KMNIST_NAMES),
}
IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def read_idx_set(name: str, root: Path, download: bool, progress: ProgressFn | None) -> Raw:
    spec = IDX_SETS[name]
    raw = root / spec.folder / "raw"
    _gunzip_missing(raw, progress)
    missing = [f for f in IDX_FILES if not (raw / f).is_file()]
    if missing:
        elsewhere = f"set {ENV_DATA_DIR} to a folder that has {spec.folder}/raw/ with them"
        wanted = f"put {', '.join(IDX_FILES)} there, or {elsewhere}"
        if not download:
            raise DataError(f"{spec.short} is not in {raw}; {wanted}")
        reason = _download_idx(spec, raw, missing, progress)
        if reason:
            raise DataError(f"{spec.short} is not in {raw} and could not be downloaded ({reason}); {wanted}")
    train = _idx_pair(raw / IDX_FILES[0], raw / IDX_FILES[1], len(spec.class_names))
    test = _idx_pair(raw / IDX_FILES[2], raw / IDX_FILES[3], len(spec.class_names))
    if train.images.shape[1:] != test.images.shape[1:]:
        raise DataError(f"the train and test images in {raw} differ in size; replace the files with matching ones")
    return Raw(spec.title, spec.class_names, train, test)


def read_idx(path: Path, ndim: int) -> np.ndarray:
    """An IDX file of unsigned bytes with `ndim` dimensions (3: images, 1: labels), checked against its header."""
    head = 4 + 4 * ndim
    buf = _read_bytes(path)
    kind = "images" if ndim == 3 else "labels"
    if len(buf) < head or buf[0:2] != b"\0\0" or buf[2] != 0x08 or buf[3] != ndim:
        raise DataError(f"{path} is not an IDX file of {kind} (wrong magic number); replace it with a good copy")
    dims = struct.unpack_from(f">{ndim}I", buf, 4)
    expected = head + math.prod(dims)
    if len(buf) != expected:
        state = "truncated" if len(buf) < expected else "longer than its header says"
        raise DataError(
            f"{path} is {state} ({len(buf):,} bytes, expected {expected:,}); delete it to download it again, "
            "or replace it with a good copy"
        )
    return np.frombuffer(buf, dtype=np.uint8, offset=head).reshape(dims)


def _idx_pair(images_path: Path, labels_path: Path, num_classes: int) -> ImageSet:
    images, labels = read_idx(images_path, 3), read_idx(labels_path, 1)
    if len(images) != len(labels):
        raise DataError(f"{images_path} has {len(images):,} images but {labels_path} has {len(labels):,} labels")
    if len(labels) and labels.max() >= num_classes:
        raise DataError(f"{labels_path} has label {labels.max()}, but this dataset has {num_classes} classes")
    return ImageSet(torch.from_numpy(images).unsqueeze(1), torch.from_numpy(labels).long())


def _read_bytes(path: Path) -> bytearray:
    """The whole file in a writable buffer (so torch can share it without a copy or a warning)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(f"{path} is {size:,} bytes, far larger than this dataset's files; replace it")
        buf = bytearray(size)
        with open(path, "rb") as handle:
            got = handle.readinto(buf)
    except OSError as exc:
        raise DataError(f"cannot read {path}: {exc.strerror or exc}") from None
    return buf[:got] if got != size else buf


def _gunzip_missing(raw: Path, progress: ProgressFn | None) -> None:
    for name in IDX_FILES:
        packed, target = raw / f"{name}.gz", raw / name
        if packed.is_file() and not target.is_file():
            _gunzip(packed, target, progress)


def _gunzip(packed: Path, target: Path, progress: ProgressFn | None) -> None:
    _report(progress, f"Unpacking {packed.name}", 0, 0)
    part = target.with_name(target.name + ".part")
    try:
        with gzip.open(packed, "rb") as source, open(part, "wb") as out:
            written = 0
            while chunk := source.read(DOWNLOAD_CHUNK):
                written += len(chunk)
                if written > MAX_FILE_BYTES:
                    raise DataError(f"{packed} unpacks to more than {MAX_FILE_BYTES:,} bytes; replace it")
                out.write(chunk)
        os.replace(part, target)
    except (OSError, EOFError, zlib.error) as exc:
        raise DataError(f"cannot unpack {packed} ({exc}); delete it to download it again") from None
    finally:
        part.unlink(missing_ok=True)


def _download_idx(spec: IdxSet, raw: Path, missing: list[str], progress: ProgressFn | None) -> str:
    """Download and unpack the missing files; returns why it failed, or "" when all arrived."""
    import torchvision.datasets  # only here: importing it takes seconds

    source = getattr(torchvision.datasets, spec.folder)
    md5s = dict(source.resources)
    _make_dir(raw)
    for name in missing:
        packed = f"{name}.gz"
        reason = f"no known download address for {packed}"
        for mirror in source.mirrors:
            reason = _fetch(f"{mirror}{packed}", raw / packed, md5s.get(packed), progress)
            if not reason:
                break
        if reason:
            return reason
        _gunzip(raw / packed, raw / name, progress)
    return ""


# --- Downloads --------------------------------------------------------------------------------------------


def _fetch(url: str, target: Path, md5: str | None, progress: ProgressFn | None) -> str:
    """Stream `url` to `target` (through a temporary file, checked against `md5`); returns why it failed, or ""."""
    part = target.with_name(target.name + ".part")
    message = f"Downloading {target.name}"
    digest = hashlib.md5(usedforsecurity=False)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "cnn-workbench"})
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            _report(progress, message, done, total)
            while chunk := response.read(DOWNLOAD_CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                _report(progress, message, done, total)
        if md5 and digest.hexdigest() != md5:
            return f"{url} arrived damaged (checksum mismatch)"
        os.replace(part, target)
        return ""
    except urllib.error.HTTPError as exc:
        return f"{url} answered {exc.code} {exc.reason}"
    except urllib.error.URLError as exc:
        return f"no network: {exc.reason}"
    except TimeoutError:
        return f"no network: no answer from {url} within {TIMEOUT:g} s"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return f"download failed: {exc}"
    finally:
        part.unlink(missing_ok=True)


def _report(progress: ProgressFn | None, message: str, done: int, total: int) -> None:
    if progress is not None:
        progress(message, done, total)


def _make_dir(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"cannot create {path} ({exc.strerror or exc}); set {ENV_DATA_DIR} to a folder you can write to"
        ) from None


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        while chunk := handle.read(DOWNLOAD_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- CIFAR-10 ---------------------------------------------------------------------------------------------

CIFAR_BIN = "cifar-10-batches-bin"
CIFAR_BIN_FILES = (*(f"data_batch_{i}.bin" for i in range(1, 6)), "test_batch.bin")
CIFAR_PY = "cifar-10-batches-py"
CIFAR_PY_FILES = (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch")
CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR_MD5 = "c32a1d4ab5d03f1284b67883e8d87530"
CIFAR_TITLE = "CIFAR-10 small colour photos"
CIFAR_PIXELS = 3 * 32 * 32


def read_cifar10(root: Path, download: bool, progress: ProgressFn | None) -> Raw:
    folder, python = root / CIFAR_BIN, root / CIFAR_PY
    if not all((folder / f).is_file() for f in CIFAR_BIN_FILES):
        if all((python / f).is_file() for f in CIFAR_PY_FILES):
            batches = [_cifar_python_batch(python / f) for f in CIFAR_PY_FILES]
            return Raw(CIFAR_TITLE, CIFAR10_NAMES, _concat(batches[:5]), batches[5])
        wanted = (
            f"put {', '.join(CIFAR_BIN_FILES)} there "
            "(the binary version from https://www.cs.toronto.edu/~kriz/cifar.html), "
            f"or set {ENV_DATA_DIR} to a folder that has {CIFAR_BIN}/ with them"
        )
        if not download:
            raise DataError(f"CIFAR-10 is not in {folder}; {wanted}")
        reason = _download_cifar(root, progress)
        if reason:
            raise DataError(f"CIFAR-10 is not in {folder} and could not be downloaded ({reason}); {wanted}")
    batches = [_cifar_binary_batch(folder / f) for f in CIFAR_BIN_FILES]
    return Raw(CIFAR_TITLE, CIFAR10_NAMES, _concat(batches[:5]), batches[5])


def _cifar_binary_batch(path: Path) -> ImageSet:
    """Records of one label byte and 3×32×32 pixel bytes (red plane, green, blue; rows top to bottom)."""
    buf = _read_bytes(path)
    record = 1 + CIFAR_PIXELS
    if not buf or len(buf) % record:
        raise DataError(
            f"{path} is not a CIFAR-10 binary batch ({len(buf):,} bytes is not a whole number of "
            f"{record}-byte records); replace it with a good copy"
        )
    rows = np.frombuffer(buf, dtype=np.uint8).reshape(-1, record)
    return _cifar_set(path, rows[:, 1:], rows[:, 0])


def _cifar_set(path: Path, pixels: np.ndarray, labels: np.ndarray) -> ImageSet:
    if len(labels) and labels.max() >= len(CIFAR10_NAMES):
        raise DataError(f"{path} has label {labels.max()}, but CIFAR-10 has 10 classes; replace it with a good copy")
    images = torch.from_numpy(np.ascontiguousarray(pixels).reshape(-1, 3, 32, 32))
    return ImageSet(images, torch.from_numpy(labels.astype(np.int64)))


def _concat(sets: list[ImageSet]) -> ImageSet:
    return ImageSet(torch.cat([s.images for s in sets]), torch.cat([s.labels for s in sets]))


class _ArraysOnly(pickle.Unpickler):
    """Unpickles plain containers and numpy arrays only: any other class or function is refused, so a
    crafted file cannot run code. The CIFAR-10 Python batches need nothing more."""

    ALLOWED = frozenset(
        {
            ("numpy.core.multiarray", "_reconstruct"),
            ("numpy._core.multiarray", "_reconstruct"),
            ("numpy", "ndarray"),
            ("numpy", "dtype"),
        }
    )

    def find_class(self, module: str, name: str) -> object:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"refusing {module}.{name}")
        if name == "_reconstruct":
            try:
                from numpy._core.multiarray import _reconstruct
            except ImportError:  # numpy < 2
                from numpy.core.multiarray import _reconstruct
            return _reconstruct
        return getattr(np, name)


def _cifar_python_batch(path: Path) -> ImageSet:
    hint = f"replace it, or use the binary version in {path.parent.parent / CIFAR_BIN}"
    try:
        with open(path, "rb") as handle:
            entry = _ArraysOnly(handle, encoding="latin1").load()
    except Exception as exc:  # a parser of untrusted bytes: any failure means "not a CIFAR batch"
        raise DataError(f"{path} is not a CIFAR-10 batch ({exc}); {hint}") from None
    pixels = entry.get("data") if isinstance(entry, dict) else None
    labels = entry.get("labels") if isinstance(entry, dict) else None
    ok = isinstance(pixels, np.ndarray) and pixels.dtype == np.uint8 and pixels.ndim == 2
    ok = ok and pixels.shape[1] == CIFAR_PIXELS and isinstance(labels, list) and len(labels) == len(pixels)
    if not ok or not all(isinstance(v, int) and v >= 0 for v in labels):
        raise DataError(f"{path} is not a CIFAR-10 batch (no uint8 'data' rows with matching 'labels'); {hint}")
    return _cifar_set(path, pixels, np.array(labels, dtype=np.int64))


def _download_cifar(root: Path, progress: ProgressFn | None) -> str:
    """Download (unless already there) and safely unpack the binary version; returns why it failed, or ""."""
    _make_dir(root)
    archive = root / CIFAR_URL.rsplit("/", 1)[1]
    if not (archive.is_file() and _md5(archive) == CIFAR_MD5):
        reason = _fetch(CIFAR_URL, archive, CIFAR_MD5, progress)
        if reason:
            return reason
    _report(progress, f"Unpacking {archive.name}", 0, 0)
    wanted = {f"{CIFAR_BIN}/{f}" for f in CIFAR_BIN_FILES}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.name in wanted]
            if hasattr(tarfile, "data_filter"):
                tar.extractall(root, members=members, filter="data")
            else:  # older Pythons: the member list above already excludes links and odd paths
                tar.extractall(root, members=members)
    except (OSError, EOFError, tarfile.TarError, zlib.error) as exc:
        raise DataError(f"cannot unpack {archive} ({exc}); delete it to download it again") from None
    return ""


# --- Built-in digits ---------------------------------------------------------------------------------------


def read_digits() -> Raw:
    images, labels = _framed_digits()
    return Raw("Handwritten digits (built in)", DIGIT_NAMES, ImageSet(images.clone(), labels.clone()), None)


@functools.cache
def _framed_digits() -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's 1,797 handwritten 8×8 digits, framed like MNIST: each digit scaled (keeping its aspect
    ratio) to fit a 20×20 box, then placed in a black 28×28 image with its centre of mass at the centre.
    Cached: framing takes a moment."""
    pixels, targets = _digits_table()
    source = torch.from_numpy(pixels).double() * (255.0 / 16.0)
    images = torch.zeros(len(source), 1, 28, 28, dtype=torch.uint8)
    for i, digit in enumerate(source):
        images[i, 0] = mnist_frame(digit)
    return images, torch.from_numpy(targets).long()


def _digits_table() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 8, 8) in 0..16, labels) read from the CSV file scikit-learn ships, without importing
    scikit-learn: its import pulls in scipy (a second or two) and once stalled on a worker thread."""
    spec = importlib.util.find_spec("sklearn")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise DataError("the built-in digits come with scikit-learn; install it: pip install scikit-learn")
    table = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "data" / "digits.csv.gz"
    if not table.is_file():
        from sklearn.datasets import load_digits  # a layout this reader does not know: ask scikit-learn

        bunch = load_digits()
        return bunch.images, bunch.target
    with gzip.open(table, "rt") as text:
        data = np.loadtxt(text, delimiter=",")
    return data[:, :-1].reshape(-1, 8, 8), data[:, -1].astype(np.int64)


def mnist_frame(digit: torch.Tensor, box: int = 20, size: int = 28) -> torch.Tensor:
    """One greyscale image (H, W, values 0..255) cropped to its ink, resized to fit `box` and centred by
    mass in a `size`×`size` uint8 image."""
    rows = (digit > 0).any(1).nonzero().flatten()
    cols = (digit > 0).any(0).nonzero().flatten()
    out = torch.zeros(size, size, dtype=torch.uint8)
    if len(rows) == 0:
        return out
    crop = digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    scale = box / max(crop.shape)
    h, w = (max(1, round(n * scale)) for n in crop.shape)
    big = F.interpolate(crop[None, None], size=(h, w), mode="bicubic", align_corners=False)[0, 0].clamp(0, 255)
    mass = big.sum()
    cy = float((big.sum(1) * torch.arange(h, dtype=big.dtype)).sum() / mass)
    cx = float((big.sum(0) * torch.arange(w, dtype=big.dtype)).sum() / mass)
    centre = (size - 1) / 2
    top = min(max(round(centre - cy), 0), size - h)
    left = min(max(round(centre - cx), 0), size - w)
    out[top : top + h, left : left + w] = big.round().to(torch.uint8)
    return out
