"""Liveness and readiness."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from api import schemas
from engine.errors import StorageUnavailable
from engine.runtime import Runtime
from engine.work_items import failure_summary, failures


def ready(runtime: Runtime) -> schemas.ReadyOut:
    """Ready when the database answers and at least one process model is loaded.

    The items the worker gave up on are listed in the details; they do not make the service unready.
    """
    try:
        with runtime.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        raise StorageUnavailable("数据库不可用", code="database_unavailable") from exc
    if not runtime.specs.current:
        raise StorageUnavailable("未加载任何流程模型", code="models_not_loaded")
    with Session(runtime.engine) as session:
        given_up = [schemas.WorkerFailureOut(kind=f.pass_name, item_id=f.item_id, case_id=f.case_id, attempts=f.attempts,
                                             failed_at=f.failed_at, message=failure_summary(f))
                    for f in failures(session, given_up_only=True)]
    return schemas.ReadyOut(status="ready", database="ok", processes=len(runtime.specs.current),
                            worker_failures=given_up)
