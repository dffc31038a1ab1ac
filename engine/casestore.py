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

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, SQLModel

from engine.errors import Conflict, InvalidState, NotFound
from engine.models import Agency, Case, RecordEvent, Task, WorkflowState
from engine.vocab import CaseStatus, TaskStatus

FROZEN_STATUSES = {CaseStatus.archived}

CASES, TASKS, STATES, AGENCIES, EVENTS = (model.__table__ for model in (Case, Task, WorkflowState, Agency, RecordEvent))

_TASK_ID = sa.bindparam("task_id")
_CASE_OF_TASK = sa.select(TASKS.c.case_id).where(TASKS.c.id == _TASK_ID).scalar_subquery()
_LOCK_CASE_OF_TASK = sa.select(*CASES.c).where(CASES.c.id == _CASE_OF_TASK).with_for_update()
# The task, the case's other open tasks (the inbox rows a step brings in line) and the agency; the state on the task's row only.
_READ_TASKS = (sa.select(*TASKS.c, *AGENCIES.c, sa.case((TASKS.c.id == _TASK_ID, STATES.c.state)).label("state"))
               .join_from(TASKS, STATES, STATES.c.case_id == TASKS.c.case_id)
               .join(AGENCIES, AGENCIES.c.id == sa.bindparam("agency_id"))
               .where(TASKS.c.case_id == sa.bindparam("case_id"),
                      sa.or_(TASKS.c.id == _TASK_ID, TASKS.c.status == TaskStatus.ready.value))
               .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL))
# Both at once, where the transaction holds the database's write lock from its BEGIN (SQLite): the case too.
_READ_CASE_AND_TASKS = (sa.select(*CASES.c, *_READ_TASKS.selected_columns)
                        .join_from(TASKS, STATES, STATES.c.case_id == TASKS.c.case_id)
                        .join(CASES, CASES.c.id == TASKS.c.case_id).join(AGENCIES, AGENCIES.c.id == CASES.c.agency_id)
                        .where(TASKS.c.case_id == _CASE_OF_TASK,
                               sa.or_(TASKS.c.id == _TASK_ID, TASKS.c.status == TaskStatus.ready.value))
                        .set_label_style(sa.LABEL_STYLE_TABLENAME_PLUS_COL))
_SAVE_STATE = STATES.update().where(STATES.c.case_id == sa.bindparam("s_case_id")).values(state=sa.bindparam("s_state"))
_COMPLETE_TASK = (TASKS.update().where(TASKS.c.id == sa.bindparam("t_id"))
                  .values(status=TaskStatus.completed.value, completed_at=sa.bindparam("t_at"), completed_by=sa.bindparam("t_by")))
_CANCEL_TASK = (TASKS.update().where(TASKS.c.id == sa.bindparam("b_id"))
                .values(status=TaskStatus.cancelled.value, completed_at=sa.bindparam("b_at")))
_LOCK_CASE = sa.select(*CASES.c).where(CASES.c.id == sa.bindparam("case_id")).with_for_update()
_CASE_COLUMNS = tuple(column.name for column in CASES.c if column.name != "id")
_WRITE_CASE = (CASES.update().where(CASES.c.id == sa.bindparam("b_id"))
               .values(**{name: sa.bindparam(f"b_{name}") for name in _CASE_COLUMNS}))
_INSERT_CASE = CASES.insert().returning(CASES.c.id)
_HELD = "zhifa_locked_cases"
_INSERT_EVENT = EVENTS.insert().returning(EVENTS.c.id)
_APPEND_EVENT = EVENTS.insert().values(**{c.name: sa.bindparam(f"e_{c.name}", type_=c.type) for c in EVENTS.c if c.name != "id"})
# A completion's writes in one statement (one round trip) on PostgreSQL, with data-modifying CTEs: the inbox rows
# it opens (a JSON array, one statement for any number) and cancels too.
_NEW_ROWS = (sa.func.json_populate_recordset(sa.literal_column("NULL::task"), sa.cast(sa.bindparam("n_rows", type_=sa.Text), sa.JSON))
             .table_valued(*(c.name for c in TASKS.c)))
_INSERT_NEW_ROWS = TASKS.insert().from_select([c.name for c in TASKS.c], sa.select(*(_NEW_ROWS.c[c.name] for c in TASKS.c)))
_CANCEL_ROWS = (TASKS.update().where(TASKS.c.id == sa.any_(sa.bindparam("c_ids", type_=postgresql.ARRAY(sa.String))))
                .values(status=TaskStatus.cancelled.value, completed_at=sa.bindparam("c_at")))
_FINISH_STEP = _WRITE_CASE.add_cte(_SAVE_STATE.cte("saved_state"), _COMPLETE_TASK.cte("completed_task"),
                                   _CANCEL_ROWS.cte("cancelled_tasks"), _INSERT_NEW_ROWS.cte("new_tasks"),
                                   _APPEND_EVENT.cte("appended_event"))


class Claim(NamedTuple):
    case: Case
    agency: Agency
    task: Task
    state: str
    open_tasks: dict[str, Task]  # the case's open inbox rows by task id (the claimed one too if it is open)


