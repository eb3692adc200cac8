"""A real PostgreSQL server for tests, started by the tests themselves on loopback and always stopped after.

`postgres_server(folder)` runs one (initdb, pg_ctl) and yields its URL; the session-scoped fixture `postgres_url`
gives each pytest(-xdist) worker that asks for it a server of its own. A test module uses the fixture with
`from tests.postgres import postgres_url  # noqa: F401`. Without the server binaries the fixture skips, saying how
to install them.

initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user (`runuser`), in a folder under
/tmp that it owns (pytest's tmp_path may lie under /root, which `postgres` cannot reach); otherwise as the
current user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

INSTALL_HINT = "Debian: apt install postgresql"
USER = "postgres"  # the database superuser initdb makes, and the OS user the server runs as when we are root
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
SOCKET_PATH_MAX = 100  # a unix socket's path holds at most 107 bytes; the server adds "/.s.PGSQL.<port>"
PORT_TRIES = 5  # another process may take the free port between our probe and the server's bind


@dataclass(frozen=True)
class Binaries:
    initdb: str
    pg_ctl: str
    createdb: str | None


def _version(folder: str) -> tuple[int, ...]:
    name = Path(folder).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(part) for part in re.findall(r"\d+", name)) or (0,)


def find_binaries() -> Binaries | None:
    """initdb and pg_ctl from PATH, else from Debian's /usr/lib/postgresql/<version>/bin, newest version first."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        beside = Path(os.path.realpath(initdb)).parent / "createdb"  # PATH may hold links to initdb and pg_ctl only
        createdb = shutil.which("createdb") or (str(beside) if beside.is_file() else None)
        return Binaries(initdb, pg_ctl, createdb)
    for folder in sorted(glob.glob(DEBIAN_BINARIES), key=_version, reverse=True):
        bin_dir = Path(folder)
        if (bin_dir / "initdb").is_file() and (bin_dir / "pg_ctl").is_file():
            createdb = bin_dir / "createdb"
            return Binaries(
                str(bin_dir / "initdb"), str(bin_dir / "pg_ctl"), str(createdb) if createdb.is_file() else None
            )
    return None


def _as_root() -> bool:
    return os.geteuid() == 0


def unavailable_reason() -> str | None:
    """Why no server can be started here, or None when one can."""
    if find_binaries() is None:
        return f"PostgreSQL's initdb/pg_ctl are not installed ({INSTALL_HINT})"
    if _as_root():
        try:
            pwd.getpwnam(USER)
        except KeyError:
            return f"running as root, and there is no '{USER}' user to run PostgreSQL's initdb/pg_ctl as"
        if shutil.which("runuser") is None:
            return f"running as root, and there is no runuser to run PostgreSQL's initdb/pg_ctl as '{USER}'"
    return None


