"""The statements a step runs, built once and executed with parameters.

Every task completion and timer runs these; building SQLAlchemy statements per
call and going through the ORM's unit of work cost several times the workflow
step itself, so the hot path uses prepared Core statements on the tables.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from engine.models import Agency, Case, RecordEvent, Task, WorkflowState
from engine.vocab import TaskStatus

CASES, TASKS, STATES, AGENCIES, EVENTS = (model.__table__ for model in (Case, Task, WorkflowState, Agency, RecordEvent))

_LOCK_CASE = (sa.select(*CASES.c)
              .where(CASES.c.id == sa.select(TASKS.c.case_id).where(TASKS.c.id == sa.bindparam("task_id")).scalar_subquery())
              .with_for_update())
_READ_TASK = (sa.select(*TASKS.c, *AGENCIES.c, STATES.c.state)
              .join_from(TASKS, STATES, STATES.c.case_id == TASKS.c.case_id)
              .join(AGENCIES, AGENCIES.c.id == sa.bindparam("agency_id"))
              .where(TASKS.c.id == sa.bindparam("task_id"))
              .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL))
_SAVE_STATE = STATES.update().where(STATES.c.case_id == sa.bindparam("b_case_id")).values(state=sa.bindparam("b_state"))
_COMPLETE_TASK = (TASKS.update().where(TASKS.c.id == sa.bindparam("b_id"))
                  .values(status=TaskStatus.completed.value, completed_at=sa.bindparam("b_at"), completed_by=sa.bindparam("b_by")))
_CANCEL_TASK = (TASKS.update().where(TASKS.c.id == sa.bindparam("b_id"))
                .values(status=TaskStatus.cancelled.value, completed_at=sa.bindparam("b_at")))
_CASE_COLUMNS = ("status", "completed", "outcome", "next_due", "next_due_provisional", "revision", "updated_at", "record_seq", "record_head")
_WRITE_CASE = (CASES.update().where(CASES.c.id == sa.bindparam("b_id"))
               .values(**{name: sa.bindparam(f"b_{name}") for name in _CASE_COLUMNS}))
_INSERT_EVENT = EVENTS.insert().returning(EVENTS.c.id)


def claim(session: Session, task_id: str) -> tuple[Case, Agency, Task, str] | None:
    """Lock the task's case; then read the task, the case's agency and its state as committed after the lock.

    Reading after the lock (a new statement) matters on PostgreSQL: a completion
    that waited for another one sees the task it finished, not the snapshot from
    before the wait.
    """
    connection = session.connection()
    locked = connection.execute(_LOCK_CASE, {"task_id": task_id}).first()
    if locked is None:
        return None
    case = Case(**locked._mapping)
    found = connection.execute(_READ_TASK, {"task_id": task_id, "agency_id": case.agency_id}).one()._mapping
    task = Task(**{c.name: found[f"task_{c.name}"] for c in TASKS.c})
    agency = Agency(**{c.name: found[f"agency_{c.name}"] for c in AGENCIES.c})
    return case, agency, task, found["workflow_state_state"]


def save_state(session: Session, case_id: int, state: str) -> None:
    session.connection().execute(_SAVE_STATE, {"b_case_id": case_id, "b_state": state})


def close_tasks(session: Session, *, completed: str | None, cancelled: list[str], at: datetime, by: int | None) -> None:
    connection = session.connection()
    if completed is not None:
        connection.execute(_COMPLETE_TASK, {"b_id": completed, "b_at": at, "b_by": by})
    if cancelled:
        connection.execute(_CANCEL_TASK, [{"b_id": task_id, "b_at": at} for task_id in cancelled])


def insert_tasks(session: Session, tasks: list[Task]) -> None:
    session.connection().execute(TASKS.insert(), [task.model_dump() for task in tasks])


def write_case(session: Session, case: Case) -> None:
    """The case's derived columns and record head, for a case read with `claim`."""
    session.connection().execute(_WRITE_CASE, {"b_id": case.id, **{f"b_{name}": getattr(case, name) for name in _CASE_COLUMNS}})


def insert_event(session: Session, values: dict) -> int:
    return session.connection().execute(_INSERT_EVENT, values).scalar_one()
