"""Annual plans: draw a draft from the register, run its approval (the `annual_plan` process), and once it is
published schedule each visit as an inspection case at the start of its month (`schedule_due`, a worker pass).

Which targets a plan covers follows the register's one-unit-one-level rule: a township's or park's plan covers
its units assigned to the township level; the county bureau's plan covers the units of its whole jurisdiction
assigned to the county level. The officers are the plan agency's certified officers; declared conflicts (回避)
are recorded per officer and unit. The draw's seed and every input are stored with the plan.
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import StaffCategory, User
from api.identity.service import actor_for, today
from api.plans.draw import draw, load_config, risk_weighted
from api.plans.drawn_start import drawn_ids, officer_refs, replacements, shown, start_drawn, target_facts
from api.plans.models import InspectionPlan, OfficerConflict, PlanVisit
from api.targets import risk, target_permissions
from api.targets.models import Target
from engine import clock
from engine.db import read_session, transaction
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.models import Actor, Agency, Case
from engine.runtime import Runtime
from engine.vocab import AgencyKind, Role

OFFICER_ROLES = (Role.township_officer, Role.county_officer)


def _plan_officer_role(session: Session, user: User) -> Role:
    authz.require_enforcement_actor(user)
    agency = session.get(Agency, user.agency_id)
    role = Role.county_officer if agency.kind == AgencyKind.county_bureau else Role.township_officer
    if not user.has_role(role):
        raise Forbidden("年度监督检查计划由本机构执法人员编制", code="plan_officer_required")
    return role


def plan_inputs(session: Session, agency: Agency, year: int) -> dict:
    """Everything the draw reads, in a fixed order: the units of the plan's level, the officers, the conflicts."""
    if agency.kind == AgencyKind.county_bureau:
        scope, level = authz.jurisdiction_ids(session, agency), "county"
    else:
        scope, level = [agency.id], "township"
    targets = session.exec(select(Target).where(Target.township_id.in_(scope), Target.assigned_level == level)
                           .order_by(Target.id)).all()
    officers = session.exec(select(User).where(User.agency_id == agency.id, User.active.is_(True),
                                               User.staff_category == StaffCategory.officer).order_by(User.id)).all()
    officers = [u for u in officers if any(u.has_role(role) for role in OFFICER_ROLES)]
    weights = risk.load_weights()
    histories = risk.histories(session, [t.id for t in targets])
    scores = {t.id: risk.score({"risk_level": t.risk_level, "credit_level": t.credit_level}, histories[t.id], weights)
              for t in targets}
    conflicts = session.exec(select(OfficerConflict).where(OfficerConflict.user_id.in_([u.id for u in officers]))
                             .order_by(OfficerConflict.id)).all() if officers else []
    return {
        "year": year, "agency_id": agency.id,
        "targets": [{"id": t.id, "key_target": t.key_target, "standardisation": t.standardisation,
                     "risk_level": t.risk_level, "industry": t.industry, "risk_score": scores[t.id]["score"],
                     "risk_parts": scores[t.id]["parts"], "history": histories[t.id]} for t in targets],
        "officers": [{"id": u.id, "agency_id": u.agency_id, "certificate_no": u.certificate_number,
                      "certificate_expires": u.certificate_expires.isoformat() if u.certificate_expires else None}
                     for u in officers],
        "conflicts": [[c.user_id, c.target_id] for c in conflicts],
        "config": load_config() | {"risk_weights": weights},
    }


def create_plan(runtime: Runtime, user: User, year: int, seed: int | None = None) -> dict:
    """Draw the draft and start its approval; a draw that cannot give every visit two officers is refused."""
    with transaction(runtime.engine) as session:
        role = _plan_officer_role(session, user)
        if "annual_plan" not in runtime.specs.current:
            raise NotFound("未载入年度计划流程(annual_plan)", code="process_not_found")
        agency = session.get(Agency, user.agency_id)
        if session.exec(select(InspectionPlan.id).where(InspectionPlan.agency_id == agency.id, InspectionPlan.year == year,
                                                        InspectionPlan.published_at.is_not(None))).first():
            raise Conflict(f"本机构{year}年度计划已公布", code="plan_published", details={"year": year})
        inputs = plan_inputs(session, agency, year)
        seed = secrets.randbits(63) if seed is None else seed
        result = draw(inputs, seed)
        if result["problems"]:
            raise ValidationFailed("部分检查无法抽取两名执法人员, 计划未生成", code="plan_draw_impossible",
                                   details=result["problems"])
        plan = InspectionPlan(agency_id=agency.id, year=year, seed=str(seed), inputs=inputs, result=result,
                              created_at=clock.now(), created_by=user.id)
        session.add(plan)
        session.flush()
        for entry in result["entries"]:
            for visit in entry["visits"]:
                session.add(PlanVisit(plan_id=plan.id, target_id=entry["target_id"], month=visit["month"],
                                      officer_ids=visit["officers"]))
        plan_id = plan.id
    summary = {"plan_id": plan_id, "year": year, "targets": len(result["entries"]),
               "visits": sum(len(e["visits"]) for e in result["entries"]),
               "key_targets": sum(1 for e in result["entries"] if e["key_target"])}
    view = runtime.start_case("annual_plan", agency_id=agency.id, actor=actor_for(user, role), kind="plan",
                              title=f"{year}年度监督检查计划", party_name=agency.name, data={"plan": summary})
    with transaction(runtime.engine) as session:
        session.get(InspectionPlan, plan_id).case_id = view.case.id
    return plan_detail(runtime.engine, user, plan_id)


