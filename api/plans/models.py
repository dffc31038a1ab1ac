"""Tables of annual plans: the plan with its draw (seed, inputs, result), its visits, and officers' conflicts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime


class InspectionPlan(SQLModel, table=True):
    """An agency's annual plan (年度监督检查计划); its approval runs as the `annual_plan` process (case_id)."""

    __tablename__ = "inspection_plan"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    year: int
    case_id: int | None = Field(default=None, foreign_key="case.id")
    seed: str = Field(max_length=40, description="the draw's seed, as decimal text")
    inputs: dict = Field(sa_column=Column(JSON, nullable=False))
    result: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created_by: int | None = None
    published_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class PlanVisit(SQLModel, table=True):
    """One planned inspection: a target in a month with its drawn officer pair; `case_id` once scheduled."""

    __tablename__ = "plan_visit"
    __table_args__ = (sa.UniqueConstraint("plan_id", "target_id", "month", name="uq_plan_visit"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="inspection_plan.id", index=True)
    target_id: int = Field(foreign_key="target.id")
    month: int
    officer_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    case_id: int | None = Field(default=None, foreign_key="case.id")


class OfficerConflict(SQLModel, table=True):
    """An officer's declared conflict of interest with a unit (回避): never drawn to inspect it."""

    __tablename__ = "officer_conflict"
    __table_args__ = (sa.UniqueConstraint("user_id", "target_id", name="uq_officer_conflict"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    target_id: int = Field(foreign_key="target.id")
    reason: str = Field(max_length=500)
    declared_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class InspectionBatch(SQLModel, table=True):
    """A batch of inspections the county organises (交叉检查 / 专项检查): its filter and officer draw (seed and
    inputs); the annual plan it carries out, if organised from one; its cases are `BatchInspection` rows."""

    __tablename__ = "inspection_batch"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    plan_id: int | None = Field(default=None, foreign_key="inspection_plan.id", index=True)
    kind: str = Field(max_length=20, description="cross | special")
    title: str = Field(max_length=300)
    seed: str = Field(max_length=40, description="the draw's seed, as decimal text")
    inputs: dict = Field(sa_column=Column(JSON, nullable=False))
    result: dict = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    created_by: int | None = None


class BatchInspection(SQLModel, table=True):
    """The inspection a batch started for one of its drawn targets: at most one per target, written in the
    transaction that starts the case, so re-running an interrupted batch starts only the missing ones."""

    __tablename__ = "batch_inspection"
    __table_args__ = (sa.UniqueConstraint("batch_id", "target_id", name="uq_batch_inspection"),)

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int = Field(foreign_key="inspection_batch.id", index=True)
    target_id: int = Field(foreign_key="target.id")
    case_id: int = Field(foreign_key="case.id")
