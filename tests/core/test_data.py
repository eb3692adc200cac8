"""Datasets: IDX/CIFAR/folder readers on tiny generated files, the offline and download paths with a fake
network, the built-in digits, splits and statistics, and the batching/augmentation fast path."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import pickle
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import torch

from workbench.data import sources as data_sources
from workbench.data.datasets import (
    DATASET_NAMES,
    affine,
    augment_batch,
    black_value,
    iterate_batches,
    load_dataset,
    num_batches,
    sample_images,
    to_device,
)
from workbench.data.images import DataError, ImageSet
from workbench.data.location import data_dir, default_data_dir

IDX_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def idx_bytes(array: np.ndarray) -> bytes:
    return bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def make_mnist(root: Path, n_train=60, n_test=20, gz=False, folder="MNIST", seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    arrays = {
        IDX_FILES[0]: rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        IDX_FILES[1]: rng.integers(0, 10, n_train, dtype=np.uint8),
        IDX_FILES[2]: rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        IDX_FILES[3]: rng.integers(0, 10, n_test, dtype=np.uint8),
    }
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    for name, array in arrays.items():
        if gz:
            (raw / f"{name}.gz").write_bytes(gzip.compress(idx_bytes(array)))
        else:
            (raw / name).write_bytes(idx_bytes(array))
    return arrays


def as_rows(images: ImageSet) -> list[tuple[bytes, int]]:
    return sorted((img.numpy().tobytes(), int(label)) for img, label in zip(images.images, images.labels, strict=True))


@pytest.fixture
def offline(monkeypatch):
    """urlopen that fails like a machine without network; records its calls."""
    calls = []

    def fail(request, *args, **kwargs):
        calls.append(getattr(request, "full_url", request))
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(urllib.request, "urlopen", fail)
    return calls


# --- IDX (MNIST-style) -------------------------------------------------------------------------------------


def test_idx_files_load_exactly(tmp_path):
    arrays = make_mnist(tmp_path)
    ds = load_dataset("mnist", tmp_path, val_fraction=0.25, seed=1, download=False)
    assert ds.name == "mnist" and ds.class_names == tuple("0123456789") and ds.input_shape == (1, 28, 28)
    assert (len(ds.train), len(ds.val), len(ds.test)) == (45, 15, 20)
    assert torch.equal(ds.test.images[:, 0], torch.from_numpy(arrays[IDX_FILES[2]]))
    assert torch.equal(ds.test.labels, torch.from_numpy(arrays[IDX_FILES[3]]).long())
    original = ImageSet(
        torch.from_numpy(arrays[IDX_FILES[0]]).unsqueeze(1), torch.from_numpy(arrays[IDX_FILES[1]]).long()
    )
    both = ImageSet(torch.cat([ds.train.images, ds.val.images]), torch.cat([ds.train.labels, ds.val.labels]))
    assert as_rows(both) == as_rows(original)
    for split in (ds.train, ds.val, ds.test):
        assert split.images.dtype == torch.uint8 and split.labels.dtype == torch.int64
    assert ds.split("val") is ds.val
    with pytest.raises(DataError, match="unknown split"):
        ds.split("validation")


def test_val_split_is_seeded_random_and_disjoint(tmp_path):
    make_mnist(tmp_path, n_train=200)

    def val_rows(seed):
        return as_rows(load_dataset("mnist", tmp_path, seed=seed, download=False).val)

    ds = load_dataset("mnist", tmp_path, seed=3, download=False)
    assert len(ds.val) == 20 and len(ds.train) == 180
    assert val_rows(3) == as_rows(ds.val)
    assert val_rows(4) != val_rows(3)
    assert not set(as_rows(ds.val)) & set(as_rows(ds.train))
    first = data_sources.read_idx(tmp_path / "MNIST" / "raw" / IDX_FILES[0], 3)[:20]
    assert not torch.equal(ds.val.images[:, 0], torch.from_numpy(first))  # not simply the first 20


def test_mean_and_std_match_numpy(tmp_path):
    make_mnist(tmp_path)
    ds = load_dataset("mnist", tmp_path, download=False)
    pixels = ds.train.images.numpy().astype(np.float64) / 255
    assert ds.mean == pytest.approx((pixels.mean(),), abs=1e-12)
    assert ds.std == pytest.approx((pixels.std(),), abs=1e-12)


def test_zero_val_fraction_gives_an_empty_val_split_of_the_right_shape(tmp_path):
    make_mnist(tmp_path)
    ds = load_dataset("mnist", tmp_path, val_fraction=0, download=False)
    assert ds.val.images.shape == (0, 1, 28, 28) and ds.val.labels.shape == (0,)
    assert len(ds.train) == 60


def test_limit_takes_a_seeded_subset(tmp_path):
    arrays = make_mnist(tmp_path, n_train=100, n_test=40)
    ds = load_dataset("mnist", tmp_path, limit=20, download=False)
    assert len(ds.train) + len(ds.val) == 20 and len(ds.val) == 2 and len(ds.test) == 4
    first = {img.tobytes() for img in arrays[IDX_FILES[0]][:20]}
    assert {img.numpy().tobytes() for img in ds.train.images[:, 0]} - first  # not the first 20
    again = load_dataset("mnist", tmp_path, limit=20, download=False)
    assert torch.equal(again.train.images, ds.train.images)


def test_constant_images_get_std_one(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name, array in zip(IDX_FILES, [np.zeros((10, 4, 4), np.uint8), np.arange(10, dtype=np.uint8)] * 2, strict=True):
        (raw / name).write_bytes(idx_bytes(array))
    ds = load_dataset("mnist", tmp_path, download=False)
    assert ds.mean == (0.0,) and ds.std == (1.0,) and ds.input_shape == (1, 4, 4)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-100], "truncated"),
        (lambda b: b + b"extra", "longer than its header"),
        (lambda b: b"\x00\x00\x08\x01" + b[4:], "not an IDX file of images"),
        (lambda b: b"PK\x03\x04" + b[4:], "wrong magic number"),
        (lambda b: b[:3], "not an IDX file"),
        (lambda b: b"", "not an IDX file"),
    ],
)
def test_damaged_idx_file_is_a_data_error(tmp_path, damage, message):
    make_mnist(tmp_path)
    path = tmp_path / "MNIST" / "raw" / IDX_FILES[0]
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DataError, match=message) as info:
        load_dataset("mnist", tmp_path, download=False)
    assert str(path) in str(info.value)


def test_mismatched_labels_are_a_data_error(tmp_path):
    make_mnist(tmp_path)
    labels = tmp_path / "MNIST" / "raw" / IDX_FILES[1]
    labels.write_bytes(idx_bytes(np.zeros(59, np.uint8)))
    with pytest.raises(DataError, match=r"60 images but .* 59 labels"):
        load_dataset("mnist", tmp_path, download=False)
    labels.write_bytes(idx_bytes(np.full(60, 10, np.uint8)))
    with pytest.raises(DataError, match="label 10, but this dataset has 10 classes"):
        load_dataset("mnist", tmp_path, download=False)


def test_gzip_only_files_are_unpacked(tmp_path):
    arrays = make_mnist(tmp_path, gz=True, folder="FashionMNIST")
    ds = load_dataset("fashion-mnist", tmp_path, download=False)
    assert ds.class_names[0] == "T-shirt/top" and len(ds.test) == 20
    assert torch.equal(ds.test.images[:, 0], torch.from_numpy(arrays[IDX_FILES[2]]))
    assert all((tmp_path / "FashionMNIST" / "raw" / name).is_file() for name in IDX_FILES)


def test_damaged_gzip_is_a_data_error(tmp_path):
    make_mnist(tmp_path, gz=True)
    packed = tmp_path / "MNIST" / "raw" / f"{IDX_FILES[0]}.gz"
    packed.write_bytes(packed.read_bytes()[:50])
    with pytest.raises(DataError, match="cannot unpack"):
        load_dataset("mnist", tmp_path, download=False)
    assert not (tmp_path / "MNIST" / "raw" / IDX_FILES[0]).exists()


def test_missing_files_offline_name_the_folder_and_files(tmp_path, offline):
    with pytest.raises(DataError) as info:
        load_dataset("mnist", tmp_path, download=False)
    message = str(info.value)
    assert offline == []
    assert str(tmp_path / "MNIST" / "raw") in message and "downloaded" not in message
    assert all(name in message for name in IDX_FILES) and "WORKBENCH_DATA_DIR" in message

    with pytest.raises(DataError) as info:
        load_dataset("kmnist", tmp_path, download=True)
    message = str(info.value)
    assert offline and all(url.startswith("http") for url in offline)
    assert str(tmp_path / "KMNIST" / "raw") in message and "could not be downloaded (no network:" in message
    assert all(name in message for name in IDX_FILES)
    assert not list((tmp_path / "KMNIST" / "raw").iterdir())  # no partial files left behind


class FakeResponse(io.BytesIO):
    def __init__(self, body: bytes):
        super().__init__(body)
        self.headers = {"Content-Length": str(len(body))}


def test_download_streams_checks_and_unpacks(tmp_path, monkeypatch):
    import torchvision.datasets

    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 10, 30, dtype=np.uint8)] * 2
    served = {f"{n}.gz": gzip.compress(idx_bytes(a)) for n, a in zip(IDX_FILES, arrays, strict=True)}
    md5s = [(name, hashlib.md5(body).hexdigest()) for name, body in served.items()]
    monkeypatch.setattr(torchvision.datasets.MNIST, "mirrors", ["https://dead.example/", "https://ok.example/"])
    monkeypatch.setattr(torchvision.datasets.MNIST, "resources", md5s)

    def urlopen(request, timeout):
        assert timeout <= 30
        if request.full_url.startswith("https://dead"):
            raise TimeoutError("timed out")
        return FakeResponse(served[request.full_url.rsplit("/", 1)[1]])

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    reports = []
    ds = load_dataset("mnist", tmp_path, progress=lambda *args: reports.append(args), val_fraction=0)
    assert torch.equal(ds.train.images[:, 0], torch.from_numpy(arrays[0]))
    size = len(served[f"{IDX_FILES[0]}.gz"])
    assert ("Downloading train-images-idx3-ubyte.gz", size, size) in reports

    (tmp_path / "MNIST" / "raw" / IDX_FILES[3]).unlink()
    (tmp_path / "MNIST" / "raw" / f"{IDX_FILES[3]}.gz").unlink()
    served[f"{IDX_FILES[3]}.gz"] = b"tampered"
    with pytest.raises(DataError, match="checksum mismatch"):
        load_dataset("mnist", tmp_path)


# --- CIFAR-10 -----------------------------------------------------------------------------------------------


def cifar_batch(rng, n):
    return rng.integers(0, 256, (n, 3072), dtype=np.uint8), rng.integers(0, 10, n, dtype=np.uint8)


def test_cifar_binary_version(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "cifar-10-batches-bin"
    folder.mkdir()
    batches = [cifar_batch(rng, 4) for _ in range(6)]
    for name, (pixels, labels) in zip(data_sources.CIFAR_BIN_FILES, batches, strict=True):
        (folder / name).write_bytes(np.concatenate([labels[:, None], pixels], axis=1).tobytes())
    ds = load_dataset("cifar10", tmp_path, val_fraction=0, download=False)
    assert ds.input_shape == (3, 32, 32) and ds.class_names[0] == "airplane" and len(ds.train) == 20
    assert torch.equal(ds.test.images.reshape(4, -1), torch.from_numpy(batches[5][0]))
    assert torch.equal(ds.test.labels, torch.from_numpy(batches[5][1]).long())
    assert len(ds.mean) == 3 and len(ds.std) == 3

    (folder / "test_batch.bin").write_bytes(b"\x01" * 3000)
    with pytest.raises(DataError, match="not a CIFAR-10 binary batch"):
        load_dataset("cifar10", tmp_path, download=False)


def test_cifar_python_version_is_read_without_running_code(tmp_path):
    rng = np.random.default_rng(0)
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    batches = [cifar_batch(rng, 3) for _ in range(6)]
    for name, (pixels, labels) in zip(data_sources.CIFAR_PY_FILES, batches, strict=True):
        entry = {"batch_label": "x", "data": pixels, "labels": [int(v) for v in labels], "filenames": ["a"] * 3}
        (folder / name).write_bytes(pickle.dumps(entry, protocol=4))
    ds = load_dataset("cifar10", tmp_path, val_fraction=0, download=False)
    assert len(ds.train) == 15 and torch.equal(ds.test.images.reshape(3, -1), torch.from_numpy(batches[5][0]))

    marker = tmp_path / "pwned"
    (folder / "test_batch").write_bytes(pickle.dumps(Exploit(str(marker))))
    with pytest.raises(DataError, match="not a CIFAR-10 batch"):
        load_dataset("cifar10", tmp_path, download=False)
    assert not marker.exists()


class Exploit:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_cifar_missing_offline(tmp_path, offline):
    with pytest.raises(DataError, match="could not be downloaded") as info:
        load_dataset("cifar10", tmp_path)
    assert offline == [data_sources.CIFAR_URL]
    assert str(tmp_path / "cifar-10-batches-bin") in str(info.value) and "data_batch_1.bin" in str(info.value)


# --- Built-in digits ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    return load_dataset("digits", val_fraction=0.1, seed=0)


def test_digits_are_mnist_like(digits, offline):
    ds = digits
    assert ds.class_names == tuple("0123456789") and ds.input_shape == (1, 28, 28)
    assert len(ds.train) + len(ds.val) + len(ds.test) == 1797
    assert len(ds.test) == pytest.approx(0.2 * 1797, abs=5)
    assert len(ds.val) == pytest.approx(0.1 * (1797 - len(ds.test)), abs=2)
    assert set(ds.test.labels.tolist()) == set(range(10)) and set(ds.val.labels.tolist()) == set(range(10))
    images = torch.cat([ds.train.images, ds.test.images]).double()[:, 0]
    mass = images.sum((1, 2))
    grid = torch.arange(28, dtype=torch.float64)
    cy = (images.sum(2) * grid).sum(1) / mass
    cx = (images.sum(1) * grid).sum(1) / mass
    assert (cy - 13.5).abs().max() < 1.5 and (cx - 13.5).abs().max() < 1.5
    ink = images > 0
    rows, cols = ink.any(2), ink.any(1)
    height = 28 - rows.int().argmax(1) - rows.flip(1).int().argmax(1)
    width = 28 - cols.int().argmax(1) - cols.flip(1).int().argmax(1)
    assert height.max() <= 22 and width.max() <= 22 and torch.maximum(height, width).min() >= 18
    assert images.max() == 255 and 0.1 < ds.mean[0] < 0.25


def test_digits_are_read_from_scikit_learns_file_without_importing_it():
    """Importing scikit-learn pulls in scipy and once stalled on a worker thread: the table is read directly."""
    script = (
        "import sys; from workbench.data.sources import _digits_table; images, labels = _digits_table(); "
        "print(images.shape, labels.shape, 'sklearn' in sys.modules, 'scipy' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert found.stdout.split() == ["(1797,", "8,", "8)", "(1797,)", "False", "False"]
    from sklearn.datasets import load_digits

    images, labels = data_sources._digits_table()
    bunch = load_digits()
    assert np.array_equal(images, bunch.images) and np.array_equal(labels, bunch.target)


def test_digits_split_is_seeded(digits):
    again = load_dataset("digits", val_fraction=0.1, seed=0)
    other = load_dataset("digits", val_fraction=0.1, seed=1)
    assert torch.equal(again.val.images, digits.val.images) and torch.equal(again.test.images, digits.test.images)
    assert not torch.equal(other.val.images, digits.val.images)
    assert torch.equal(other.test.images, digits.test.images)  # the test split does not move with the seed


def test_sample_images_takes_the_first_of_each_class(digits):
    samples = sample_images(digits, "train", per_class=2)
    assert samples.labels.tolist() == [c for c in range(10) for _ in range(2)]
    labels = digits.train.labels
    first_threes = (labels == 3).nonzero().flatten()[:2]
    assert torch.equal(samples.images[6:8], digits.train.images[first_threes])
    assert len(sample_images(digits, "test", per_class=1)) == 10


# --- Image folders ------------------------------------------------------------------------------------------


def write_images(folder: Path, classes: dict[str, int], mode="L", size=(12, 10), seed=0):
    from PIL import Image

    rng = np.random.default_rng(seed)
    for name, count in classes.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            shape = (size[1], size[0]) if mode == "L" else (size[1], size[0], 3)
            Image.fromarray(rng.integers(0, 256, shape, dtype=np.uint8), mode).save(folder / name / f"{i}.png")


def test_greyscale_folder(tmp_path):
    write_images(tmp_path / "set", {"cat": 10, "dog": 10, "emu": 5})
    (tmp_path / "set" / "cat" / "notes.txt").write_text("not an image")
    (tmp_path / "set" / "cat" / ".hidden.png").write_bytes(b"junk")
    ds = load_dataset("folder", folder=tmp_path / "set", val_fraction=0)
    assert ds.class_names == ("cat", "dog", "emu") and ds.input_shape == (1, 10, 12)
    assert len(ds.train) + len(ds.test) == 25 and len(ds.test) == 5
    assert set(ds.test.labels.tolist()) == {0, 1, 2}


def test_rgb_folder_resized_and_split_folders(tmp_path):
    from PIL import Image

    write_images(tmp_path / "set" / "train", {"a": 4, "b": 4}, mode="RGB", size=(16, 8))
    write_images(tmp_path / "set" / "test", {"a": 2, "b": 1}, mode="L", size=(16, 8), seed=1)
    Image.new("RGB", (40, 40), (255, 0, 0)).save(tmp_path / "set" / "train" / "a" / "big.jpg")
    ds = load_dataset("folder", folder=tmp_path / "set", val_fraction=0, image_size=(6, 7))
    assert ds.input_shape == (3, 6, 7) and len(ds.train) == 9 and len(ds.test) == 3
    assert ds.test.labels.tolist() == [0, 0, 1]
    red = ds.train.images[4]  # a/big.jpg, after a/0.png .. a/3.png
    assert red[0].min() > 230 and red[1:].max() < 25
    default = load_dataset("folder", folder=tmp_path / "set", val_fraction=0)
    assert default.input_shape == (3, 8, 16)  # the most common size


def test_large_images_are_scaled_down_by_default(tmp_path):
    write_images(tmp_path / "set", {"a": 2, "b": 2}, size=(200, 100))
    ds = load_dataset("folder", folder=tmp_path / "set")
    assert ds.input_shape == (1, 32, 64)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.mkdir(), "has no images"),
        (lambda p: write_images(p, {"only": 3}), "only one class"),
        (lambda p: (write_images(p, {"a": 1}), (p / "a" / "0.png").rename(p / "loose.png")), "no class sub-folders"),
        (lambda p: (write_images(p, {"a": 2, "b": 2}), (p / "b" / "1.png").write_bytes(b"broken")), "1.png"),
        (lambda p: p.write_text("a file"), "is not a folder"),
    ],
)
def test_bad_folders_are_data_errors(tmp_path, setup, message):
    setup(tmp_path / "set")
    with pytest.raises(DataError, match=message):
        load_dataset("folder", folder=tmp_path / "set")


def test_folder_needs_a_folder_and_size_is_folder_only(tmp_path):
    with pytest.raises(DataError, match="choose an image folder"):
        load_dataset("folder")
    with pytest.raises(DataError, match="image size"):
        load_dataset("mnist", tmp_path, image_size=(14, 14), download=False)
    with pytest.raises(DataError, match="unknown dataset"):
        load_dataset("imagenet", tmp_path)


# --- Data folder ---------------------------------------------------------------------------------------------


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert data_dir() == tmp_path / "env"
    monkeypatch.delenv("WORKBENCH_DATA_DIR")
    assert data_dir() == default_data_dir()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "cnn-workbench" / "data"


def test_class_names_match_torchvision():
    import torchvision.datasets as tv

    assert load_names("fashion-mnist") == tuple(tv.FashionMNIST.classes)
    assert load_names("kmnist") == tuple(tv.KMNIST.classes)
    assert set(DATASET_NAMES) == {"mnist", "fashion-mnist", "kmnist", "cifar10", "digits", "folder"}


def load_names(name):
    return data_sources.IDX_SETS[name].class_names


# --- Fast path ------------------------------------------------------------------------------------------------


def small_set(n=23, c=2, seed=0) -> ImageSet:
    g = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n, c, 5, 4), generator=g, dtype=torch.uint8)
    return ImageSet(images, torch.arange(n, dtype=torch.int64))


def test_to_device_normalises():
    images = small_set()
    mean, std = (0.2, 0.6), (0.3, 0.1)
    x, y = to_device(images, mean, std, "cpu")
    expected = (images.images.double() / 255 - torch.tensor(mean).view(1, 2, 1, 1)) / torch.tensor(std).view(1, 2, 1, 1)
    assert x.dtype == torch.float32 and torch.allclose(x.double(), expected, atol=1e-5)
    assert torch.equal(y, images.labels)
    with pytest.raises(ValueError, match="one per channel"):
        to_device(images, (0.1,), (0.2,), "cpu")


@pytest.mark.parametrize(("batch_size", "drop_last"), [(5, False), (5, True), (23, False), (50, False), (50, True)])
def test_iterate_batches_covers_each_sample_once(batch_size, drop_last):
    x, y = to_device(small_set(), (0.5, 0.5), (0.5, 0.5), "cpu")
    g = torch.Generator().manual_seed(7)
    batches = list(iterate_batches(x, y, batch_size, shuffle=True, generator=g, drop_last=drop_last))
    assert len(batches) == num_batches(23, batch_size, drop_last)
    sizes = [len(b[1]) for b in batches]
    assert all(s == batch_size for s in sizes[:-1])
    seen = torch.cat([b[1] for b in batches]) if batches else torch.empty(0, dtype=torch.int64)
    if drop_last:
        assert len(seen) == 23 // batch_size * batch_size and len(set(seen.tolist())) == len(seen)
    else:
        assert sorted(seen.tolist()) == list(range(23)) and sizes[-1] == 23 - batch_size * (len(sizes) - 1)
    for bx, by in batches:
        assert torch.equal(bx, x[by])
    again = list(iterate_batches(x, y, batch_size, shuffle=True, generator=torch.Generator().manual_seed(7)))
    assert [b[1].tolist() for b in again][: len(batches)] == [b[1].tolist() for b in batches]


def test_iterate_batches_in_order_and_shuffled_differently_per_epoch():
    x, y = to_device(small_set(), (0.5, 0.5), (0.5, 0.5), "cpu")
    assert torch.equal(torch.cat([b for _, b in iterate_batches(x, y, 4, shuffle=False)]), y)
    g = torch.Generator().manual_seed(0)
    first = torch.cat([b for _, b in iterate_batches(x, y, 4, shuffle=True, generator=g)])
    second = torch.cat([b for _, b in iterate_batches(x, y, 4, shuffle=True, generator=g)])
    assert not torch.equal(first, second) and not torch.equal(first, y)
    assert num_batches(0, 4) == 0 and num_batches(8, 4) == 2 and num_batches(9, 4) == 3 and num_batches(9, 4, True) == 2


def test_augment_batch():
    x = torch.randn(16, 2, 12, 12)
    assert torch.allclose(augment_batch(x, max_shift=0, max_rotation=0), x, atol=1e-5)
    out = augment_batch(x, torch.Generator().manual_seed(1))
    assert out.shape == x.shape and not torch.allclose(out, x, atol=1e-3)
    assert torch.equal(out, augment_batch(x, torch.Generator().manual_seed(1)))
    assert not torch.equal(out, augment_batch(x, torch.Generator().manual_seed(2)))
    zero = torch.zeros(16)
    assert torch.allclose(affine(x, zero, torch.zeros(16, 2)), x, atol=1e-5)


def test_affine_moves_pixels_and_fills_with_black():
    mean, std = (0.1307,), (0.3081,)
    black = black_value(mean, std)[0]
    x = torch.full((1, 1, 6, 8), black)
    x[0, 0, 2, 3] = 5.0
    right = affine(x, torch.zeros(1), torch.tensor([[1.0, 0.0]]), fill=black_value(mean, std))
    assert right[0, 0, 2, 4] == pytest.approx(5.0, abs=1e-4) and right[0, 0, 2, 3] == pytest.approx(black, abs=1e-4)
    down = affine(x, torch.zeros(1), torch.tensor([[0.0, 2.0]]), fill=(black,))
    assert down[0, 0, 4, 3] == pytest.approx(5.0, abs=1e-4)
    edge = affine(torch.ones(1, 1, 6, 8), torch.zeros(1), torch.tensor([[3.0, 0.0]]), fill=black)
    assert torch.allclose(edge[0, 0, :, :3], torch.full((6, 3), black), atol=1e-5)
    square = torch.randn(1, 1, 6, 6)
    assert torch.allclose(affine(square, torch.tensor([90.0]), torch.zeros(1, 2)), square.rot90(1, (2, 3)), atol=1e-5)


# --- Real MNIST (only where WORKBENCH_DATA_DIR has it) ---------------------------------------------------------


@pytest.mark.mnist
def test_real_mnist(offline):
    root = os.environ.get("WORKBENCH_DATA_DIR")
    if not root or not (Path(root) / "MNIST" / "raw" / IDX_FILES[0]).is_file():
        pytest.skip("set WORKBENCH_DATA_DIR to a folder with MNIST/raw/ to run this")
    start = time.perf_counter()
    ds = load_dataset("mnist", val_fraction=0, download=False)
    elapsed = time.perf_counter() - start
    assert len(ds.train) == 60000 and len(ds.test) == 10000
    # The usual 0.3081 is slightly off: the exact population std of MNIST's training pixels is 0.30824.
    assert ds.mean[0] == pytest.approx(0.1307, abs=1e-4) and ds.std[0] == pytest.approx(0.3081, abs=5e-4)
    assert elapsed < 5.0
