"""The core's coded messages in the window's language: the window's table is the core's word for word, every
translation keeps its template's values, and real shape, file and training errors read in Chinese with the
English line as the details."""

from __future__ import annotations

import json
import re

import pytest

from tests.ui.english import KEPT, english, report
from ui import core_texts, i18n, messages
from workbench.files.errors import ModelFileError
from workbench.files.model_file import load_model
from workbench.messages import TEXTS, say
from workbench.model.shapes import infer
from workbench.model.spec import LayerSpec, ModelSpec


def render(texts) -> str:
    """ui/core_texts.py as it must read for `texts`."""
    entries = "\n".join(
        f'    "{code}": QT_TRANSLATE_NOOP("CoreMessages", {json.dumps(text, ensure_ascii=False)}),'
        for code, text in texts.items()
    )
    return f"TEXTS = {{\n{entries}\n}}"


def test_the_windows_table_is_the_cores():
    assert dict(TEXTS) == core_texts.TEXTS, f"replace the table in ui/core_texts.py with:\n{render(TEXTS)}"


def test_every_translation_keeps_the_values_of_its_template(qapp):
    i18n.install(i18n.CHINESE)
    from PySide6.QtCore import QCoreApplication

    for code, text in TEXTS.items():
        chinese = QCoreApplication.translate("CoreMessages", text)
        assert chinese != text or "{" in text[:1], f"{code} is not translated"
        assert sorted(re.findall(r"\{\w+\}", chinese)) == sorted(re.findall(r"\{\w+\}", text)), code


@pytest.fixture
def nested_error():
    image = LayerSpec("Conv2d", {"out_channels": 4, "kernel_size": 3})
    block = LayerSpec("Residual", {}, branches=((image, LayerSpec("Linear", {"out_features": 2})),))
    return infer(ModelSpec((1, 8, 8), (block,))).error


def test_a_shape_error_reads_in_chinese_with_the_english_line_as_details(qapp, nested_error):
    english = (
        "layer 1 Residual › layer 2 Linear: Linear needs a flat vector but gets 4×6×6; add a Flatten layer before it"
    )
    assert messages.translated(nested_error) == english and messages.details(nested_error) == ""
    i18n.install(i18n.CHINESE)
    assert messages.translated(nested_error) == (
        "第 1 层 Residual › 第 2 层 Linear：全连接层 Linear 需要一维向量，但得到的是 4×6×6；在它之前加一个 Flatten 层"
    )
    assert messages.place(nested_error) == "第 1 层 Residual › 第 2 层 Linear"
    assert messages.translated(nested_error.cause) == "全连接层 Linear 需要一维向量，但得到的是 4×6×6"
    assert messages.details(nested_error) == english == messages.original(nested_error)


def test_file_and_training_errors_read_in_chinese_and_others_as_they_are(qapp, tmp_path):
    empty = tmp_path / "empty.cnnwb"
    empty.write_bytes(b"")
    with pytest.raises(ModelFileError) as caught:
        load_model(empty)
    i18n.install(i18n.CHINESE)
    assert messages.translated(caught.value) == "empty.cnnwb：文件是空的；它没有完整保存，请重新保存或复制"
    assert messages.details(caught.value).startswith("empty.cnnwb: the file is empty")
    diverged = say("train.diverged", epoch=2, step=40, lr="0.5")
    assert messages.translated(diverged).startswith("在第 2 轮第 40 步，损失变成了 NaN 或无穷大")
    assert messages.translated(ValueError("something else")) == "something else"


def test_every_coded_message_reads_without_english_in_chinese(qapp):
    """Each code's translation, its values filled in, has no English word but PyTorch's names and notation."""
    i18n.install(i18n.CHINESE)
    found = []
    for code, text in TEXTS.items():
        values = {name: "7" for name in re.findall(r"\{(\w+)\}", text)}
        found += english([(code, messages.translated(say(code, **values)))], KEPT)
    assert not found, report(found)
