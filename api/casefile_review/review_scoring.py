"""Scoring one sampled file: the pre-check's automatic items (a reviewer may override one, with a reason), the
manual items, veto findings and the grade, by the weights, bands and veto rule of the plan's rubric.

Each deduction and veto becomes a finding for the reviewed unit to rectify (review_findings)."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from api import authz
from api.casefile_review import review_candidates as found
from api.casefile_review import review_permissions
from api.casefile_review.models import PlanStatus, ReviewFinding, ReviewPlan, ReviewSample, ReviewScore
from api.identity.models import User
from api.services.review_precheck import case_precheck
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction
from engine.errors import InvalidState, NotFound, ValidationFailed
from engine.models import Agency, Case
from engine.review_rubric import load_rubric
from engine.runtime import Runtime


class ItemScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=60)
    score: float | None = Field(default=None, ge=0, le=100, description="人工评分项必填; 自动评分项填写即为修正")
    override_reason: str = Field(default="", max_length=1000, description="修正自动评分的理由")
    comment: str = Field(default="", max_length=2000)
    veto: bool = Field(default=False, description="否决项: 评查人员认定存在否决情形")
    officer_ids: list[int] = Field(default=[], max_length=20, description="责任执法人员")


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[ItemScoreIn] = Field(max_length=200)


def get_sample(session: Session, sample_id: int) -> tuple[ReviewSample, ReviewPlan]:
    sample = session.get(ReviewSample, sample_id)
    if sample is None:
        raise NotFound("评查案卷不存在或无权查看", code="review_sample_not_found", details={"sample_id": sample_id})
    return sample, session.get(ReviewPlan, sample.plan_id)


def _readable(session: Session, user: User, sample: ReviewSample, plan: ReviewPlan) -> None:
    if user.id == sample.reviewer_id:
        return
    units = review_permissions.plan_reader_units(session, user, plan.agency_id)
    if units is not None and sample.unit_id not in units:
        raise authz.Hidden("无权查看该评查案卷", details={"sample_id": sample.id},
                           not_found=NotFound("评查案卷不存在或无权查看", code="review_sample_not_found",
                                              details={"sample_id": sample.id}))


def score_view(score: ReviewScore | None) -> dict | None:
    if score is None:
        return None
    return {"items": score.items, "total": score.total, "vetoes": score.vetoes, "grade": score.grade,
            "scored_at": score.scored_at.isoformat()}


def scoring_form(runtime: Runtime, user: User, sample_id: int) -> dict:
    """What the reviewer's form shows: the pre-check with its evidence, the manual items, the saved result."""
    with read_session(runtime.engine) as session:
        sample, plan = get_sample(session, sample_id)
        _readable(session, user, sample, plan)
        case = session.get(Case, sample.case_id)
        unit = session.get(Agency, sample.unit_id)
        score = session.exec(select(ReviewScore).where(ReviewScore.sample_id == sample.id)).first()
        names = found.user_names(session, found.participants(session, [case.id]).get(case.id, ()))
    precheck = case_precheck(runtime, user, sample.case_id, plan.rubric)
    return {"sample_id": sample.id, "plan_id": plan.id, "plan_title": plan.title, "case_id": case.id,
            "case_number": case.number, "case_title": case.title, "party_name": case.party_name,
            "unit_id": unit.id, "unit_name": unit.name, "reviewer_id": sample.reviewer_id,
            "may_score": user.id == sample.reviewer_id and plan.status == PlanStatus.reviewing,
            "dossier_url": f"/cases/{case.id}/dossier", "case_url": f"/cases/{case.id}",
            "officers": [{"id": i, "name": n} for i, n in sorted(names.items())],
            "precheck": precheck, "score": score_view(score)}


