"""Findings (评查发现的问题): each deduction or veto, the officers responsible (执法过错责任), and the reviewed
unit's rectification task; a finding not rectified by its due day is flagged overdue."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from api.casefile_review import review_candidates as found
from api.casefile_review import review_permissions
from api.casefile_review.models import ReviewFinding, ReviewPlan, ReviewSample
from api.identity.models import User
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction
from engine.errors import InvalidState, NotFound
from engine.models import Case


class RectificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rectification: str = Field(min_length=1, max_length=4000, description="整改情况")


def today() -> date:
    return clock.now().astimezone(SHANGHAI).date()


def finding_rows(session: Session, plan: ReviewPlan, units: list[int] | None, on: date) -> list[dict]:
    query = (select(ReviewFinding, ReviewSample.case_id).join(ReviewSample, ReviewSample.id == ReviewFinding.sample_id)
             .where(ReviewSample.plan_id == plan.id).order_by(ReviewFinding.id))
    if units is not None:
        query = query.where(ReviewFinding.unit_id.in_(units))
    rows = session.exec(query).all()
    people = found.user_names(session, {i for f, _ in rows for i in f.officer_ids} | {f.rectified_by for f, _ in rows})
    unit_names = found.unit_names(session, {f.unit_id for f, _ in rows})
    numbers = dict(session.exec(select(Case.id, Case.number).where(Case.id.in_([c for _, c in rows]))).all()) if rows else {}
    return [{"id": f.id, "sample_id": f.sample_id, "case_id": case_id, "case_number": numbers.get(case_id),
             "unit_id": f.unit_id, "unit_name": unit_names.get(f.unit_id, ""), "item_code": f.item_code,
             "item_title": f.item_title, "veto": f.veto, "points_lost": f.points_lost, "comment": f.comment,
             "officers": [{"id": i, "name": people.get(i, "")} for i in f.officer_ids], "due_on": f.due_on.isoformat(),
             "rectification": f.rectification, "rectified_at": f.rectified_at.isoformat() if f.rectified_at else None,
             "rectified_by": people.get(f.rectified_by) if f.rectified_by else None,
             "overdue": f.rectified_at is None and f.due_on < on} for f, case_id in rows]


def plan_findings(engine: sa.Engine, user: User, plan_id: int) -> list[dict]:
    with read_session(engine) as session:
        plan = session.get(ReviewPlan, plan_id)
        if plan is None:
            raise NotFound("评查方案不存在或无权查看", code="review_plan_not_found", details={"plan_id": plan_id})
        return finding_rows(session, plan, review_permissions.plan_reader_units(session, user, plan.agency_id), today())


def report_rectification(engine: sa.Engine, user: User, finding_id: int, body: RectificationIn) -> dict:
    with transaction(engine) as session:
        finding = session.get(ReviewFinding, finding_id)
        if finding is None:
            raise NotFound("评查问题不存在", code="review_finding_not_found", details={"finding_id": finding_id})
        review_permissions.require_rectifier(user, finding.unit_id)
        if finding.rectified_at is not None:
            raise InvalidState("该问题已报告整改", code="already_rectified", details={"finding_id": finding_id})
        finding.rectification, finding.rectified_by, finding.rectified_at = body.rectification.strip(), user.id, clock.now()
        session.add(finding)
        session.flush()
        plan = session.get(ReviewPlan, session.get(ReviewSample, finding.sample_id).plan_id)
        return next(row for row in finding_rows(session, plan, [finding.unit_id], today()) if row["id"] == finding.id)


def plan_of_finding(engine: sa.Engine, finding_id: int) -> tuple[int, int]:
    """The plan a finding belongs to, and the unit that rectifies it."""
    with read_session(engine) as session:
        finding = session.get(ReviewFinding, finding_id)
        if finding is None:
            raise NotFound("评查问题不存在", code="review_finding_not_found", details={"finding_id": finding_id})
        return session.get(ReviewSample, finding.sample_id).plan_id, finding.unit_id