def claim(session: Session, task_id: str) -> Claim | None:
    """Lock the task's case; then read the task, the case's open tasks, its agency and its state as committed after the lock.

    Reading after the lock (a new statement) matters on PostgreSQL: a completion
    that waited for another one sees the task it finished, not the snapshot from
    before the wait. SQLite's writing transaction holds the lock from its BEGIN
    IMMEDIATE (engine.db), so there one statement reads it all.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        rows = connection.execute(_READ_CASE_AND_TASKS, {"task_id": task_id}).all()
        if not rows:
            return None
        case = _hold(session, {c.name: rows[0]._mapping[f"case_{c.name}"] for c in CASES.c})
    else:
        locked = connection.execute(_LOCK_CASE_OF_TASK, {"task_id": task_id}).first()
        if locked is None:
            return None
        case = _hold(session, locked._mapping)
        rows = connection.execute(_READ_TASKS, {"task_id": task_id, "case_id": case.id, "agency_id": case.agency_id}).all()
    tasks = {row._mapping["task_id"]: loaded(Task, {c.name: row._mapping[f"task_{c.name}"] for c in TASKS.c}) for row in rows}
    [found] = [row._mapping for row in rows if row._mapping["task_id"] == task_id]
    agency = loaded(Agency, {c.name: found[f"agency_{c.name}"] for c in AGENCIES.c})
    return Claim(case, agency, tasks[task_id], found["state"],
                 {task.id: task for task in tasks.values() if task.status == TaskStatus.ready})


def loaded(model: type[SQLModel], values: dict) -> SQLModel:
    """An instance of a table model filled as the ORM fills one it loads: no validation, no per-attribute events
    (a tenth of the constructor's cost, which is paid several times per step)."""
    if not model.__mapper__.configured:
        orm.configure_mappers()
    instance = model._sa_class_manager.new_instance()
    instance.__dict__.update(values)
    return instance


def claim_ready(session: Session, task_id: str, *, done_message: str) -> Claim:
    """`claim`, refused when the task does not exist, its case is archived, or it is no longer ready."""
    claimed = claim(session, task_id)
    if claimed is None:
        raise NotFound("任务不存在", details={"task_id": task_id})
    case, row = claimed.case, claimed.task
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
        claimed.append((case, loaded(Agency, {c.name: found[f"agency_{c.name}"] for c in AGENCIES.c}), found["workflow_state_state"]))
    return claimed


def insert_case(session: Session, case: Case) -> Case:
    """Insert a new case row and hold it like a locked one (no other transaction sees it yet)."""
    case.id = session.connection().execute(_INSERT_CASE, case.model_dump(exclude={"id"})).scalar_one()
    session.info.setdefault(_HELD, {})[case.id] = case
    return case


def _hold(session: Session, values: Mapping) -> Case:
    case = loaded(Case, dict(values))
    session.info.setdefault(_HELD, {})[case.id] = case
    return case


@event.listens_for(orm.Session, "after_transaction_end")
def _release_held(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    """The locks end with the transaction; so does the session's hold on the cases read under them."""
    if transaction.parent is None:
        session.info.pop(_HELD, None)


def save_state(session: Session, case_id: int, state: str) -> None:
    session.connection().execute(_SAVE_STATE, {"s_case_id": case_id, "s_state": state})


def cancel_tasks(session: Session, task_ids: list[str], at: datetime) -> None:
    if task_ids:
        session.connection().execute(_CANCEL_TASK, [{"b_id": task_id, "b_at": at} for task_id in task_ids])


def insert_tasks(session: Session, rows: list[dict]) -> None:
    session.connection().execute(TASKS.insert(), rows)


def write_case(session: Session, case: Case) -> None:
    """Every column of a case read with `claim`, `claim_due` or `lock_case` (or inserted with `insert_case`)."""
    session.connection().execute(_WRITE_CASE, _case_values(case))


@dataclass
class InboxWrites:
    """The inbox rows a step opens (every column) and cancels, left for `finish_step` to write."""

    new: list[dict] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)


def finish_step(session: Session, case: Case, *, state: str, task_id: str, by: int | None, event: dict,
                inbox: InboxWrites) -> None:
    """A completion's writes: the workflow state, the task completed and the rows cancelled (at `case.updated_at`),
    the rows opened, the record event (`record.next_event`) and the case row; one statement on PostgreSQL, where
    each is a round trip."""
    values = {"s_case_id": case.id, "s_state": state, "t_id": task_id, "t_at": case.updated_at, "t_by": by}
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(_FINISH_STEP, {**values, **_case_values(case), **{f"e_{k}": v for k, v in event.items()},
                                          "c_ids": inbox.cancelled, "c_at": case.updated_at,
                                          "n_rows": json.dumps(inbox.new, default=_json_value)})
        return
    cancel_tasks(session, inbox.cancelled, case.updated_at)
    if inbox.new:
        insert_tasks(session, inbox.new)
    connection.execute(_SAVE_STATE, values)
    connection.execute(_COMPLETE_TASK, values)
    insert_event(session, event)
    write_case(session, case)


def _json_value(value: date) -> str:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("naive datetime: zhifa stores instants with a time zone")  # as engine.types.UTCDateTime
    return value.isoformat()


def _case_values(case: Case) -> dict:
    return {"b_id": case.id, **{f"b_{name}": getattr(case, name) for name in _CASE_COLUMNS}}


def insert_event(session: Session, values: dict) -> int:
    return session.connection().execute(_INSERT_EVENT, values).scalar_one()
