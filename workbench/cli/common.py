"""What every CLI command shares: the usage error shown as one `error: …` line, its exit status, and
`guard`, which turns the core's user-facing errors into it."""

from __future__ import annotations

import argparse

import torch

from workbench.data.images import DataError
from workbench.experiments.plan import StudyError
from workbench.experiments.space import SpaceError
from workbench.files.errors import ExportError, ModelFileError
from workbench.model.build import BuildError
from workbench.model.spec import SpecError
from workbench.runs.store import RunStoreError
from workbench.text import one_line
from workbench.training.config import ConfigError
from workbench.training.trainer import TrainingError

EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad input from the command line; the message is shown as `error: …`."""


class CommandError(Exception):
    """Shown as one `error: …` line with exit status 2."""


USER_ERRORS = (
    CommandError,
    BuildError,
    DataError,
    ModelFileError,
    SpecError,
    TrainingError,
    ConfigError,
    ExportError,
    RunStoreError,
    SpaceError,
    StudyError,
)


def guard(handler):
    """Turn the core's user-facing errors into `error: …` and status 2; so too what the system refuses (a file
    that cannot be read or written, memory that cannot be had), wherever in a command it happens."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except USER_ERRORS as exc:
            raise UsageError(one_line(str(exc))) from None
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            raise UsageError(one_line(f"{exc.strerror or exc}{where}")) from None
        except (MemoryError, torch.OutOfMemoryError) as exc:
            raise UsageError(_out_of_memory(exc)) from None
        except RuntimeError as exc:
            if not _is_allocation_failure(exc):
                raise
            raise UsageError(_out_of_memory(exc)) from None

    return run


def _is_allocation_failure(exc: RuntimeError) -> bool:
    text = str(exc)
    return any(sign in text for sign in ("DefaultCPUAllocator", "out of memory", "Tried to allocate", "can't allocate"))


def _out_of_memory(exc: BaseException) -> str:
    detail = one_line(str(exc), 160)
    return (
        f"out of memory ({detail or type(exc).__name__}); make the model, the batch size or the dataset smaller "
        "(`python -m workbench summary SPEC` shows the model's size)"
    )
