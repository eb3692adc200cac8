"""The errors of `workbench.files`: each message says in one line what is wrong and what to do."""

from __future__ import annotations


class ModelFileError(ValueError):
    """A file cannot be opened; the message says, in one line, what is wrong with it and what to do."""

    def __init__(self, message: object) -> None:
        super().__init__(" ".join(str(message).split()))  # one line, whatever went into it


class ExportError(ValueError):
    """An export (logits, code, ONNX) could not be written; the message says why and what to do."""