def _run(command: list[str], cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    """A server command, as `postgres` when we are root (initdb and pg_ctl refuse root)."""
    if _as_root():
        command = ["runuser", "-u", USER, "--", *command]
    # cwd: a folder the server's user can enter (ours may be under /root); stdin closed, output kept for errors.
    return subprocess.run(
        command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=check, timeout=120
    )


def _reachable_by_server_user(folder: Path) -> bool:
    if not _as_root():
        return True
    return _run(["test", "-w", str(folder), "-a", "-x", str(folder)], cwd=Path("/"), check=False).returncode == 0


def _fresh_folder(parent: Path | None) -> Path:
    """A new empty folder that the server's user owns, inside `parent` where that user can write there and the
    socket's path stays short enough, else under the system's temporary folder (under /tmp when we are root)."""
    candidates = [parent] if parent is not None else []
    candidates.append(Path(tempfile.gettempdir()))
    if _as_root():
        candidates.append(Path("/tmp"))
    usable = (c for c in candidates if len(str(c)) + 40 <= SOCKET_PATH_MAX and _reachable_by_server_user(c))
    folder = Path(tempfile.mkdtemp(prefix="pg-", dir=next(usable, candidates[-1])))
    if _as_root():
        shutil.chown(folder, USER, USER)
    return folder


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def _failure(what: str, result: subprocess.CompletedProcess[str] | None, log: Path | None) -> RuntimeError:
    parts = [what]
    if result is not None:
        parts.append(f"exit status {result.returncode}\n{result.stdout}{result.stderr}".rstrip())
    if log is not None:
        parts.append(f"server log ({log}), last lines:\n{_log_tail(log)}")
    return RuntimeError("\n".join(parts))


def _create_database(binaries: Binaries, port: int, name: str, cwd: Path) -> None:
    if binaries.createdb is not None:
        command = [binaries.createdb, "-h", "127.0.0.1", "-p", str(port), "-U", USER, name]
        result = subprocess.run(command, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if result.returncode != 0:
            raise _failure(f"createdb {name} failed", result, None)
        return
    import psycopg  # no createdb beside initdb: the driver the app uses

    connection = psycopg.connect(host="127.0.0.1", port=port, user=USER, dbname="postgres")
    try:
        connection.autocommit = True  # CREATE DATABASE refuses to run in a transaction
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def _stop(pg_ctl: str, data: Path, folder: Path) -> None:
    if not (data / "postmaster.pid").exists():
        return
    result = _run([pg_ctl, "stop", "-D", str(data), "-m", "immediate", "-w", "-t", "30"], cwd=folder, check=False)
    if result.returncode != 0 and (data / "postmaster.pid").exists():
        # pg_ctl could not stop it: signal the postmaster we started (its pid is the file's first line).
        with contextlib.suppress(OSError, ValueError, IndexError):
            os.kill(int((data / "postmaster.pid").read_text().split()[0]), 3)  # SIGQUIT: immediate shutdown


@contextlib.contextmanager
def postgres_server(folder: Path | str | None = None, database: str = "workbench") -> Iterator[str]:
    """Start a PostgreSQL server on 127.0.0.1 at a free port, with `database` made and trust authentication, and
    yield its URL (`postgresql://postgres@127.0.0.1:<port>/<database>`). Its files go in a fresh folder inside
    `folder` (elsewhere when the server's user cannot reach it; see `_fresh_folder`), its log beside its data.
    On exit, test failed or not, the server is stopped (immediately: nothing needs to last) and the folder removed.
    Raises RuntimeError, with the server log's last lines, when the server does not start."""
    binaries = find_binaries()
    reason = unavailable_reason()
    if binaries is None or reason is not None:
        raise RuntimeError(reason)
    base = _fresh_folder(Path(folder) if folder is not None else None)
    data, log = base / "data", base / "server.log"
    try:
        # Trust for local and loopback connections; no fsync of the new files (gone after the test anyway).
        initdb = [binaries.initdb, "-D", str(data), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]
        result = _run(initdb, cwd=base, check=False)
        if result.returncode != 0:
            raise _failure("initdb failed", result, None)
        for _ in range(PORT_TRIES):
            port = free_port()
            options = " ".join(
                [
                    f"-c port={port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories='{base}'",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                ]
            )
            start = [binaries.pg_ctl, "start", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options]
            result = _run(start, cwd=base, check=False)
            if result.returncode == 0:
                break
            _stop(binaries.pg_ctl, data, base)  # in case it started after all (pg_ctl's wait ran out)
            if "Address already in use" not in _log_tail(log, 10):
                raise _failure(f"pg_ctl could not start PostgreSQL on 127.0.0.1:{port}", result, log)
        else:
            raise _failure(f"no free port for PostgreSQL after {PORT_TRIES} tries", result, log)
        _create_database(binaries, port, database, base)
        yield f"postgresql://{USER}@127.0.0.1:{port}/{database}"
    finally:
        try:
            _stop(binaries.pg_ctl, data, base)
        finally:
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory) -> Iterator[str]:
    """The URL of a PostgreSQL server of this pytest worker's own (one per xdist worker, for its whole session),
    with an empty database `workbench_<worker>`; skips when no server can be started here. Tests sharing it
    should use study or table names of their own."""
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(reason)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with postgres_server(tmp_path_factory.mktemp("postgres"), database=f"workbench_{worker}") as url:
        yield url
