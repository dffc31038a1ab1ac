"""The statements a step runs, built once and executed with parameters; the one write path of a case row.

Every task completion and timer runs these; building SQLAlchemy statements per
call and going through the ORM's unit of work cost several times the workflow
step itself, so the hot path uses prepared Core statements on the tables.

A case row is read with its lock (`claim`, `claim_due`, `lock_case`) into one
plain `Case` per transaction, kept in the session, and written only by
`write_case`, which writes every column of the table: a column added to the
model cannot be left out of the write, and whoever appends to the case's record
in the same transaction moves the head on that same object.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlmodel import Session

from engine.errors import Conflict, InvalidState, NotFound
from engine.models import Agency, Case, RecordEvent, Task, WorkflowState
from engine.vocab import CaseStatus, TaskStatus

FROZEN_STATUSES = {CaseStatus.archived}

CASES, TASKS, STATES, AGENCIES, EVENTS = (model.__table__ for model in (Case, Task, WorkflowState, Agency, RecordEvent))

_LOCK_CASE_OF_TASK = (sa.select(*CASES.c)
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
_LOCK_CASE = sa.select(*CASES.c).where(CASES.c.id == sa.bindparam("case_id")).with_for_update()
_CASE_COLUMNS = tuple(column.name for column in CASES.c if column.name != "id")
_WRITE_CASE = (CASES.update().where(CASES.c.id == sa.bindparam("b_id"))
               .values(**{name: sa.bindparam(f"b_{name}") for name in _CASE_COLUMNS}))
_INSERT_CASE = CASES.insert().returning(CASES.c.id)
_HELD = "zhifa_locked_cases"
_INSERT_EVENT = EVENTS.insert().returning(EVENTS.c.id)


def claim(session: Session, task_id: str) -> tuple[Case, Agency, Task, str] | None:
    """Lock the task's case; then read the task, the case's agency and its state as committed after the lock.

    Reading after the lock (a new statement) matters on PostgreSQL: a completion
    that waited for another one sees the task it finished, not the snapshot from
    before the wait.
    """
    connection = session.connection()
    locked = connection.execute(_LOCK_CASE_OF_TASK, {"task_id": task_id}).first()
    if locked is None:
        return None
    case = _hold(session, locked._mapping)
    found = connection.execute(_READ_TASK, {"task_id": task_id, "agency_id": case.agency_id}).one()._mapping
    task = Task(**{c.name: found[f"task_{c.name}"] for c in TASKS.c})
    agency = Agency(**{c.name: found[f"agency_{c.name}"] for c in AGENCIES.c})
    return case, agency, task, found["workflow_state_state"]


def claim_ready(session: Session, task_id: str, *, done_message: str) -> tuple[Case, Agency, Task, str]:
    """`claim`, refused when the task does not exist, its case is archived, or it is no longer ready."""
    claimed = claim(session, task_id)
    if claimed is None:
        raise NotFound("任务不存在", details={"task_id": task_id})
    case, _agency, row, _state = claimed
    if case.status in FROZEN_STATUSES:
        raise InvalidState("案卷已归档, 不能再修改", code="case_archived", details={"case_id": case.id})
    if row.status != TaskStatus.ready:
        raise Conflict(done_message, code="task_conflict", details={"task_id": task_id, "status": row.status})
    return claimed


def lock_case(session: Session, case_id: int) -> Case | None:
    """The case, locked for this transaction; the same object every time this transaction asks."""
    held = session.info.get(_HELD, {}).get(case_id)
    if held is not None:
        return held
    row = session.connection().execute(_LOCK_CASE, {"case_id": case_id}).first()
    return None if row is None else _hold(session, row._mapping)


def claim_due(session: Session, now: datetime, limit: int,
              *conditions: sa.ColumnElement[bool]) -> list[tuple[Case, Agency, str]]:
    """Up to `limit` cases with the earliest due timers, locked, with their agency and stored workflow state;
    cases other workers hold are skipped. One statement for a batch: the timer pass's claim was one per case."""
    query = (sa.select(*CASES.c, *AGENCIES.c, STATES.c.state)
             .join_from(CASES, STATES, STATES.c.case_id == CASES.c.id).join(AGENCIES, AGENCIES.c.id == CASES.c.agency_id)
             .where(CASES.c.next_due.is_not(None), CASES.c.next_due <= now, *conditions)
             .order_by(CASES.c.next_due).limit(limit).with_for_update(of=CASES, skip_locked=True)
             .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL))
    claimed = []
    for found in session.connection().execute(query).mappings():
        case = _hold(session, {c.name: found[f"case_{c.name}"] for c in CASES.c})
        claimed.append((case, Agency(**{c.name: found[f"agency_{c.name}"] for c in AGENCIES.c}), found["workflow_state_state"]))
    return claimed


def insert_case(session: Session, case: Case) -> Case:
    """Insert a new case row and hold it like a locked one (no other transaction sees it yet)."""
    case.id = session.connection().execute(_INSERT_CASE, case.model_dump(exclude={"id"})).scalar_one()
    session.info.setdefault(_HELD, {})[case.id] = case
    return case


def _hold(session: Session, values: Mapping) -> Case:
    case = Case(**values)
    session.info.setdefault(_HELD, {})[case.id] = case
    return case


@event.listens_for(orm.Session, "after_transaction_end")
def _release_held(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    """The locks end with the transaction; so does the session's hold on the cases read under them."""
    if transaction.parent is None:
        session.info.pop(_HELD, None)


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
    """Every column of a case read with `claim`, `claim_due` or `lock_case` (or inserted with `insert_case`)."""
    session.connection().execute(_WRITE_CASE, {"b_id": case.id, **{f"b_{name}": getattr(case, name) for name in _CASE_COLUMNS}})


def insert_event(session: Session, values: dict) -> int:
    return session.connection().execute(_INSERT_EVENT, values).scalar_one()
