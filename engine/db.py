"""Database engines and transactions: SQLite (WAL) by default, PostgreSQL via ZHIFA_DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

from engine.settings import PACKAGE_DIR, get_settings


def is_sqlite(engine: sa.Engine) -> bool:
    return engine.dialect.name == "sqlite"


@lru_cache(maxsize=16)
def get_engine(url: str | None = None) -> sa.Engine:
    settings = get_settings()
    url = url or settings.resolved_database_url
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    return engine


def _configure_sqlite(engine: sa.Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE so concurrent writers queue instead of failing mid-step."""

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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def transaction(engine: sa.Engine | None = None) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any exception."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        with session.begin():
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
