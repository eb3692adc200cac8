"""The errors of `workbench.files`: each message says in one line what is wrong and what to do."""

from __future__ import annotations

from workbench.messages import Said


class ModelFileError(ValueError):
    """A file cannot be opened; the message says, in one line, what is wrong with it and what to do."""

    def __init__(self, message: object) -> None:
        if not isinstance(message, Said):  # a coded message is one line already
            message = " ".join(str(message).split())  # one line, whatever went into it
        super().__init__(message)


class ExportError(ValueError):
    """An export (logits, code, ONNX) could not be written; the message says why and what to do."""
