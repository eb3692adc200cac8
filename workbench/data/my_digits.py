"""The user's own digits: drawings the model misread, each filed with the label the user gave it ("That's
a 7"), kept in a folder beside the runs so that "Teach" can fine-tune the model on them.

The folder holds one `.npy` per image (float32 (C, H, W) in [0, 1], read with allow_pickle=False) and an
`index.json` listing them, written atomically. A folder a user was sent cannot run code: nothing is
unpickled. A missing or garbled image costs that entry, never the rest; a damaged index is moved aside
(kept for the user to look at) and the store starts empty, with `problems` saying so.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from workbench.data.images import DataError

__all__ = ["FOLDER_NAME", "DigitEntry", "MyDigits"]

FOLDER_NAME = "my-digits"
INDEX = "index.json"
VERSION = 1
MAX_SIDE = 256  # larger images are not drawings of this app


@dataclass(frozen=True)
class DigitEntry:
    id: str
    label: int
    image: np.ndarray  # float32 (C, H, W) in [0, 1]
    created: float  # seconds since the epoch

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.image.shape)


class MyDigits:
    """The store in `folder` (created when the first digit is filed). `problems` lists what could not be read."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder).expanduser()
        self.problems: list[str] = []
        self._entries: list[DigitEntry] = self._read()

    # ----- reading -----------------------------------------------------------------------------------------

    def _read(self) -> list[DigitEntry]:
        index = self.folder / INDEX
        if not index.exists():
            return []
        try:
            rows = _index_rows(json.loads(index.read_text(encoding="utf-8")))
        except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
            aside = index.with_name(f"{INDEX}.damaged-{int(time.time())}")
            self.problems.append(f"{index} could not be read ({exc}); it was moved to {aside.name}")
            os.replace(index, aside)
            return []
        entries = []
        for row in rows:
            entry = self._load_entry(row)
            if entry is not None:
                entries.append(entry)
        return entries

    def _load_entry(self, row: dict) -> DigitEntry | None:
        path = self.folder / f"{row['id']}.npy"
        try:
            image = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError) as exc:
            self.problems.append(f"{path.name}: {exc}; that digit was skipped")
            return None
        problem = _image_problem(image)
        if problem is not None:
            self.problems.append(f"{path.name}: {problem}; that digit was skipped")
            return None
        return DigitEntry(row["id"], row["label"], image.astype(np.float32), row["created"])

    # ----- the collection ----------------------------------------------------------------------------------

    def entries(self) -> list[DigitEntry]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, image: np.ndarray, label: int) -> DigitEntry:
        """File `image` ((C, H, W) in [0, 1]) as class `label`; DataError when it cannot be written."""
        image = np.ascontiguousarray(np.asarray(image, dtype=np.float32))
        problem = _image_problem(image)
        if problem is not None:
            raise DataError(f"This drawing cannot be filed: {problem}")
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or label < 0:
            raise DataError(f"A digit's label is a class number (0, 1, …), not {label!r}")
        entry = DigitEntry(secrets.token_hex(6), int(label), image, time.time())
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.folder / f"{entry.id}.npy", lambda f: np.save(f, image, allow_pickle=False))
            self._entries.append(entry)
            self._write_index()
        except OSError as exc:
            self._entries = [e for e in self._entries if e.id != entry.id]
            raise DataError(
                f"Cannot file the drawing in {self.folder}: {exc.strerror or exc}. "
                "Free some disk space or set WORKBENCH_RUNS_DIR to a folder you can write."
            ) from None
        return entry

    def delete(self, entry_id: str) -> bool:
        """Remove one digit; False when there is none with that id."""
        kept = [e for e in self._entries if e.id != entry_id]
        if len(kept) == len(self._entries):
            return False
        self._entries = kept
        self._write_index()
        (self.folder / f"{entry_id}.npy").unlink(missing_ok=True)
        return True

    def tensors(self, shape: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor, list[DigitEntry]]:
        """(images (N, C, H, W) float32, labels (N,) int64, the entries used) of the digits of `shape`;
        DataError when there is none of that shape (saying which shapes there are)."""
        chosen = [e for e in self._entries if e.shape == tuple(shape)]
        if not chosen:
            shapes = sorted({"×".join(map(str, e.shape)) for e in self._entries})
            there = f" (there are digits of {', '.join(shapes)})" if shapes else ""
            raise DataError(
                f"No digits of the model's input shape {'×'.join(map(str, shape))} are filed{there}: "
                "draw some in the Draw tab and file each with “That's a …”"
            )
        images = torch.from_numpy(np.stack([e.image for e in chosen]))
        labels = torch.tensor([e.label for e in chosen], dtype=torch.int64)
        return images, labels, chosen

    def _write_index(self) -> None:
        rows = [{"id": e.id, "label": e.label, "created": e.created} for e in self._entries]
        text = json.dumps({"version": VERSION, "digits": rows}, indent=1)
        _write_atomically(self.folder / INDEX, lambda f: f.write(text.encode("utf-8")))


def _write_atomically(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _index_rows(data) -> list[dict]:
    """The index's rows, checked: ids are hex names (no path can be smuggled in), labels small integers."""
    if not isinstance(data, dict) or not isinstance(data.get("digits"), list):
        raise ValueError("not a my-digits index")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise ValueError(f"index version {data.get('version')!r}; this app reads up to {VERSION}")
    rows = []
    for row in data["digits"]:
        if not isinstance(row, dict):
            continue
        entry_id, label, created = row.get("id"), row.get("label"), row.get("created", 0.0)
        if not (
            isinstance(entry_id, str) and 0 < len(entry_id) <= 32 and all(c in "0123456789abcdef" for c in entry_id)
        ):
            continue
        if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < 10_000:
            continue
        created = float(created) if isinstance(created, (int, float)) and np.isfinite(created) else 0.0
        rows.append({"id": entry_id, "label": label, "created": created})
    return rows


def _image_problem(image: np.ndarray) -> str | None:
    if image.dtype.kind != "f" or image.ndim != 3:
        return f"an image is float (C, H, W), this one is {image.dtype} {tuple(image.shape)}"
    channels, height, width = image.shape
    if channels not in (1, 3) or not (1 <= height <= MAX_SIDE and 1 <= width <= MAX_SIDE):
        return f"an image has 1 or 3 channels and sides up to {MAX_SIDE}, this one is {tuple(image.shape)}"
    if not np.isfinite(image).all() or image.min() < 0 or image.max() > 1:
        return "its pixels are not all between 0 and 1"
    return None