def _scored_items(precheck: dict, given: dict[str, ItemScoreIn], officers: set[int]) -> tuple[list[dict], list[dict]]:
    rows, problems = [], []
    for row in precheck["items"]:
        code, points, entry = row["code"], row["points"], given.get(row["code"])
        entry = entry or ItemScoreIn(code=code)
        overridden = False
        if row["automatic"]:
            score = row["score"]
            if entry.score is not None and entry.score != row["score"]:
                if not entry.override_reason.strip():
                    problems.append({"code": code, "problem": f"修正「{row['title']}」的自动评分须写明理由"})
                score, overridden = entry.score, True
            vetoed = row["veto_item"] and (entry.veto if overridden else row["status"] == "failed" or entry.veto)
        else:
            if entry.score is None:
                problems.append({"code": code, "problem": f"「{row['title']}」未评分"})
            score, vetoed = entry.score or 0, row["veto_item"] and entry.veto
        if score > points:
            problems.append({"code": code, "problem": f"「{row['title']}」得分{score:g}超过该项分值{points}"})
        if entry.veto and not row["veto_item"]:
            problems.append({"code": code, "problem": f"「{row['title']}」不是否决项"})
        strangers = sorted(set(entry.officer_ids) - officers)
        if strangers:
            problems.append({"code": code, "problem": f"「{row['title']}」的责任人员须为参与本案的人员", "user_ids": strangers})
        rows.append({"code": code, "title": row["title"], "area": row["area"], "points": points, "score": score,
                     "automatic": row["automatic"], "precheck_score": row["score"], "overridden": overridden,
                     "override_reason": entry.override_reason.strip() if overridden else "",
                     "comment": entry.comment.strip() or (row["message"] if row["automatic"] else ""),
                     "veto": bool(vetoed), "officer_ids": sorted(set(entry.officer_ids))})
    unknown = sorted(set(given) - {row["code"] for row in precheck["items"]})
    problems += [{"code": code, "problem": f"评查标准中没有评查要点 {code}"} for code in unknown]
    return rows, problems


def submit_score(runtime: Runtime, user: User, sample_id: int, body: ScoreIn) -> dict:
    """Store the file's result and the findings it gives; a result is replaced until the unit has rectified."""
    with read_session(runtime.engine) as session:
        sample, plan = get_sample(session, sample_id)
        _readable(session, user, sample, plan)
        review_permissions.require_sample_reviewer(user, sample.reviewer_id)
        officers = set(found.participants(session, [sample.case_id]).get(sample.case_id, ()))
    if plan.status != PlanStatus.reviewing:
        raise InvalidState(f"评查方案当前为「{PlanStatus(plan.status).label}」, 不能评分", code="review_plan_state",
                           details={"plan_id": plan.id})
    precheck = case_precheck(runtime, user, sample.case_id, plan.rubric)
    rows, problems = _scored_items(precheck, {item.code: item for item in body.items}, officers)
    if problems:
        raise ValidationFailed("评分有误: " + "; ".join(p["problem"] for p in problems), code="review_score_invalid",
                               details=problems)
    version = load_rubric(plan.rubric).version_on(date.fromisoformat(precheck["rubric_effective_from"]))
    vetoes = [{"code": r["code"], "title": r["title"], "comment": r["comment"]} for r in rows if r["veto"]]
    total = sum(r["score"] for r in rows)
    if vetoes and version.veto_rule == "zero":
        total = 0
    grade = version.grade_for(total, bool(vetoes))
    now = clock.now()
    due = now.astimezone(SHANGHAI).date() + timedelta(days=plan.rectification_days)
    with transaction(runtime.engine) as session:
        old = session.exec(select(ReviewFinding).where(ReviewFinding.sample_id == sample.id)).all()
        if any(f.rectified_at for f in old):
            raise InvalidState("被评查单位已报告整改, 评分不能再修改", code="review_score_locked", details={"sample_id": sample.id})
        for finding in old:
            session.delete(finding)
        score = session.exec(select(ReviewScore).where(ReviewScore.sample_id == sample.id)).first() or ReviewScore(
            sample_id=sample.id, total=0, grade="", rubric_effective_from=version.effective_from, scored_by=user.id,
            scored_at=now)
        score.items, score.total, score.vetoes, score.grade = rows, total, vetoes, grade
        score.rubric_effective_from, score.scored_by, score.scored_at = version.effective_from, user.id, now
        session.add(score)
        for row in rows:
            if row["veto"] or row["score"] < row["points"]:
                session.add(ReviewFinding(sample_id=sample.id, unit_id=sample.unit_id, item_code=row["code"],
                                          item_title=row["title"], veto=row["veto"], points_lost=row["points"] - row["score"],
                                          comment=row["comment"], officer_ids=row["officer_ids"], due_on=due))
        session.flush()
        return score_view(score)
