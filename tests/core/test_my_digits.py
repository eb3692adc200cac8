"""The my-digits store: filed drawings survive a restart, deletes stick, damaged files cost only themselves."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest

from workbench.data.images import DataError
from workbench.data.my_digits import MyDigits


def _drawing(seed: int, shape=(1, 28, 28)) -> np.ndarray:
    return np.random.default_rng(seed).random(shape, dtype=np.float32)


def test_filed_digits_come_back_in_a_new_store_and_deletes_stick(tmp_path):
    store = MyDigits(tmp_path / "my-digits")
    first, second = store.add(_drawing(0), 7), store.add(_drawing(1), 3)
    again = MyDigits(tmp_path / "my-digits")
    assert [(e.id, e.label) for e in again.entries()] == [(first.id, 7), (second.id, 3)]
    np.testing.assert_array_equal(again.entries()[0].image, _drawing(0))
    assert again.delete(first.id) and not again.delete("abcdef")
    assert [e.id for e in MyDigits(tmp_path / "my-digits").entries()] == [second.id]
    assert not (tmp_path / "my-digits" / f"{first.id}.npy").exists()


def test_tensors_of_the_models_shape_or_a_clear_error(tmp_path):
    store = MyDigits(tmp_path)
    store.add(_drawing(0), 1)
    store.add(_drawing(1, (3, 32, 32)), 2)
    images, labels, used = store.tensors((1, 28, 28))
    assert images.shape == (1, 1, 28, 28) and labels.tolist() == [1] and len(used) == 1
    with pytest.raises(DataError, match=r"No digits of the model's input shape 1×8×8.*1×28×28, 3×32×32"):
        store.tensors((1, 8, 8))


def test_bad_drawings_and_labels_are_refused_with_a_reason(tmp_path):
    store = MyDigits(tmp_path)
    with pytest.raises(DataError, match="between 0 and 1"):
        store.add(np.full((1, 28, 28), 2.0, np.float32), 1)
    with pytest.raises(DataError, match="class number"):
        store.add(_drawing(0), -1)
    assert len(store) == 0 and not (tmp_path / "index.json").exists()


def test_a_damaged_index_is_moved_aside_and_a_garbled_image_skipped(tmp_path):
    store = MyDigits(tmp_path)
    kept, lost = store.add(_drawing(0), 4), store.add(_drawing(1), 5)
    (tmp_path / f"{lost.id}.npy").write_bytes(b"not numpy")
    reopened = MyDigits(tmp_path)
    assert [e.id for e in reopened.entries()] == [kept.id] and "skipped" in reopened.problems[0]
    (tmp_path / "index.json").write_text("{ broken", encoding="utf-8")
    broken = MyDigits(tmp_path)
    assert len(broken) == 0 and "moved to index.json.damaged" in broken.problems[0]
    assert list(tmp_path.glob("index.json.damaged-*"))


def test_nothing_is_unpickled_and_ids_cannot_name_other_files(tmp_path):
    store = MyDigits(tmp_path)
    entry = store.add(_drawing(0), 1)
    (tmp_path / f"{entry.id}.npy").write_bytes(pickle.dumps(np.zeros((1, 28, 28), np.float32)))
    index = {"version": 1, "digits": [{"id": entry.id, "label": 1}, {"id": "../../etc/passwd", "label": 2}]}
    (tmp_path / "index.json").write_text(json.dumps(index), encoding="utf-8")
    reopened = MyDigits(tmp_path)
    assert len(reopened) == 0 and len(reopened.problems) == 1  # the pickle refused, the path never read
