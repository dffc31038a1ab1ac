"""Replacing a drawn officer (更换抽取的执法人员) of an inspection a batch or an annual plan's visit started.

Whoever made the draw replaces: a batch's organiser (a county officer of the bureau that organised it, the authority
api.plans.batches gives for drawing and starting a batch) and, for a plan's visit, the plan agency's head (the plan
was approved by the head; its officers drew it for themselves). The replacement is an officer of the agency the pair
was drawn from, eligible as in the draw (api.plans.draw.eligible_pool, certificates valid through the draw's date or
today, whichever is later), neither drawn already nor the one replaced: drawn at random with a recorded seed among
the candidates, or, where plan_draw.yaml allows, named with a reason. Only before the on-site step is done.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import CaseMember, MemberPurpose, StaffCategory, User
from api.identity.service import actor_for, today
from api.plans import batches
from api.plans.draw import eligible_pool, load_config, month_end
from api.plans.drawn_start import REPLACED, drawn_ids, replacements
from api.plans.models import BatchInspection, InspectionBatch, InspectionPlan, OfficerConflict, PlanVisit
from engine import clock, record
from engine.casestore import lock_case
from engine.db import read_session, transaction
from engine.errors import Conflict, Forbidden, InvalidState, ValidationFailed
from engine.models import Case, Task
from engine.vocab import Role, TaskStatus

ONSITE_STEP = "onsite_inspection"  # the inspection model's on-site step (bpmn/inspection.bpmn)


@dataclass(frozen=True)
class Draw:
    """Where a case's pair was drawn: the batch or the plan visit, the agency that drew, the officers' agency."""

    source: dict
    drawn_by: int
    officer_agency_id: int
    target_id: int
    valid_through: str


def _draw_of(session: Session, case_id: int) -> Draw | None:
    batch = session.exec(select(BatchInspection, InspectionBatch).join(
        InspectionBatch, InspectionBatch.id == BatchInspection.batch_id).where(BatchInspection.case_id == case_id)).first()
    if batch is not None:
        link, b = batch
        entry = next(e for e in b.result["entries"] if e["target_id"] == link.target_id)
        return Draw({"batch_id": b.id}, b.agency_id, entry["officer_agency_id"], link.target_id,
                    b.inputs["valid_through"])
    visit = session.exec(select(PlanVisit, InspectionPlan).join(InspectionPlan, InspectionPlan.id == PlanVisit.plan_id)
                         .where(PlanVisit.case_id == case_id)).first()
    if visit is not None:
        v, plan = visit
        return Draw({"plan_id": plan.id, "visit_id": v.id}, plan.agency_id, plan.agency_id, v.target_id,
                    month_end(plan.year, v.month).isoformat())
    return None


def _authority(session: Session, user: User, draw: Draw) -> Role | None:
    """The role in which the user replaces the draw's officers, or None."""
    if "batch_id" in draw.source:
        return Role.county_officer if batches.may_organise(session, user, draw.drawn_by) else None
    return Role.agency_head if user.has_role(Role.agency_head) and user.agency_id == draw.drawn_by else None


def _refuse(draw: Draw) -> Forbidden:
    who = "组织该批次的县局执法人员" if "batch_id" in draw.source else "年度计划所属机构的负责人"
    return Forbidden(f"只有{who}可以更换抽取的执法人员", code="drawn_replace_forbidden")


def _candidates(session: Session, draw: Draw, excluded: list[int]) -> tuple[list[int], dict]:
    """The eligible officers (by id) and the inputs they were taken from, as the draw reads them."""
    officers = [u for u in session.exec(select(User).where(
        User.agency_id == draw.officer_agency_id, User.active.is_(True), User.staff_category == StaffCategory.officer)
        .order_by(User.id)) if any(u.has_role(r) for r in authz.OFFICER_ROLES)]
    conflicts = session.exec(select(OfficerConflict.user_id).where(OfficerConflict.target_id == draw.target_id)
                             .order_by(OfficerConflict.user_id)).all()
    inputs = {"officers": [{"id": u.id, "agency_id": u.agency_id, "certificate_no": u.certificate_number,
                            "certificate_expires": u.certificate_expires.isoformat() if u.certificate_expires else None}
                           for u in officers],
              "conflicts": [[user_id, draw.target_id] for user_id in conflicts],
              "valid_through": max(draw.valid_through, today().isoformat())}
    pool = eligible_pool(inputs, draw.officer_agency_id, draw.target_id, inputs["valid_through"])
    return [i for i in pool if i not in excluded], inputs


def _not_eligible(named: User, draw: Draw, inputs: dict) -> ValidationFailed:
    name = named.display_name
    if named.agency_id != draw.officer_agency_id or not any(named.has_role(r) for r in authz.OFFICER_ROLES):
        message = f"{name}不是抽取机构的执法人员"
    elif named.staff_category != StaffCategory.officer:
        message = f"{name}是辅助人员, 不能担任执法人员"
    elif [named.id, draw.target_id] in inputs["conflicts"]:
        message = f"{name}已申请对该单位回避"
    elif not named.active:
        message = f"{name}的账号已停用"
    else:
        message = f"{name}未持有有效期至{inputs['valid_through']}的行政执法证"
    return ValidationFailed(message, code="replacement_not_eligible", details={"user_id": named.id})


