"""Writing an archive (`archive.py` describes the format and reads it): the payload's values as JSON, with
marker objects for what JSON cannot say, and each tensor as an `.npy` member, written atomically and the same
bytes for the same payload.

The format's names and the dtypes it holds are declared here, where files are made; the reader checks every
file against them.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.lib import format as npy_format

from workbench.system import atomic_file

FORMAT = "cnn-workbench.archive"
VERSION = 1
MANIFEST = "manifest.json"
MAX_DIGITS = 300  # of an integer in the JSON: any such int converts to a float (up to 1.8e308, 309 digits);
# longer ones make float() and math.isfinite() raise OverflowError, and int() refuses over 4,300 digits


TENSOR, FLOAT, ITEMS = "__tensor__", "__float__", "__items__"
MARKERS = frozenset({TENSOR, FLOAT, ITEMS})
CAST_KEY = "dtype"  # in a tensor reference: the torch dtype when numpy could not hold it (bfloat16…)

# torch dtypes numpy can hold exactly; other floating dtypes are stored as float32 and cast back.
_NUMPY_DTYPES = (
    torch.bool,
    torch.uint8,
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.float16,
    torch.float32,
    torch.float64,
    torch.complex64,
    torch.complex128,
)
TORCH_TO_NUMPY: dict[torch.dtype, np.dtype] = {
    dtype: np.dtype(torch.empty(0, dtype=dtype).numpy().dtype) for dtype in _NUMPY_DTYPES
}
NUMPY_TO_TORCH: dict[np.dtype, torch.dtype] = {v: k for k, v in TORCH_TO_NUMPY.items()}
_CAST_NAMES = ("bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz")
CAST_DTYPES: dict[str, torch.dtype] = {n: getattr(torch, n) for n in _CAST_NAMES if hasattr(torch, n)}
CAST_ITEMSIZE: dict[str, int] = {n: torch.empty(0, dtype=d).element_size() for n, d in CAST_DTYPES.items()}


def write_archive(path: str | os.PathLike, kind: str, payload: dict) -> None:
    """Write `payload` to `path` atomically: a crash midway leaves any existing file untouched.

    Raises TypeError for values the format cannot hold (sets, custom objects, sparse tensors…)."""
    if not isinstance(kind, str) or not kind:
        raise TypeError("kind must be a non-empty string")
    if not isinstance(payload, dict):
        raise TypeError(f"payload must be a dict, not {type(payload).__name__}")
    arrays: list[np.ndarray] = []
    manifest = {"format": FORMAT, "version": VERSION, "kind": kind, "payload": _encode(payload, arrays)}
    # ASCII with escapes: a folder path that is not UTF-8 (a lone surrogate in Python) is kept exactly,
    # where writing it as UTF-8 would fail the save after the training it belongs to.
    text = json.dumps(manifest, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    target = Path(path)
    with atomic_file(target) as handle, zipfile.ZipFile(handle, "w", allowZip64=True) as archive:
        archive.writestr(_member(MANIFEST, zipfile.ZIP_DEFLATED), text.encode("utf-8"))
        for index, array in enumerate(arrays):
            info = _member(f"t{index}.npy", zipfile.ZIP_STORED)
            with archive.open(info, "w", force_zip64=array.nbytes > 2**31 - 2**24) as member:
                npy_format.write_array(member, array, allow_pickle=False)


def _member(name: str, compression: int) -> zipfile.ZipInfo:
    """A fixed timestamp, so saving the same thing twice gives the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _encode(value: Any, arrays: list[np.ndarray]) -> Any:
    """JSON-able form of `value`; tensors and arrays are appended to `arrays` and referenced by id."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) >= 10**MAX_DIGITS:
            raise TypeError(f"cannot save an integer of more than {MAX_DIGITS} digits")
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {FLOAT: _non_finite_name(value)}
    if isinstance(value, (np.bool_, np.integer, np.floating)):
        return _encode(value.item(), arrays)
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return _encode_array(value, arrays)
    if isinstance(value, (list, tuple)):
        return [_encode(item, arrays) for item in value]
    if isinstance(value, dict):
        return _encode_dict(value, arrays)
    raise TypeError(f"cannot save a value of type {type(value).__name__}")


def _non_finite_name(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return "inf" if value > 0 else "-inf"


def _encode_dict(value: dict, arrays: list[np.ndarray]) -> dict:
    for key in value:
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            raise TypeError(f"cannot save a dict key of type {type(key).__name__} ({key!r})")
    if all(isinstance(key, str) for key in value) and not MARKERS.intersection(value):
        return {key: _encode(item, arrays) for key, item in value.items()}
    return {ITEMS: [[int(k) if isinstance(k, int) else k, _encode(v, arrays)] for k, v in value.items()]}


def _encode_array(value: torch.Tensor | np.ndarray, arrays: list[np.ndarray]) -> dict:
    reference = {TENSOR: f"t{len(arrays)}"}
    if isinstance(value, torch.Tensor):
        array, cast = _tensor_to_numpy(value)
        if cast:
            reference[CAST_KEY] = cast
    else:
        array = _checked_numpy(value)
    arrays.append(array)
    return reference


def _tensor_to_numpy(tensor: torch.Tensor) -> tuple[np.ndarray, str | None]:
    if tensor.layout != torch.strided or tensor.is_quantized:
        raise TypeError(f"cannot save a {tensor.layout} / quantized tensor; only dense tensors")
    tensor = tensor.detach().cpu().resolve_conj().resolve_neg().contiguous()
    if tensor.dtype in TORCH_TO_NUMPY:
        return tensor.numpy(), None
    name = str(tensor.dtype).removeprefix("torch.")
    if name in CAST_DTYPES:
        return tensor.to(torch.float32).numpy(), name
    raise TypeError(f"cannot save a tensor of dtype {tensor.dtype}")


def _checked_numpy(array: np.ndarray) -> np.ndarray:
    native = array.dtype.newbyteorder("=") if array.dtype.byteorder not in "=|" else array.dtype
    if native not in NUMPY_TO_TORCH:
        raise TypeError(f"cannot save a numpy array of dtype {array.dtype}")
    return array.astype(native, order="C", copy=False)  # not ascontiguousarray: it makes 0-d arrays 1-d
