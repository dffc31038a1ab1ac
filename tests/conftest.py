"""Shared fixtures. Real services (PostgreSQL, S3) come from tests/services/*, started once per session."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api.bootstrap import build_runtime
from engine import clock
from engine.db import get_engine, upgrade
from engine.settings import get_settings

pytest_plugins = [
    "tests.services.postgres",
    "tests.services.s3",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
ENGINE_MODELS = Path(__file__).parent / "engine" / "models"


@pytest.fixture(autouse=True)
def zhifa_env(tmp_path, monkeypatch):
    """Every test gets its own data directory and fresh settings."""
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZHIFA_PDF_RENDITION", "false")  # tests that need PDFs start LibreOffice themselves
    for name in ("ZHIFA_DATABASE_URL", "ZHIFA_S3_ENDPOINT", "ZHIFA_NOW"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite database migrated to head once per test session (migrating costs ~0.25 s a test)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "zhifa.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """The engine and persistence tests run on both SQLite and PostgreSQL, each on a database of its own that starts
    as an upgrade of an empty one leaves it (a copy of a migrated template)."""
    if request.param == "sqlite":
        target = tmp_path / "zhifa.db"
        with closing(sqlite3.connect(request.getfixturevalue("sqlite_template"))) as source, \
                closing(sqlite3.connect(target)) as copy:
            source.backup(copy)  # consistent, whatever the journal mode
        return f"sqlite:///{target}"
    return request.getfixturevalue("migrated_postgres_url")


@pytest.fixture
def frozen_clock():
    frozen = clock.FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
    clock.set_clock(frozen)
    yield frozen
    clock.set_clock(None)


@pytest.fixture
def app_runtime(db_url):
    """The runtime on the application's own models in bpmn (migrated, versions registered)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()
