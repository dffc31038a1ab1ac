"""Review plans (评查方案): drafted by a supervisor, approved by the head, drawn once with a recorded seed,
replayed on demand (`zhifa review redraw PLAN`) to show the sample is the one the seed and inputs give."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from api import authz
from api.casefile_review import review_candidates as found
from api.casefile_review import review_draw as drawing
from api.casefile_review import review_permissions
from api.casefile_review import review_procedure as procedure
from api.casefile_review.models import PlanStatus, ReviewPlan, ReviewSample
from api.identity.models import CaseMember, MemberPurpose, User
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction
from engine.errors import InvalidState, NotFound, ValidationFailed
from engine.models import Case
from engine.review_rubric import load_rubric
from engine.runtime import Runtime

PROCEDURES = {"general_procedure": "一般程序", "simple_procedure_case": "简易程序"}


class PlanDraft(BaseModel):
    """A supervisor's draft of a review plan."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200, description="方案名称")
    period_from: date = Field(description="立案日期起(含)")
    period_to: date = Field(description="立案日期止(含)")
    unit_ids: list[int] = Field(min_length=1, max_length=100, description="被评查单位")
    procedures: list[str] = Field(default=["general_procedure"], min_length=1, max_length=5)
    share_percent: int = Field(default=10, ge=1, le=100, description="抽取比例(%)")
    minimum_per_unit: int = Field(default=3, ge=0, le=1000, description="每单位至少抽取件数")
    always_include: list[str] = Field(default=list(drawing.ALWAYS_INCLUDE), max_length=4)
    township_reviewers: bool = Field(default=False, description="允许其他乡镇持证执法人员参加交叉评查")
    rubric: str = Field(default="default", max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    rectification_days: int = Field(default=30, ge=1, le=365, description="整改期限(日)")


def today() -> date:
    return clock.now().astimezone(SHANGHAI).date()


def get_plan(session: Session, plan_id: int) -> ReviewPlan:
    plan = session.get(ReviewPlan, plan_id)
    if plan is None:
        raise NotFound("评查方案不存在或无权查看", code="review_plan_not_found", details={"plan_id": plan_id})
    return plan


def _require_status(plan: ReviewPlan, *allowed: PlanStatus) -> None:
    if plan.status not in allowed:
        raise InvalidState(f"评查方案当前为「{PlanStatus(plan.status).label}」, 不能执行此操作", code="review_plan_state",
                           details={"plan_id": plan.id, "status": plan.status})


def check_draft(draft: PlanDraft) -> None:
    problems = []
    if draft.period_to < draft.period_from:
        problems.append("评查期间的截止日期早于起始日期")
    unknown = set(draft.always_include) - set(drawing.ALWAYS_INCLUDE)
    if unknown:
        problems.append(f"未知的必查规则: {', '.join(sorted(unknown))}(可选: {', '.join(drawing.ALWAYS_INCLUDE)})")
    if set(draft.procedures) - set(PROCEDURES):
        problems.append(f"评查程序只能是: {', '.join(PROCEDURES)}")
    if problems:
        raise ValidationFailed("评查方案有误: " + "; ".join(problems), code="review_plan_invalid", details={"problems": problems})
    load_rubric(draft.rubric)


def _checked_units(session: Session, user: User, draft: PlanDraft):
    county = review_permissions.review_organiser_agency(session, user)
    outside = sorted(set(draft.unit_ids) - set(authz.jurisdiction_ids(session, county)))
    if outside:
        raise ValidationFailed("被评查单位须为本局及所辖乡镇(园区)", code="unit_outside_jurisdiction",
                               details={"unit_ids": outside})
    return county


def create_plan(runtime: Runtime, user: User, draft: PlanDraft) -> ReviewPlan:
    """A supervisor's draft starts the plan's workflow; it then waits for the head's approval."""
    check_draft(draft)
    with transaction(runtime.engine) as session:
        county = _checked_units(session, user, draft)
        plan = ReviewPlan(agency_id=county.id, status=PlanStatus.draft, created_by=user.id, created_at=clock.now(),
                          **draft.model_dump() | {"unit_ids": sorted(set(draft.unit_ids))})
        procedure.start(runtime, plan, user, draft.model_dump(mode="json"))
        session.add(plan)
        session.flush()
        return plan


def revise_plan(runtime: Runtime, user: User, plan_id: int, draft: PlanDraft) -> ReviewPlan:
    """A plan the head returned, revised and submitted again."""
    check_draft(draft)
    with transaction(runtime.engine) as session:
        _checked_units(session, user, draft)
        plan = get_plan(session, plan_id)
        review_permissions.plan_reader_units(session, user, plan.agency_id)
        _require_status(plan, PlanStatus.returned)
        for name, value in (draft.model_dump() | {"unit_ids": sorted(set(draft.unit_ids))}).items():
            setattr(plan, name, value)
        procedure.advance(runtime, plan, "draft_plan", user, draft.model_dump(mode="json"))
        session.add(plan)
        return plan


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    plan_approved: bool = Field(default=True, description="是否批准")
    head_opinion: str = Field(default="", max_length=500, description="审批意见(不批准的必填)")


def approve_plan(runtime: Runtime, user: User, plan_id: int, approval: Approval | None = None) -> ReviewPlan:
    approval = approval or Approval()
    with transaction(runtime.engine) as session:
        plan = get_plan(session, plan_id)
        review_permissions.require_plan_approver(session, user, plan.agency_id)
        _require_status(plan, PlanStatus.draft)
        procedure.advance(runtime, plan, "approve_plan", user, approval.model_dump())
        if approval.plan_approved:
            plan.approved_by, plan.approved_at = user.id, clock.now()
        session.add(plan)
        return plan


def _inputs(runtime: Runtime, session: Session, plan: ReviewPlan) -> dict:
    candidates = found.candidates(runtime, session, plan)
    participants = found.participants(session, [c.case_id for c in candidates])
    rules = drawing.DrawRules(plan.share_percent, plan.minimum_per_unit, tuple(plan.always_include))
    return drawing.inputs_record(candidates, rules, found.reviewers(session, plan, today()), participants)


def draw_plan(runtime: Runtime, user: User, plan_id: int, seed: str | None = None) -> ReviewPlan:
    """Draw the sample and assign reviewers; the seed and every input are stored with the plan.

    The inputs are read first (each candidate's workflow data), outside the write transaction; the write checks the
    plan is still waiting for its draw. Each reviewer is added to their file as a review member, so they see the
    archived case and its pre-check."""
    with read_session(runtime.engine) as session:
        review_permissions.review_organiser_agency(session, user)
        plan = get_plan(session, plan_id)
        review_permissions.plan_reader_units(session, user, plan.agency_id)
        _require_status(plan, PlanStatus.approved)
        inputs = _inputs(runtime, session, plan)
    seed = seed or secrets.token_hex(16)
    sample, assigned = drawing.replay(seed, inputs)
    if not sample:
        raise ValidationFailed("评查期间内被评查单位没有已归档的案卷, 无可抽取", code="nothing_to_draw",
                               details={"plan_id": plan_id})
    with transaction(runtime.engine) as session:
        plan = get_plan(session, plan_id)
        _require_status(plan, PlanStatus.approved)
        for drawn in sample:
            session.add(ReviewSample(plan_id=plan.id, case_id=drawn.case_id, unit_id=drawn.unit_id,
                                     reasons=list(drawn.reasons), reviewer_id=assigned[drawn.case_id]))
            exists = session.exec(select(CaseMember).where(CaseMember.case_id == drawn.case_id,
                                                           CaseMember.user_id == assigned[drawn.case_id],
                                                           CaseMember.purpose == MemberPurpose.review)).first()
            if exists is None:
                session.add(CaseMember(case_id=drawn.case_id, user_id=assigned[drawn.case_id], purpose=MemberPurpose.review,
                                       added_by=user.id, added_at=clock.now()))
        plan.seed, plan.draw_inputs, plan.drawn_at = seed, inputs, clock.now()
        plan.draw_digest = drawing.digest(seed, inputs, sample, assigned)
        procedure.advance(runtime, plan, "draw_sample", user, {"seed": seed, "draw_digest": plan.draw_digest,
                                                               "sampled_files": len(sample)})
        session.add(plan)
        return plan


def redraw(runtime: Runtime, plan_id: int) -> dict:
    """Replay the draw from the recorded seed and inputs and compare: with the stored sample and reviewers, with
    the recorded digest, and the recorded inputs with what the database gives today."""
    with read_session(runtime.engine) as session:
        plan = get_plan(session, plan_id)
        if plan.seed is None or plan.draw_inputs is None:
            raise InvalidState("该评查方案尚未抽取", code="review_plan_not_drawn", details={"plan_id": plan_id})
        sample, assigned = drawing.replay(plan.seed, plan.draw_inputs)
        stored = session.exec(select(ReviewSample).where(ReviewSample.plan_id == plan.id)).all()
        stored_pairs = sorted((s.case_id, s.reviewer_id) for s in stored)
        replayed_pairs = sorted((d.case_id, assigned[d.case_id]) for d in sample)
        current = _inputs(runtime, session, plan)
    return {"plan_id": plan.id, "seed": plan.seed, "sample": [d.case_id for d in sample],
            "sample_matches": stored_pairs == replayed_pairs,
            "digest_matches": drawing.digest(plan.seed, plan.draw_inputs, sample, assigned) == plan.draw_digest,
            "inputs_unchanged": current == plan.draw_inputs,
            "missing": sorted(set(replayed_pairs) - set(stored_pairs)),
            "unexpected": sorted(set(stored_pairs) - set(replayed_pairs))}


def plan_view(session: Session, user: User, plan: ReviewPlan) -> dict:
    units = review_permissions.plan_reader_units(session, user, plan.agency_id)
    samples = session.exec(select(ReviewSample).where(ReviewSample.plan_id == plan.id).order_by(ReviewSample.id)).all()
    if units is not None:
        samples = [s for s in samples if s.unit_id in units or s.reviewer_id == user.id]
    names = found.unit_names(session, set(plan.unit_ids))
    people = found.user_names(session, {s.reviewer_id for s in samples})
    numbers = dict(session.exec(select(Case.id, Case.number).where(Case.id.in_([s.case_id for s in samples]))).all()) if samples else {}
    return {"id": plan.id, "title": plan.title, "status": plan.status, "status_label": PlanStatus(plan.status).label,
            "approved_at": plan.approved_at.isoformat() if plan.approved_at else None,
            "period_from": plan.period_from.isoformat(), "period_to": plan.period_to.isoformat(),
            "units": [{"id": i, "name": names.get(i, "")} for i in plan.unit_ids], "procedures": plan.procedures,
            "share_percent": plan.share_percent, "minimum_per_unit": plan.minimum_per_unit,
            "always_include": plan.always_include, "township_reviewers": plan.township_reviewers, "rubric": plan.rubric,
            "seed": plan.seed, "draw_digest": plan.draw_digest,
            "rectification_due": (plan.drawn_at.date() + timedelta(days=plan.rectification_days)).isoformat()
            if plan.drawn_at else None,
            "samples": [{"id": s.id, "case_id": s.case_id, "case_number": numbers.get(s.case_id), "unit_id": s.unit_id,
                         "unit_name": names.get(s.unit_id, ""), "reasons": s.reasons,
                         "reason_labels": [drawing.REASON_LABELS[r] for r in s.reasons],
                         "reviewer_id": s.reviewer_id, "reviewer_name": people.get(s.reviewer_id, "")} for s in samples]}
