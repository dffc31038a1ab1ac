"""Database engines and transactions: SQLite (WAL) by default, PostgreSQL via ZHIFA_DATABASE_URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from engine.settings import PACKAGE_DIR, get_settings

WRITES = "zhifa_writes"  # execution option: the connection's transaction will write


@lru_cache(maxsize=16)
def get_engine(url: str | None = None) -> sa.Engine:
    settings = get_settings()
    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            _private_database_file(Path(path), settings.data_dir)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return engine


def _private_database_file(path: Path, data_dir: Path) -> None:
    """The database file 0600 (SQLite gives its -wal and -shm files the same mode); the data directory 0700."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.parent.resolve() == Path(data_dir).resolve():
        os.chmod(path.parent, 0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)


def _configure_sqlite(engine: sa.Engine) -> None:
    """WAL and foreign keys; a writing transaction begins IMMEDIATE, a read begins deferred.

    IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue (busy_timeout) instead of
    failing mid-step when a read lock cannot be upgraded. A read must not take it: under WAL a
    deferred transaction reads its snapshot while a completion is being written, never waiting.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(WRITES) else "BEGIN")


@contextmanager
def transaction(engine: sa.Engine | None = None) -> Iterator[Session]:
    """One writing unit of work: commits on success, rolls back on any exception."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        with session.begin():
            session.connection(execution_options={WRITES: True})  # begins now, IMMEDIATE on SQLite
            yield session


class ReadSession(Session):
    """A session that only reads: it never flushes a change (see `read_session`)."""


@event.listens_for(ReadSession, "before_flush")
def _refuse_writes(session, _flush_context, _instances):
    raise RuntimeError("a read session does not write; use engine.db.transaction()")


@contextmanager
def read_session(engine: sa.Engine | None = None) -> Iterator[Session]:
    """Reads in one snapshot; on SQLite a deferred BEGIN, so a read never waits for a step being written."""
    with ReadSession(engine or get_engine()) as session:
        yield session


def alembic_config(url: str | None = None):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    config.set_main_option("sqlalchemy.url", (url or get_settings().resolved_database_url).replace("%", "%%"))
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database schema up to date (`zhifa db upgrade`)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)
