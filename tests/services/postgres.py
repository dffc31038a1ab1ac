"""PostgreSQL for tests: a throwaway cluster started once per session, a fresh database per test.

Set ZHIFA_TEST_POSTGRES_URL (e.g. ``postgresql+psycopg://postgres@db:5432/postgres``) to use an
existing server instead; its user must be allowed to create and drop databases.
"""

from __future__ import annotations

import ctypes
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

EXISTING_SERVER_ENV = "ZHIFA_TEST_POSTGRES_URL"
SUPERUSER = "postgres"
START_ATTEMPTS = 3
START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 30
PR_SET_PDEATHSIG = 1


class PostgresServer:
    """A reachable PostgreSQL server plus an autocommit admin connection to create databases with."""

    def __init__(self, base_url: URL, *, fsync_off: bool = False) -> None:
        self.base_url = base_url
        # With fsync off, FILE_COPY's checkpoint is cheap: CREATE DATABASE takes ~17 ms instead of ~110.
        self.create_options = sql.SQL(" STRATEGY FILE_COPY" if fsync_off else "")
        self.admin = psycopg.connect(_conninfo(base_url), autocommit=True)

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL of database ``dbname`` on this server."""
        return self.base_url.set(database=dbname).render_as_string(hide_password=False)

    def create_database(self, dbname: str, template: str = "template0") -> None:
        self.admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'{}").format(
            sql.Identifier(dbname), sql.Identifier(template), self.create_options))

    def disconnect_all(self, dbname: str) -> None:
        """End every connection to `dbname` (a database is copied as a template only while nobody is connected)."""
        self.admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                           (dbname,))

    def drop_database(self, dbname: str) -> None:
        # FORCE ends connections a test left open (e.g. an engine it did not dispose).
        self.admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))

    def close(self) -> None:
        self.admin.close()


class LocalCluster:
    """initdb + postgres in a temporary directory, listening on a free port of 127.0.0.1 only.

    The server runs as a child of the test process and shuts down immediately if that process dies
    without tearing down (killed on a timeout), so no cluster outlives its test run.
    """

    def __init__(self) -> None:
        self.bin_dir = _find_bin_dir()
        self.base_dir = Path(tempfile.mkdtemp(prefix="zhifa-pg-"))
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir / "socket"
        self.socket_dir.mkdir()
        # initdb refuses to run as root: as root, the cluster belongs to the postgres system user.
        self.user = SUPERUSER if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.base_dir, self.user, self.user)
            shutil.chown(self.socket_dir, self.user, self.user)
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def start(self) -> URL:
        initdb = subprocess.run(
            [self._bin("initdb"), "-D", str(self.data_dir), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            user=self.user, cwd=self.base_dir, capture_output=True, text=True,
        )
        if initdb.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        for _ in range(START_ATTEMPTS):
            url = URL.create("postgresql+psycopg", username=SUPERUSER, host="127.0.0.1", port=_free_port(), database=SUPERUSER)
            if self._start_server(url.port):
                self.port = url.port
                return url
        log = (self.base_dir / "server.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"PostgreSQL did not start after {START_ATTEMPTS} attempts; log:\n{log}")

    def pause(self) -> None:
        """An outage begins: fast shutdown, every connection dropped; the data stays."""
        self.process.send_signal(signal.SIGINT)
        self.process.wait(STOP_TIMEOUT_SECONDS)

    def resume(self) -> None:
        """Up again on the same port. (The server dies with the thread that started it: call from a thread that
        outlives its use, such as the main thread.)"""
        if not self._start_server(self.port):
            raise RuntimeError("PostgreSQL did not come back on its port")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # immediate shutdown: the data is thrown away
            self.process.wait(STOP_TIMEOUT_SECONDS)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def _start_server(self, port: int) -> bool:
        """Start on ``port``; False if the server exited (another process may have taken the port)."""
        command = [
            self._bin("postgres"), "-D", str(self.data_dir), "-p", str(port), "-k", str(self.socket_dir),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off", "-c", "max_connections=200",
        ]
        with open(self.base_dir / "server.log", "ab") as log:
            self.process = subprocess.Popen(
                command, user=self.user, cwd=self.base_dir, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_quit_with_parent,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                psycopg.connect(host="127.0.0.1", port=port, user=SUPERUSER, dbname=SUPERUSER, connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                time.sleep(0.05)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        return False

    def _bin(self, program: str) -> str:
        return str(Path(self.bin_dir) / program)


def _quit_with_parent() -> None:
    """Runs in the child after it switched user: SIGQUIT (immediate shutdown) when the test process dies."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGQUIT)


def _find_bin_dir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return str(Path(candidates[-1]).parent)
    on_path = shutil.which("initdb")
    if on_path:
        return str(Path(on_path).parent)
    pytest.fail(
        "PostgreSQL server binaries (initdb, postgres) not found: run `sudo bash scripts/setup-system.sh` "
        f"(Debian package postgresql), or set {EXISTING_SERVER_ENV} to an existing server.",
        pytrace=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _conninfo(url: URL) -> str:
    return psycopg.conninfo.make_conninfo(
        host=url.host or "", port=url.port or "", user=url.username or "", password=url.password or "", dbname=url.database or SUPERUSER
    )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    existing = os.environ.get(EXISTING_SERVER_ENV)
    if existing:
        server = PostgresServer(make_url(existing))
        yield server
        server.close()
        return
    cluster = LocalCluster()
    try:
        server = PostgresServer(cluster.start(), fsync_off=True)
        yield server
        server.close()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_server: PostgresServer) -> Iterator[str]:
    """A database migrated to head once per test session, copied for each test of `migrated_postgres_url`."""
    from engine.db import upgrade

    dbname = f"zhifa_template_{uuid.uuid4().hex[:12]}"
    postgres_server.create_database(dbname)
    upgrade(postgres_server.url(dbname))
    postgres_server.disconnect_all(dbname)
    yield dbname
    postgres_server.drop_database(dbname)


@pytest.fixture
def migrated_postgres_url(postgres_server: PostgresServer, migrated_postgres_template: str) -> Iterator[str]:
    """URL of a new database already at the head revision (what an upgrade of an empty one gives), dropped after."""
    dbname = f"zhifa_test_{uuid.uuid4().hex[:12]}"
    postgres_server.create_database(dbname, template=migrated_postgres_template)
    yield postgres_server.url(dbname)
    postgres_server.drop_database(dbname)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """URL of a new empty database, dropped after the test."""
    dbname = f"zhifa_test_{uuid.uuid4().hex[:12]}"
    postgres_server.create_database(dbname)
    yield postgres_server.url(dbname)
    postgres_server.drop_database(dbname)
