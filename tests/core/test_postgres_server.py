"""The tests' own PostgreSQL server (tests/postgres.py) answers on loopback and leaves nothing behind: the server
stopped, its folder gone. (That studies in it are shared by processes: tests/core/test_sweep_postgres.py.)"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.postgres import postgres_server, unavailable_reason


def _accepts_connections(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _server_folder(url: str) -> Path:
    """The folder that postgres_server made, as the server itself says: its data directory's parent."""
    import psycopg

    connection = psycopg.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            return Path(cursor.fetchone()[0]).parent
    finally:
        connection.close()


needs_postgres = pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")


@needs_postgres
def test_the_server_is_stopped_and_its_folder_removed_on_exit(tmp_path):
    with postgres_server(tmp_path) as url:
        port = urlsplit(url).port
        assert url == f"postgresql://postgres@127.0.0.1:{port}/workbench"
        assert port is not None and _accepts_connections(port)
        folder = _server_folder(url)
        assert (folder / "data" / "postmaster.pid").is_file()
    assert not _accepts_connections(port)
    assert not folder.exists()


@needs_postgres
def test_the_server_is_stopped_and_its_folder_removed_when_the_test_fails(tmp_path):
    with pytest.raises(ZeroDivisionError), postgres_server(tmp_path) as url:
        port = urlsplit(url).port
        folder = _server_folder(url)
        assert port is not None and _accepts_connections(port)
        _ = 1 / 0
    assert not _accepts_connections(port)
    assert not folder.exists()
