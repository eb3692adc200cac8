"""A safe container for JSON plus tensors: the one save format of model files and training checkpoints.

A zip file holding `manifest.json` and one `.npy` member per tensor:

    manifest.json   {"format": "cnn-workbench.archive", "version": 1, "kind": "model", "payload": {...}}
    t0.npy          a tensor, referenced in the payload as {"__tensor__": "t0"}

Reading never executes anything from the file: no pickle, no `torch.load`, `.npy` members are parsed
with `allow_pickle=False` after their header has been checked against the member's size. Everything
that can go wrong with a file someone was sent (not a zip, cut off, zip bomb, wrong kind, newer version,
nonsense JSON) is reported as one `ModelFileError` with a one-line message.

JSON cannot say everything a payload holds, so a few values are written as marker objects:
{"__tensor__": id} for a tensor, {"__float__": "nan" | "inf" | "-inf"} for a non-finite float and
{"__items__": [[key, value], ...]} for a dict with int keys (a torch optimizer's "state") or with a key
that looks like a marker.

This module reads archives; `archive_write.py` writes them and declares the format's names. Both `read_archive`
and `write_archive` are imported from here.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
from numpy.lib import format as npy_format

from workbench.files.archive_write import (
    CAST_DTYPES,
    CAST_ITEMSIZE,
    CAST_KEY,
    FLOAT,
    FORMAT,
    ITEMS,
    MANIFEST,
    MARKERS,
    MAX_DIGITS,
    NUMPY_TO_TORCH,
    TENSOR,
    VERSION,
    write_archive,
)
from workbench.files.errors import ModelFileError
from workbench.messages import Said, say
from workbench.model.params import show
from workbench.text import count

__all__ = ["DEFAULT_MAX_BYTES", "FORMAT", "VERSION", "read_archive", "write_archive"]

DEFAULT_MAX_BYTES = 2 * 1024**3
MAX_MEMBERS = 100_000
MAX_RATIO = 200  # deflate reaches ~1000:1 only on degenerate data; real manifests compress far less
RATIO_FLOOR = 1024 * 1024  # below this a high ratio is harmless, and tiny JSON can compress well
CHUNK = 1024 * 1024
MAX_MANIFEST = 64 * 1024 * 1024  # tensors live in their own members; the JSON is small (history, config)
MAX_DEPTH = 64  # of the payload's JSON: an optimizer's state nests 6 levels; deeper is a crafted file
TENSOR_ID = re.compile(r"t[0-9]{1,9}")
NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}

KIND_NAMES = {"model": "a model file", "checkpoint": "a training checkpoint"}
KIND_HINTS = {
    "model": "open it as a model instead",
    "checkpoint": "use it to resume training, or open the model file saved when training finished",
}


def read_archive(path: str | os.PathLike, kind: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """The payload written by `write_archive`, with tensors as writable CPU `torch.Tensor`s.

    Any problem with the file, however odd, is a ModelFileError; nothing from the file is executed."""
    name = Path(path).name or str(path)
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)  # opening a FIFO would wait forever for a writer
        handle = open(path, "rb") if regular else None  # noqa: SIM115 - closed below; its OSError gets its own message
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        reason = getattr(exc, "strerror", None) or exc
        raise ModelFileError(_in(name, say("file.cannot_open", reason=reason))) from None
    if handle is None:
        raise ModelFileError(_in(name, say("file.not_a_file")))
    try:
        with handle:
            return _Reader(name, handle, max_bytes).read(kind)
    except ModelFileError:
        raise
    except RecursionError:
        raise ModelFileError(_in(name, say("file.nested"))) from None
    except MemoryError:
        raise ModelFileError(_in(name, say("file.no_memory"))) from None
    except Exception as exc:  # zipfile, zlib, struct and numpy each have their own ways of failing on bad bytes
        raise ModelFileError(_in(name, say("file.damaged", detail=_brief(exc)))) from None


def _in(name: str, problem: str) -> str:
    """'model.cnnwb: the file is empty; …', coded when the problem is."""
    return say("file.problem", name=name, problem=problem) if isinstance(problem, Said) else f"{name}: {problem}"


def _sniff(name: str, head: bytes) -> None:
    """Name the common wrong files before zipfile gives a less helpful message."""
    if not head:
        raise ModelFileError(_in(name, say("file.empty")))
    if head.startswith(b"\x80"):  # the PROTO opcode that starts every pickle since protocol 2
        raise ModelFileError(_in(name, say("file.pickle")))
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        raise ModelFileError(_in(name, say("file.json")))
    if not head.startswith(b"PK"):
        raise ModelFileError(_in(name, say("file.not_zip")))


class _Reader:
    """One pass over an open archive file; every check raises ModelFileError naming the file."""

    def __init__(self, name: str, handle: io.BufferedReader, max_bytes: int) -> None:
        self.name = name
        self.handle = handle
        self.max_bytes = max_bytes
        self.tensors: dict[str, torch.Tensor] = {}
        self.headers: dict[str, tuple[int, np.dtype]] = {}

    def fail(self, message: str) -> ModelFileError:
        return ModelFileError(_in(self.name, message))

    def read(self, kind: str | None) -> dict:
        _sniff(self.name, self.handle.read(8))
        self.handle.seek(0)
        try:
            self.zip = zipfile.ZipFile(self.handle)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            raise self.fail(
                "the file is incomplete or damaged (not a readable zip archive); it may have been cut off "
                "while saving or copying, so save or copy it again"
            ) from None
        with self.zip:
            self.members = self._check_members()
            manifest = self._manifest()
            self._check_header(manifest, kind)
            self._check_tensor_bytes(manifest["payload"])
            payload = self._decode(manifest["payload"], 1)
        if not isinstance(payload, dict):
            raise self.fail("the file's payload is not a JSON object; the file is damaged")
        return payload

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise self.fail(f"the archive has {len(infos)} entries, more than the {MAX_MEMBERS} allowed")
        members = {info.filename: info for info in infos}
        if len(members) != len(infos):
            raise self.fail("the archive lists an entry twice; it was not saved by CNN Workbench")
        if MANIFEST not in members:
            raise self.fail(self._no_manifest_message(members))
        total = sum(info.file_size for info in infos)
        if total > self.max_bytes:
            raise self.fail(
                f"the contents unpack to {_size(total)}, more than the {_size(self.max_bytes)} allowed; "
                "this is not a model this app can open"
            )
        for info in infos:
            self._check_member(info)
        return members

    def _no_manifest_message(self, members: dict[str, zipfile.ZipInfo]) -> str:
        if any(name.endswith(".pkl") for name in members):
            return (
                "this is a PyTorch file saved with torch.save; CNN Workbench never opens those because loading "
                "one can run any code; save the model from CNN Workbench instead"
            )
        return f"this zip file has no {MANIFEST}, so it is not a CNN Workbench file"

    def _check_member(self, info: zipfile.ZipInfo) -> None:
        if info.flag_bits & 0x1:
            raise self.fail(f"entry {info.filename!r} is encrypted; CNN Workbench files never are")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self.fail(f"entry {info.filename!r} uses an unsupported compression method")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise self.fail(
                f"entry {info.filename!r} would unpack {ratio:.0f} times larger than it is stored "
                "(a zip bomb); it was not saved by CNN Workbench"
            )

    def _read_member(self, info: zipfile.ZipInfo) -> bytes:
        """The whole member, refusing more bytes than its declared size (whatever zipfile might yield)."""
        parts, total = [], 0
        with self.zip.open(info) as stream:
            while chunk := stream.read(min(CHUNK, info.file_size - total + 1)):
                total += len(chunk)
                if total > info.file_size:
                    raise self.fail(f"entry {info.filename!r} holds more data than it declares; the file is damaged")
                parts.append(chunk)
        if total != info.file_size:
            raise self.fail(f"entry {info.filename!r} is shorter than it declares; the file is damaged")
        return b"".join(parts)

    def _manifest(self) -> dict:
        info = self.members[MANIFEST]
        if info.file_size > MAX_MANIFEST:
            raise self.fail(f"{MANIFEST} is {_size(info.file_size)}, far more than a CNN Workbench file ever needs")
        raw = self._read_member(info)
        try:
            manifest = json.loads(
                raw.decode("utf-8"), parse_int=self._int, parse_float=self._float, parse_constant=self._constant
            )
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise self.fail(f"{MANIFEST} is not valid JSON; the file is damaged") from None
        except RecursionError:
            raise self.fail(f"{MANIFEST} is nested too deeply; it was not saved by CNN Workbench") from None
        if not isinstance(manifest, dict):
            raise self.fail(f"{MANIFEST} must be a JSON object; the file is damaged")
        return manifest

    def _int(self, text: str) -> int:
        """Integers as the writer makes them (it refuses longer ones): no int() of thousands of digits."""
        if len(text.lstrip("-")) > MAX_DIGITS:
            raise self.fail(
                f"{MANIFEST} holds an integer of {len(text.lstrip('-')):,} digits, more than the {MAX_DIGITS} a "
                "CNN Workbench file ever has; the file is damaged"
            )
        return int(text)

    def _float(self, text: str) -> float:
        """Finite floats only: the writer marks NaN and infinities ({"__float__": "nan"}), so 1e400 is damage."""
        value = float(text)
        if not math.isfinite(value):
            raise self.fail(f"{MANIFEST} holds the number {text[:40]}, too large for a float; the file is damaged")
        return value

    def _constant(self, text: str) -> float:
        raise self.fail(f"{MANIFEST} holds a bare {text}, which CNN Workbench never writes; the file is damaged")

    def _check_header(self, manifest: dict, kind: str | None) -> None:
        if manifest.get("format") != FORMAT:
            raise self.fail(
                f"format is {manifest.get('format')!r}, expected {FORMAT!r}; this is not a CNN Workbench file"
            )
        version = manifest.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise self.fail(f"version {show(version)} is not valid; the file is damaged")
        if version > VERSION:
            raise self.fail(
                f"made by a newer CNN Workbench (file version {version}, this app reads {VERSION}); update the app"
            )
        found = manifest.get("kind")
        if not isinstance(found, str):
            raise self.fail("the file does not say what it holds (no kind); the file is damaged")
        if kind is not None and found != kind:
            raise self.fail(f"this is {_kind_name(found)}, not {_kind_name(kind)}; {_kind_hint(found)}")
        if not isinstance(manifest.get("payload"), dict):
            raise self.fail("the file's payload is missing or not a JSON object; the file is damaged")

    def _decode(self, value: Any, depth: int) -> Any:
        """The payload with markers resolved; nothing deeper than MAX_DEPTH reaches the app (whose own
        recursion, repr() and json.dumps of it would otherwise fail far from here)."""
        self._check_depth(depth)
        if isinstance(value, list):
            return [self._decode(item, depth + 1) for item in value]
        if not isinstance(value, dict):
            return value
        if not MARKERS.intersection(value):
            return {key: self._decode(item, depth + 1) for key, item in value.items()}
        if value.keys() == {FLOAT}:
            return self._non_finite(value[FLOAT])
        if value.keys() == {ITEMS}:
            return self._items(value[ITEMS], depth)
        if TENSOR in value and value.keys() <= {TENSOR, CAST_KEY}:
            return self._tensor(value[TENSOR], value.get(CAST_KEY))
        raise self.fail(f"malformed entry with keys {show(sorted(value))}; the file is damaged")

    def _check_depth(self, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise self.fail(
                f"the file's contents nest more than {MAX_DEPTH} levels deep; it was not saved by CNN Workbench"
            )

    def _non_finite(self, text: Any) -> float:
        if not isinstance(text, str) or text not in NON_FINITE:
            raise self.fail(f"unknown number {show(text)}; the file is damaged")
        return NON_FINITE[text]

    def _items(self, pairs: Any, depth: int) -> dict:
        ok = isinstance(pairs, list) and all(isinstance(p, list) and len(p) == 2 for p in pairs)
        if not ok or any(isinstance(k, bool) or not isinstance(k, (str, int)) for k, _ in pairs):
            raise self.fail("a dictionary in the file is malformed; the file is damaged")
        return {key: self._decode(item, depth + 1) for key, item in pairs}

    def _check_tensor_bytes(self, payload: dict) -> None:
        """Refuse, before any tensor is made, a payload whose tensors add up to more than the budget. Each
        reference counts: the reader shares a member referenced twice, but whoever uses the payload copies
        each (load_state_dict, an optimizer's state, a cast, a move to the GPU), so a small file referencing
        one large member from every layer could ask for gigabytes. A file this app writes references each
        member once, so for it this is its size."""
        uses: dict[str, int] = {}
        total = 0
        for ref, cast in self._references(payload, 1):
            uses[ref] = uses.get(ref, 0) + 1
            elements, dtype = self._header(ref)
            total += elements * CAST_ITEMSIZE.get(cast, dtype.itemsize)
        if total > self.max_bytes:
            most = max(uses, key=uses.__getitem__)
            raise self.fail(
                f"its tensors add up to {_size(total)}, more than the {_size(self.max_bytes)} allowed (tensor "
                f"{most} is used {count(uses[most], 'time')}); this is not a model this app can open"
            )

    def _references(self, value: Any, depth: int) -> Iterator[tuple[str, str | None]]:
        """(member, cast) of every tensor reference in the payload, walked as `_decode` will walk it."""
        self._check_depth(depth)
        if isinstance(value, dict) and TENSOR in value and value.keys() <= {TENSOR, CAST_KEY}:
            cast = value.get(CAST_KEY)
            self._tensor_member(value[TENSOR], cast)
            yield value[TENSOR], cast
            return
        if isinstance(value, dict) and value.keys() == {ITEMS} and isinstance(value[ITEMS], list):
            value = [pair[1] for pair in value[ITEMS] if isinstance(pair, list) and len(pair) == 2]
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for item in items:
            yield from self._references(item, depth + 1)

    def _tensor_member(self, ref: Any, cast: Any) -> zipfile.ZipInfo:
        if not isinstance(ref, str) or not TENSOR_ID.fullmatch(ref):
            raise self.fail(f"bad tensor reference {show(ref)}; the file is damaged")
        if cast is not None and (not isinstance(cast, str) or cast not in CAST_DTYPES):
            raise self.fail(f"tensor {ref}: unsupported dtype {show(cast)}")
        info = self.members.get(f"{ref}.npy")
        if info is None:
            raise self.fail(f"tensor {ref} is missing from the archive ({ref}.npy); the file is damaged")
        return info

    def _header(self, ref: str) -> tuple[int, np.dtype]:
        """Element count and dtype of a member, from its checked .npy header (the data is not read)."""
        if ref not in self.headers:
            info = self.members[f"{ref}.npy"]
            with self.zip.open(info) as stream:
                shape, _, dtype, _ = self._npy_header(ref, stream, info)
            self.headers[ref] = (math.prod(shape), dtype)
        return self.headers[ref]

    def _tensor(self, ref: Any, cast: Any) -> torch.Tensor:
        """Each member is loaded once; `_check_tensor_bytes` has counted every reference to it."""
        info = self._tensor_member(ref, cast)
        if ref not in self.tensors:
            self.tensors[ref] = torch.from_numpy(self._npy(ref, info))
        tensor = self.tensors[ref]
        if cast is not None:
            if tensor.dtype != torch.float32:
                raise self.fail(f"tensor {ref}: a {cast} tensor must be stored as float32; the file is damaged")
            return tensor.to(CAST_DTYPES[cast])
        return tensor

    def _npy(self, ref: str, info: zipfile.ZipInfo) -> np.ndarray:
        """Parse a .npy member after checking its header: no object dtype, size consistent with the member."""
        with self.zip.open(info) as stream:
            shape, fortran, dtype, offset = self._npy_header(ref, stream, info)
            data = self._read_exact(ref, stream, info.file_size - offset)
        array = np.frombuffer(data, dtype=dtype, count=math.prod(shape)).reshape(shape, order="F" if fortran else "C")
        if dtype == np.bool_:
            return array != 0  # any byte but 0 or 1 would make an invalid torch bool
        return array.astype(dtype.newbyteorder("="), order="C", copy=False)

    def _npy_header(self, ref: str, stream: Any, info: zipfile.ZipInfo) -> tuple[tuple[int, ...], bool, np.dtype, int]:
        """The header of a .npy member, checked: no objects, a dtype torch holds, a size the member has."""
        try:
            major, _ = npy_format.read_magic(stream)
            reader = {1: npy_format.read_array_header_1_0, 2: npy_format.read_array_header_2_0}.get(major)
            if reader is None:
                raise ValueError(f"npy version {major}")
            shape, fortran, dtype = reader(stream)
        except ValueError as exc:
            raise self.fail(f"tensor {ref} is not a valid .npy array ({_brief(exc)}); the file is damaged") from None
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise self.fail(f"tensor {ref} holds Python objects, which are never loaded (they could run code)")
        if dtype.newbyteorder("=") not in NUMPY_TO_TORCH:
            raise self.fail(f"tensor {ref} has an unsupported dtype {dtype}")
        shape, offset = tuple(shape), stream.tell()
        if any(dim < 0 for dim in shape):
            raise self.fail(f"tensor {ref} declares a negative size {shape}; the file is damaged")
        nbytes = math.prod(shape) * dtype.itemsize
        if nbytes != info.file_size - offset:
            raise self.fail(
                f"tensor {ref} declares shape {shape} ({_size(nbytes)}) but holds "
                f"{_size(info.file_size - offset)}; the file is damaged"
            )
        return shape, bool(fortran), dtype, offset

    def _read_exact(self, ref: str, stream: Any, size: int) -> bytearray:
        data = bytearray(size)
        view, done = memoryview(data), 0
        while done < size:
            chunk = stream.read(min(CHUNK, size - done))
            if not chunk:
                raise self.fail(f"tensor {ref} is cut short; the file is damaged")
            view[done : done + len(chunk)] = chunk
            done += len(chunk)
        if stream.read(1):
            raise self.fail(f"tensor {ref} holds more data than it declares; the file is damaged")
        return data


def _brief(exc: BaseException, limit: int = 80) -> str:
    """An exception as a short clause: some (zipfile's) quote raw bytes from the file at length."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind_name(kind: str) -> str:
    return KIND_NAMES.get(kind, f"a {kind[:40]!r} file")


def _kind_hint(found: str) -> str:
    return KIND_HINTS.get(found, "open it with the command made for that kind of file")


def _size(n: float) -> str:
    units = ("bytes", "KB", "MB", "GB", "TB")
    step = 0
    while n >= 1024 and step < len(units) - 1:
        n, step = n / 1024, step + 1
    return f"{int(n)} bytes" if step == 0 else f"{n:.1f} {units[step]}"
