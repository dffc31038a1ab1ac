"""Engine tables: agencies, process versions, cases, workflow state, inbox tasks, record events.

Listing cases and tasks reads only these columns; a workflow is deserialized
only to act on one case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime
from engine.vocab import AgencyKind, CaseStatus, Role, TaskStatus


def _aware(column_name: str, *, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=Column(column_name, UTCDateTime(), nullable=nullable, index=index))


@dataclass(frozen=True)
class Actor:
    """Who performs an action: a user acting in one role for one agency, or the system."""

    user_id: int | None
    name: str
    role: Role
    agency_id: int | None

    @classmethod
    def system(cls) -> "Actor":
        return cls(user_id=None, name="系统", role=Role.system, agency_id=None)


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True, max_length=40)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=20, description="机关代字, e.g. 遂")
    kind: AgencyKind = Field(sa_column=Column(sa.String(20), nullable=False))
    parent_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    seal_name: str | None = Field(default=None, max_length=200, description="印章名称 (defaults to the name)")


class ProcessVersion(SQLModel, table=True):
    """One process version: the source files it was parsed from, stored once, keyed by content hash."""

    __tablename__ = "process_version"
    id: str = Field(primary_key=True, max_length=64, description="SHA-256 of the process's files")
    process_id: str = Field(index=True, max_length=100)
    name: str = Field(max_length=200)
    files: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = _aware("created_at", nullable=False)


class Case(SQLModel, table=True):
    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_agency_status", "agency_id", "status"),
        sa.Index("ix_case_recent", "updated_at", "id"),  # case lists, newest first
        sa.Index("ix_case_started", "started_at", "agency_id", "status"),  # statistics of a period
        # "party name contains" (case lists' filter and search): a trigram index, PostgreSQL only
        sa.Index("ix_case_party_trgm", "party_name", postgresql_using="gin",
                 postgresql_ops={"party_name": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str | None = Field(default=None, unique=True, max_length=80, description="案号 / 检查编号")
    kind: str = Field(max_length=40, description="inspection | case")
    process_id: str = Field(max_length=100)
    version_id: str = Field(foreign_key="process_version.id", max_length=64)
    agency_id: int = Field(foreign_key="agency.id")
    status: CaseStatus = Field(sa_column=Column(sa.String(40), nullable=False))
    title: str = Field(default="", max_length=300)
    party_name: str = Field(default="", max_length=200, index=True)
    parent_case_id: int | None = Field(default=None, foreign_key="case.id", index=True)
    outcome: str | None = Field(default=None, max_length=40)
    completed: bool = Field(default=False)
    revision: int = Field(default=0, description="incremented by every step")
    started_at: datetime | None = _aware("started_at", nullable=False)
    filed_on: date | None = Field(default=None, description="立案日期: selects the rules profile version")
    updated_at: datetime | None = _aware("updated_at", nullable=False)
    next_due: datetime | None = _aware("next_due", index=True)
    next_due_provisional: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()},
                                       description="next_due rests on holiday data no official notice covers yet")
    record_seq: int = Field(default=0, description="seq of the newest record event")
    record_head: str = Field(default="0" * 64, max_length=64, description="hash of the newest record event")


sa.event.listen(Case.__table__, "before_create",
                sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class WorkflowState(SQLModel, table=True):
    """The serialized SpiffWorkflow state of one case, without its spec (see ProcessVersion)."""

    __tablename__ = "workflow_state"
    case_id: int = Field(foreign_key="case.id", primary_key=True)
    state: str = Field(sa_column=Column(sa.Text, nullable=False))


class Task(SQLModel, table=True):
    """A user task as inboxes see it. Rebuilt from the workflow after every step."""

    __tablename__ = "task"
    __table_args__ = (
        sa.Index("ix_task_inbox", "status", "role", "agency_id", "due_on"),
        sa.Index("ix_task_case", "case_id", "status"),
    )

    id: str = Field(primary_key=True, max_length=36, description="SpiffWorkflow task id")
    case_id: int = Field(foreign_key="case.id")
    bpmn_id: str = Field(max_length=100)
    name: str = Field(max_length=200)
    role: str = Field(max_length=40, description="the role that acts: the model lane resolved for this case")
    agency_id: int = Field(foreign_key="agency.id")
    status: TaskStatus = Field(sa_column=Column(sa.String(20), nullable=False))
    due_on: date | None = None
    due_provisional: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()},
                                  description="due_on needed holiday data no official notice covers yet")
    due_basis: str | None = Field(default=None, max_length=300, description="the holiday data due_on was computed from")
    due_at: datetime | None = _aware("due_at")  # a limit in hours: the instant (due_on is its Shanghai date)
    created_at: datetime | None = _aware("created_at", nullable=False)
    completed_at: datetime | None = _aware("completed_at")
    completed_by: int | None = None
    assignees: str | None = Field(default=None, max_length=2000,
                                  description="a group-assigned task (the model's `assignees`): the groups, as |a|b|")


class RecordEvent(SQLModel, table=True):
    """执法全过程记录: append-only, hash-chained per case. The application never updates or deletes one."""

    __tablename__ = "record_event"
    __table_args__ = (sa.UniqueConstraint("case_id", "seq", name="uq_record_event_case_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    seq: int
    kind: str = Field(max_length=40)
    at: datetime | None = _aware("at", nullable=False)
    actor_id: int | None = None
    actor_name: str = Field(max_length=100)
    role: str = Field(max_length=40)
    agency_id: int | None = None
    task_id: str | None = Field(default=None, max_length=36)
    task_name: str | None = Field(default=None, max_length=200)
    inputs: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    outputs: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class WorkFailure(SQLModel, table=True):
    """An item a worker pass could not handle: how often it failed, the last error, when to try again.

    One row per (pass, item); it goes away when the item succeeds. With `failed_at` set the
    worker has given up and the item waits for an operator (`zhifa worker --status`, `/ready`).
    """

    __tablename__ = "work_failure"
    __table_args__ = (sa.UniqueConstraint("pass_name", "item_id", name="uq_work_failure_item"),)

    id: int | None = Field(default=None, primary_key=True)
    pass_name: str = Field(max_length=20, description="timer | docx | pdf | outbox")
    item_id: int = Field(description="case id (timer), issued document id (docx, pdf) or outbox entry id")
    case_id: int | None = None
    attempts: int = 0
    last_error: str = Field(sa_column=Column(sa.Text, nullable=False))
    last_attempt_at: datetime | None = _aware("last_attempt_at", nullable=False)
    next_attempt_at: datetime | None = _aware("next_attempt_at")
    failed_at: datetime | None = _aware("failed_at")


class OutboxEntry(SQLModel, table=True):
    """An object-store call that cannot be undone, written by a step and applied by the worker after commit.

    A step that rolls back takes its entries with it, so nothing is locked for a step that never
    happened; the worker applies committed entries and records the result.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    action: str = Field(max_length=40, description="retain: COMPLIANCE retention on the listed objects")
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime | None = _aware("created_at", nullable=False)
    claimed_until: datetime | None = _aware("claimed_until")
    applied_at: datetime | None = _aware("applied_at", index=True)
    result: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
