"""The case-file review's items in a user's 待办 inbox: the head's approval of a submitted review plan, the
supervisor's revision of a returned one, and the reviewed unit's open rectification tasks (overdue flagged).

The same rules as the plan page's actions (api/casefile_review/review_permissions.py); listing them here only tells the
user where to act.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import select

from api.casefile_review import review_permissions
from api.casefile_review.models import PlanStatus, ReviewFinding, ReviewPlan, ReviewSample
from api.casefile_review.review_findings import today
from api.identity.models import User
from engine.db import read_session
from engine.errors import ZhifaError
from engine.models import Case
from engine.vocab import Role


def _item(kind: str, name: str, plan: ReviewPlan, detail: str, due_on: date | None = None, on: date | None = None,
          **extra) -> dict:
    return {"kind": kind, "name": name, "plan_id": plan.id, "plan_title": plan.title, "detail": detail,
            "href": f"/reviews/{plan.id}", "due_on": due_on.isoformat() if due_on else None,
            "overdue": bool(due_on and on and due_on < on), **extra}


def _may_rectify(user: User) -> bool:
    try:
        review_permissions.require_rectifier(user, user.agency_id)
    except ZhifaError:
        return False
    return True


def review_items(engine: sa.Engine, user: User) -> list[dict]:
    """The user's open review items, earliest deadline first (items without one last)."""
    items: list[dict] = []
    on = today()
    with read_session(engine) as session:
        if user.has_role(Role.agency_head):
            for plan in session.exec(select(ReviewPlan).where(ReviewPlan.agency_id == user.agency_id,
                                                              ReviewPlan.status == PlanStatus.draft).order_by(ReviewPlan.id)):
                items.append(_item("plan_approval", "审批评查方案", plan, "待负责人审批"))
        if user.has_role(Role.supervisor):
            for plan in session.exec(select(ReviewPlan).where(ReviewPlan.agency_id == user.agency_id,
                                                              ReviewPlan.status == PlanStatus.returned).order_by(ReviewPlan.id)):
                items.append(_item("plan_revision", "修改评查方案", plan, "负责人退回修改"))
        if user.agency_id is not None and _may_rectify(user):
            rows = session.exec(select(ReviewFinding, ReviewPlan, Case.number)
                                .join(ReviewSample, ReviewSample.id == ReviewFinding.sample_id)
                                .join(ReviewPlan, ReviewPlan.id == ReviewSample.plan_id)
                                .join(Case, Case.id == ReviewSample.case_id)
                                .where(ReviewFinding.unit_id == user.agency_id, ReviewFinding.rectified_at.is_(None))
                                .order_by(ReviewFinding.due_on, ReviewFinding.id)).all()
            for finding, plan, number in rows:
                items.append(_item("rectification", "整改评查问题", plan, f"{number or '(未编号)'} · {finding.item_title}",
                                   finding.due_on, on, finding_id=finding.id, veto=finding.veto))
    return sorted(items, key=lambda item: (item["due_on"] is None, item["due_on"] or ""))
