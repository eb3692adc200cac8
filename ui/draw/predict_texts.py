"""The texts of "Predict a folder…" that say counts, progress and how pictures are read, in the window's
language (context "PredictFolderDialog"). The core's reasons for skipping a file are English lines
(`workbench.data.pictures`): the common ones are translated here, keyed by their English words."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from ui import messages
from ui.i18n import translate
from workbench.data.pictures import PictureReader
from workbench.insight.predict import SkippedPicture
from workbench.text import show_path

INVERT_TEXTS = {
    "auto": QT_TRANSLATE_NOOP("PredictFolderDialog", "Invert: auto (dark ink on a light page)"),
    "yes": QT_TRANSLATE_NOOP("PredictFolderDialog", "Invert: always"),
    "no": QT_TRANSLATE_NOOP("PredictFolderDialog", "Invert: never"),
}


def files(n: int) -> str:
    return (
        translate("PredictFolderDialog", "1 file")
        if n == 1
        else translate("PredictFolderDialog", "{count} files").format(count=f"{n:,}")
    )


def reason_text(reason: str) -> str:
    """A reason for skipping a file (coded in `workbench.data.pictures`), in the window's language."""
    return messages.translated(reason)


def skipped_line(skipped: SkippedPicture) -> str:
    """`PATH: reason`, one line, as the core's `SkippedPicture.line()` in the window's language."""
    return translate("PredictFolderDialog", "{path}: {reason}").format(
        path=show_path(skipped.path), reason=reason_text(skipped.reason)
    )


def reading_text(reader: PictureReader) -> str:
    """How pictures are read for the model (the core's `PictureReader.describe()`), in the window's language."""
    channels, height, width = reader.shape
    if channels == 1:
        colour = translate("PredictFolderDialog", "greyscale {height}×{width}")
    elif channels == 3:
        colour = translate("PredictFolderDialog", "RGB {height}×{width}")
    else:
        colour = translate("PredictFolderDialog", "{channels} channels {height}×{width}")
    how = (
        translate("PredictFolderDialog", "as a drawing (MNIST preprocessing)")
        if reader.drawing
        else translate("PredictFolderDialog", "resized (bilinear)")
    )
    auto = reader.dark_background and (reader.drawing or channels == 1)  # PictureReader._auto_inverts
    invert = {
        "yes": translate("PredictFolderDialog", "always inverted"),
        "no": translate("PredictFolderDialog", "never inverted"),
        "auto": translate("PredictFolderDialog", "inverted when mostly light")
        if auto
        else translate("PredictFolderDialog", "not inverted"),
    }[reader.invert]
    return translate("PredictFolderDialog", "{colour}, {how}, {invert}").format(
        colour=colour.format(channels=channels, height=height, width=width), how=how, invert=invert
    )


def progress_text(done: int, total: int) -> str:
    return translate("PredictFolderDialog", "{done} of {files}").format(done=f"{done:,}", files=files(total))


def counts_text(pictures: int, unsure: int, skipped: int) -> str:
    """How many pictures were predicted (and unsure) and files skipped."""
    if pictures == 1:
        text = translate("PredictFolderDialog", "1 picture predicted ({unsure} unsure), {skipped} skipped")
    else:
        text = translate("PredictFolderDialog", "{count} pictures predicted ({unsure} unsure), {skipped} skipped")
    return text.format(count=f"{pictures:,}", unsure=f"{unsure:,}", skipped=files(skipped))


def wrote_text(rows: int, path: str) -> str:
    if rows == 1:
        return translate("PredictFolderDialog", "Wrote 1 row to {path}").format(path=path)
    return translate("PredictFolderDialog", "Wrote {count} rows to {path}").format(count=f"{rows:,}", path=path)
