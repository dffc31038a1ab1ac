"""Shared fixtures. Real services (PostgreSQL, S3) come from tests/services/*, started once per session."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from api.bootstrap import build_runtime
from engine import clock
from engine.db import get_engine
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """The engine and persistence tests run on both SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'zhifa.db'}"
    return request.getfixturevalue("postgres_url")


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
