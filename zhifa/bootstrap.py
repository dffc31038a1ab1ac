"""Wire the runtime from settings: database, process specs, step hooks."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from zhifa.engine.db import get_engine, upgrade
from zhifa.engine.runtime import Runtime
from zhifa.engine.specs import SpecLibrary
from zhifa.settings import Settings, get_settings


def build_runtime(settings: Settings | None = None, *, bpmn_dir: Path | None = None,
                  engine: sa.Engine | None = None, migrate: bool = True) -> Runtime:
    """Load and validate the models (a broken model raises ModelError), migrate, register versions."""
    settings = settings or get_settings()
    specs = SpecLibrary(bpmn_dir or settings.bpmn_dir)
    engine = engine or get_engine(settings.resolved_database_url)
    if migrate:
        upgrade(str(engine.url.render_as_string(hide_password=False)))
    runtime = Runtime(engine, specs, step_hooks=step_hooks())
    runtime.register_versions()
    return runtime


def step_hooks() -> list:
    return []