def replace_drawn(engine: sa.Engine, user: User, case_id: int, replaced_id: int, reason: str,
                  replacement_id: int | None = None, seed: int | None = None) -> dict:
    """Replace `replaced_id` among the case's drawn officers: named (`replacement_id`) or drawn with `seed`."""
    with transaction(engine) as session:
        authz.visible_case(session, user, case_id)
        case = lock_case(session, case_id)  # a step being completed waits, and sees the new pair
        draw = _draw_of(session, case_id)
        if draw is None:
            raise InvalidState("该检查不是双随机抽取发起的检查", code="not_drawn_inspection", details={"case_id": case_id})
        role = _authority(session, user, draw)
        if role is None:
            raise _refuse(draw)
        if session.exec(select(Task.id).where(Task.case_id == case_id, Task.bpmn_id == ONSITE_STEP,
                                              Task.status == TaskStatus.completed)).first():
            raise Conflict("现场检查已完成, 不能再更换抽取的执法人员", code="drawn_onsite_done")
        if not 1 <= len(reason.strip()) <= 500:
            raise ValidationFailed("请填写更换理由(500字以内)", code="replacement_reason_required")
        drawn = drawn_ids(session, [case_id]).get(case_id, [])
        replaced = session.get(User, replaced_id)
        if replaced_id not in drawn:
            raise ValidationFailed("被更换的人员不是本检查抽取的执法人员", code="not_drawn_officer",
                                   details={"user_id": replaced_id})
        pool, inputs = _candidates(session, draw, drawn)
        if replacement_id is not None:
            chosen = _named(session, replacement_id, drawn, pool, draw, inputs)
            mode, seed_text = "named", None
        else:
            if not pool:
                raise ValidationFailed("没有可抽取的其他执法人员(须持有效执法证且未申请回避)",
                                       code="replacement_pool_empty")
            seed = secrets.randbits(63) if seed is None else seed
            chosen, mode, seed_text = random.Random(seed).choice(pool), "random", str(seed)
        _swap(session, case, replaced_id, chosen, user, draw)
        new = session.get(User, chosen)
        result = {"case_id": case_id, "mode": mode, "reason": reason, "seed": seed_text, "candidates": pool,
                  "replaced": {"user_id": replaced.id, "name": replaced.display_name},
                  "replacement": {"user_id": new.id, "name": new.display_name,
                                  "certificate_no": new.certificate_number},
                  "source": draw.source, "draw_inputs": inputs}
        record.append_event(session, case_id=case_id, kind=REPLACED, actor=actor_for(user, role), inputs=result)
        return {k: v for k, v in result.items() if k != "draw_inputs"}


def _named(session: Session, replacement_id: int, drawn: list[int], pool: list[int], draw: Draw, inputs: dict) -> int:
    if not load_config().get("named_replacement"):
        raise Forbidden("按规定只能随机抽取替换的执法人员, 不能指定", code="named_replacement_not_allowed")
    named = session.get(User, replacement_id)
    if named is None:
        raise ValidationFailed("指定的执法人员不存在", code="replacement_not_eligible", details={"user_id": replacement_id})
    if replacement_id in drawn:
        raise ValidationFailed(f"{named.display_name}已是本检查抽取的执法人员", code="replacement_already_drawn",
                               details={"user_id": replacement_id})
    if replacement_id not in pool:
        raise _not_eligible(named, draw, inputs)
    return replacement_id


def _swap(session: Session, case: Case, replaced_id: int, chosen: int, user: User, draw: Draw) -> None:
    """The drawn membership passes to `chosen`; in a case of another agency (a cross inspection) with the
    membership that lets an officer act in it (api.authz)."""
    purposes = [MemberPurpose.drawn, *([MemberPurpose.officer] if draw.officer_agency_id != case.agency_id else [])]
    session.execute(sa.delete(CaseMember).where(CaseMember.case_id == case.id, CaseMember.user_id == replaced_id,
                                          CaseMember.purpose.in_(purposes)))
    for purpose in purposes:
        session.add(CaseMember(case_id=case.id, user_id=chosen, purpose=purpose, added_by=user.id,
                               added_at=clock.now()))


def case_panel(engine: sa.Engine, user: User, case_id: int) -> dict | None:
    """What the case page shows of a drawn inspection: the pair, its replacements, and the form if the user may."""
    with read_session(engine) as session:
        draw = _draw_of(session, case_id)
        if draw is None:
            return None
        drawn = drawn_ids(session, [case_id]).get(case_id, [])
        names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(drawn))).all())
        may = _authority(session, user, draw) is not None and not session.exec(select(Task.id).where(
            Task.case_id == case_id, Task.bpmn_id == ONSITE_STEP, Task.status == TaskStatus.completed)).first()
        pool = _candidates(session, draw, drawn)[0] if may else []
        pool_names = dict(session.exec(select(User.id, User.display_name).where(User.id.in_(pool))).all())
        return {"officers": [{"user_id": i, "name": names[i]} for i in drawn], "may_replace": may,
                "candidates": [{"user_id": i, "name": pool_names[i]} for i in pool],
                "named_allowed": bool(load_config().get("named_replacement")),
                "replacements": replacements(session, [case_id]).get(case_id, [])}