def _visible(session: Session, user: User, plan_id: int) -> InspectionPlan:
    plan = session.get(InspectionPlan, plan_id)
    if plan is None or plan.agency_id not in target_permissions.register_agency_ids(session, user):
        raise NotFound("年度计划不存在或无权查看", code="plan_not_found", details={"plan_id": plan_id})
    return plan


def plan_detail(engine: sa.Engine, user: User, plan_id: int) -> dict:
    with read_session(engine) as session:
        plan = _visible(session, user, plan_id)
        visits = session.exec(select(PlanVisit).where(PlanVisit.plan_id == plan.id)
                              .order_by(PlanVisit.month, PlanVisit.target_id)).all()
        names = dict(session.exec(select(Target.id, Target.name).where(Target.id.in_({v.target_id for v in visits}))).all())
        people = dict(session.exec(select(User.id, User.display_name)).all())
        scored = {t["id"]: t for t in plan.inputs.get("targets", []) if "risk_score" in t}
        case = session.get(Case, plan.case_id) if plan.case_id else None
        started = [v.case_id for v in visits if v.case_id]
        now_drawn, replaced = drawn_ids(session, started), replacements(session, started)  # the pair after any replacement
        return {"id": plan.id, "agency_id": plan.agency_id, "year": plan.year, "seed": plan.seed,
                "case_id": plan.case_id, "case_number": case.number if case else None,
                "status": case.status if case else None, "published": plan.published_at is not None,
                "visits": [{"target_id": v.target_id, "target_name": names.get(v.target_id, ""), "month": v.month,
                            "officers": [{"user_id": i, "name": people.get(i, "")}
                                         for i in now_drawn.get(v.case_id, v.officer_ids)],
                            "replacements": [shown(r) for r in replaced.get(v.case_id, [])],
                            "case_id": v.case_id, **_risk_of(scored.get(v.target_id))} for v in visits],
                "weight_by_risk": risk_weighted(plan.inputs.get("targets", []), plan.inputs.get("config", {}))}


def _risk_of(target: dict | None) -> dict:
    """The drawn target's risk score and its parts as recorded in the draw's inputs (shown beside it)."""
    if target is None:
        return {}
    return {"risk_score": target["risk_score"], "risk_parts": [
        {"part": k, "label": risk.PART_LABELS[k], "points": v} for k, v in target["risk_parts"].items()]}


def list_plans(engine: sa.Engine, user: User) -> list[dict]:
    with read_session(engine) as session:
        plans = session.exec(select(InspectionPlan).where(
            InspectionPlan.agency_id.in_(target_permissions.register_agency_ids(session, user))).order_by(InspectionPlan.id)).all()
        return [{"id": p.id, "agency_id": p.agency_id, "year": p.year, "case_id": p.case_id,
                 "published": p.published_at is not None} for p in plans]


def declare_conflict(engine: sa.Engine, user: User, target_id: int, reason: str) -> dict:
    """An officer declares a conflict of interest with a unit (回避); plans drawn from now on never pick them."""
    with transaction(engine) as session:
        authz.require_enforcement_actor(user)
        target = session.get(Target, target_id)
        if target is None or target.township_id not in target_permissions.register_agency_ids(session, user):
            raise NotFound("执法对象不存在或无权查看", code="target_not_found", details={"target_id": target_id})
        if session.exec(select(OfficerConflict).where(OfficerConflict.user_id == user.id,
                                                      OfficerConflict.target_id == target_id)).first():
            raise Conflict("已申请过对该单位回避", code="conflict_declared", details={"target_id": target_id})
        session.add(OfficerConflict(user_id=user.id, target_id=target_id, reason=reason, declared_at=clock.now()))
        return {"user_id": user.id, "target_id": target_id, "reason": reason}


def plan_published(session: Session, case: Case, actor: Actor) -> None:
    """End hook: the approval process reached 计划公布."""
    if case.process_id == "annual_plan" and case.outcome == "published":
        plan = session.exec(select(InspectionPlan).where(InspectionPlan.case_id == case.id)).first()
        if plan is not None:
            plan.published_at = clock.now()
            session.add(plan)


def schedule_due(runtime: Runtime, on: date | None = None) -> int:
    """Start the inspection of every visit of a published plan whose month has begun (a worker pass); each visit's
    case is linked in the transaction that starts it, so a pass that stopped half-way is finished by the next."""
    on = on or today()
    with read_session(runtime.engine) as session:
        due = session.exec(select(PlanVisit, InspectionPlan).join(InspectionPlan, PlanVisit.plan_id == InspectionPlan.id)
                           .where(InspectionPlan.published_at.is_not(None), PlanVisit.case_id.is_(None),
                                  InspectionPlan.year * 100 + PlanVisit.month <= on.year * 100 + on.month)
                           .order_by(PlanVisit.id)).all()
        jobs = [(visit.id, f"{plan.year}年{visit.month}月计划检查", plan.id, plan.agency_id,
                 target_facts(session.get(Target, visit.target_id)), officer_refs(session, visit.officer_ids))
                for visit, plan in due]
    started = 0
    for visit_id, title, plan_id, agency_id, target, officers in jobs:
        try:
            start_drawn(runtime, agency_id=agency_id, title=title, target=target, officers=officers,
                        extra={"plan": {"plan_id": plan_id, "visit_id": visit_id}}, link=partial(_link_visit, visit_id))
        except Conflict:
            continue  # another pass started it
        started += 1
    return started


def _link_visit(visit_id: int, session: Session, case_id: int) -> None:
    """Refused (and the case not started) when another pass linked the visit first."""
    linked = session.execute(sa.update(PlanVisit).where(PlanVisit.id == visit_id, PlanVisit.case_id.is_(None))
                             .values(case_id=case_id))
    if linked.rowcount != 1:
        raise Conflict("该月计划检查已发起", code="visit_started", details={"visit_id": visit_id})
