"""Review tables: a plan (评查方案) with its recorded draw, the sampled files with their reviewers, the score of
each file, and the findings the reviewed units rectify."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from engine.types import UTCDateTime


class PlanStatus(StrEnum):
    """A plan's status is the step its workflow (bpmn/case_file_review.bpmn) waits at."""

    returned = "returned"  # 退回修改
    draft = "draft"  # 待负责人审批
    approved = "approved"  # 已批准, 待抽取
    reviewing = "reviewing"  # 已抽取, 评查中
    reported = "reported"  # 已通报

    @property
    def label(self) -> str:
        return {"returned": "退回修改", "draft": "待负责人审批", "approved": "已批准待抽取", "reviewing": "评查中",
                "reported": "已通报"}[self.value]


class ReviewPlan(SQLModel, table=True):
    __tablename__ = "review_plan"

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True, description="the county bureau running the review")
    title: str = Field(max_length=200)
    period_from: date
    period_to: date
    unit_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    procedures: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    share_percent: int = Field(ge=1, le=100)
    minimum_per_unit: int = Field(ge=0)
    always_include: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    township_reviewers: bool = False
    rubric: str = Field(default="default", max_length=40)
    rectification_days: int = Field(default=30)
    status: str = Field(sa_column=Column(sa.String(20), nullable=False))
    created_by: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    approved_by: int | None = Field(default=None, foreign_key="app_user.id")
    approved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    seed: str | None = Field(default=None, max_length=64, description="the draw's random seed, recorded")
    draw_inputs: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    draw_digest: str | None = Field(default=None, max_length=64, description="SHA-256 of seed, inputs and sample")
    drawn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    reported_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    version_id: str | None = Field(default=None, max_length=64, description="the review process version it runs on")
    workflow_state: str | None = Field(default=None, sa_column=Column(sa.Text, nullable=True))


class ReviewSample(SQLModel, table=True):
    """One drawn case file and its reviewer."""

    __tablename__ = "review_sample"
    __table_args__ = (sa.UniqueConstraint("plan_id", "case_id", name="uq_review_sample"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="review_plan.id", index=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    unit_id: int = Field(foreign_key="agency.id")
    reasons: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reviewer_id: int = Field(foreign_key="app_user.id", index=True)


class ReviewScore(SQLModel, table=True):
    """A reviewer's result for one file: per-item scores and comments, pre-check overrides, vetoes, grade."""

    __tablename__ = "review_score"

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="review_sample.id", unique=True)
    items: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    total: float
    vetoes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    grade: str = Field(max_length=20)
    rubric_effective_from: date
    scored_by: int = Field(foreign_key="app_user.id")
    scored_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ReviewFinding(SQLModel, table=True):
    """A deduction or veto, the officers responsible (执法过错责任), and the reviewed unit's rectification."""

    __tablename__ = "review_finding"

    id: int | None = Field(default=None, primary_key=True)
    sample_id: int = Field(foreign_key="review_sample.id", index=True)
    unit_id: int = Field(foreign_key="agency.id", index=True)
    item_code: str = Field(max_length=60)
    item_title: str = Field(max_length=200)
    veto: bool = False
    points_lost: float = 0
    comment: str = Field(default="", sa_column=Column(sa.Text, nullable=False))
    officer_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    due_on: date
    rectification: str | None = Field(default=None, sa_column=Column(sa.Text, nullable=True))
    rectified_by: int | None = Field(default=None, foreign_key="app_user.id")
    rectified_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
