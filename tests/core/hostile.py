"""What the hostile-input tests share: running the CLI here, its one-line contract, and a deadline that fails
a test instead of letting it hang (opening a FIFO blocks until someone writes)."""

from __future__ import annotations

import contextlib
import signal

from workbench.cli.main import main


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `python -m workbench ARGV` run here (an escaping exception fails)."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(code: int, err: str, argv) -> None:
    assert code == 2, (code, err, argv)
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], (err, argv)  # after any progress lines of a run
    assert "Traceback" not in err


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail with TimeoutError after `seconds` (where SIGALRM exists; elsewhere no limit)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expired(*_):
        raise TimeoutError(f"no answer within {seconds} s: the file was read or opened blocking")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
