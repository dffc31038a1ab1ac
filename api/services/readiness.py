"""Liveness and readiness."""

from __future__ import annotations

import sqlalchemy as sa

from api import schemas
from engine.errors import StorageUnavailable
from engine.runtime import Runtime


def ready(runtime: Runtime) -> schemas.ReadyOut:
    """Ready when the database answers and at least one process model is loaded."""
    try:
        with runtime.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        raise StorageUnavailable("数据库不可用", code="database_unavailable") from exc
    if not runtime.specs.current:
        raise StorageUnavailable("未加载任何流程模型", code="models_not_loaded")
    return schemas.ReadyOut(status="ready", database="ok", processes=len(runtime.specs.current))
