"""What every CLI command shares: the usage error shown as one `error: …` line, its exit status, and
`guard`, which turns the core's user-facing errors into it."""

from __future__ import annotations

import argparse

from workbench.data.images import DataError
from workbench.files.errors import ExportError, ModelFileError
from workbench.model.spec import SpecError
from workbench.runs.store import RunStoreError
from workbench.training.config import ConfigError
from workbench.training.trainer import TrainingError

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the command line; the message is shown as `error: …`."""


class CommandError(Exception):
    """Shown as one `error: …` line with exit status 2."""


USER_ERRORS = (
    CommandError,
    DataError,
    ModelFileError,
    SpecError,
    TrainingError,
    ConfigError,
    ExportError,
    RunStoreError,
)


def guard(handler):
    """Turn the core's user-facing errors into `error: …` and status 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except USER_ERRORS as exc:
            raise UsageError(str(exc).replace("\n", " ")) from None

    return run
