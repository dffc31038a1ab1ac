"""Cross and special inspections the county bureau organises as a batch (交叉检查 / 专项检查, issue 15).

The county names a filtered set of register targets (industry, risk level, townships); the batch draws the officer
pairs (api.plans.batch_draw, its seed and every input stored with the batch) and starts one inspection per target
in the right agency: a special inspection in the agency of the unit's assigned level; a cross inspection in the
county bureau's name with the drawn officers of another township added to the case (they then act in its officer
steps, as in a joint inspection). A draw that cannot give every target two officers starts nothing. Each target's
inspection is started with its link to the batch (api.plans.drawn_start), so starting again after an
interruption starts only the missing ones. A batch organised from the county's annual plan names it (`plan_id`).
"""

from __future__ import annotations

import secrets
from datetime import date
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import StaffCategory, User
from api.identity.service import today
from api.plans.batch_draw import KINDS, draw_batch
from api.plans.drawn_start import drawn_ids, officer_refs, replacements, shown, start_drawn, target_facts
from api.plans.models import BatchInspection, InspectionBatch, InspectionPlan, OfficerConflict
from api.targets import target_permissions
from api.targets.models import Target
from engine import clock
from engine.db import read_session, transaction
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.models import Agency, Case
from engine.runtime import Runtime
from engine.vocab import AgencyKind, CaseStatus, Role

OFFICER_ROLES = (Role.township_officer, Role.county_officer)
LEVELS = {"cross": ("township",), "special": ("county", "township")}


def _county(session: Session, user: User) -> Agency:
    authz.require_enforcement_actor(user)
    agency = session.get(Agency, user.agency_id)
    if agency.kind != AgencyKind.county_bureau or not user.has_role(Role.county_officer):
        raise Forbidden("交叉检查和专项检查由县应急管理局执法人员组织", code="batch_county_only")
    return agency


def organiser_county(session: Session, user: User, plan_agency_id: int) -> Agency:
    """The user's county bureau, if they may organise a batch under a plan of `plan_agency_id`: its own plans only."""
    county = _county(session, user)
    if plan_agency_id != county.id:
        raise Forbidden("只能在本局年度计划下组织交叉检查和专项检查", code="batch_plan_not_county")
    return county


def may_organise(session: Session, user: User, agency_id: int) -> bool:
    """Whether the user organises the batches of `agency_id` (and so may start an interrupted one again)."""
    try:
        return _county(session, user).id == agency_id
    except Forbidden:
        return False


def batch_inputs(session: Session, county: Agency, kind: str, filters: dict, valid_through: date) -> dict:
    """Everything the draw reads, in a fixed order: the filtered targets, the jurisdiction's officers, conflicts."""
    scope = authz.jurisdiction_ids(session, county)
    if filters.get("township_ids"):
        scope = [i for i in scope if i in filters["township_ids"]]
    query = select(Target).where(Target.township_id.in_(scope), Target.assigned_level.in_(LEVELS[kind]))
    for column, key in ((Target.industry, "industries"), (Target.risk_level, "risk_levels")):
        if filters.get(key):
            query = query.where(column.in_(filters[key]))
    targets = session.exec(query.order_by(Target.id)).all()
    officers = session.exec(select(User).where(User.agency_id.in_(authz.jurisdiction_ids(session, county)),
                                               User.active.is_(True), User.staff_category == StaffCategory.officer)
                            .order_by(User.id)).all()
    officers = [u for u in officers if any(u.has_role(role) for role in OFFICER_ROLES)]
    conflicts = session.exec(select(OfficerConflict).where(OfficerConflict.user_id.in_([u.id for u in officers]))
                             .order_by(OfficerConflict.id)).all() if officers else []
    return {"kind": kind, "county_agency_id": county.id, "filters": filters, "valid_through": valid_through.isoformat(),
            "targets": [{"id": t.id, "township_id": t.township_id, "assigned_level": t.assigned_level} for t in targets],
            "officers": [{"id": u.id, "agency_id": u.agency_id, "certificate_no": u.certificate_number,
                          "certificate_expires": u.certificate_expires.isoformat() if u.certificate_expires else None}
                         for u in officers],
            "conflicts": [[c.user_id, c.target_id] for c in conflicts]}


def start_batch(runtime: Runtime, user: User, kind: str, title: str, filters: dict, valid_through: date | None = None,
                seed: int | None = None, plan_id: int | None = None) -> dict:
    """Draw and store the batch, then start its inspections (`start_inspections`)."""
    with transaction(runtime.engine) as session:
        county = _county(session, user)
        if plan_id is not None:
            plan = session.get(InspectionPlan, plan_id)
            if plan is None:
                raise NotFound("年度计划不存在或无权查看", code="plan_not_found", details={"plan_id": plan_id})
            organiser_county(session, user, plan.agency_id)
        if "inspection" not in runtime.specs.current:
            raise NotFound("未载入现场检查流程(inspection)", code="process_not_found")
        inputs = batch_inputs(session, county, kind, filters, valid_through or today())
        if not inputs["targets"]:
            raise ValidationFailed("筛选条件下没有执法对象", code="batch_no_targets", details=filters)
        seed = secrets.randbits(63) if seed is None else seed
        result = draw_batch(inputs, seed)
        if result["problems"]:
            raise ValidationFailed("部分检查无法抽取两名执法人员, 未发起任何检查", code="batch_draw_impossible",
                                   details=result["problems"])
        batch = InspectionBatch(agency_id=county.id, plan_id=plan_id, kind=kind, title=title, seed=str(seed),
                                inputs=inputs, result=result, created_at=clock.now(), created_by=user.id)
        session.add(batch)
        session.flush()
        batch_id = batch.id
    return start_inspections(runtime, user, batch_id)


def start_inspections(runtime: Runtime, user: User, batch_id: int) -> dict:
    """Start the inspection of every drawn target that has none yet: after an interruption, the missing ones."""
    with read_session(runtime.engine) as session:
        county = _county(session, user)
        batch = session.get(InspectionBatch, batch_id)
        if batch is None or batch.agency_id != county.id:
            raise NotFound("检查批次不存在或无权查看", code="batch_not_found", details={"batch_id": batch_id})
        started = set(session.exec(select(BatchInspection.target_id).where(BatchInspection.batch_id == batch_id)))
        title = f"{batch.title}({KINDS[batch.kind]})"[:300]
        jobs = [(entry, target_facts(session.get(Target, entry["target_id"])), officer_refs(session, entry["officers"]))
                for entry in batch.result["entries"] if entry["target_id"] not in started]
        kind = batch.kind
    for entry, target, officers in jobs:
        cross = entry["officer_agency_id"] != entry["case_agency_id"]  # the other township's officers join
        try:
            start_drawn(runtime, agency_id=entry["case_agency_id"], title=title, target=target, officers=officers,
                        extra={"batch": {"batch_id": batch_id, "kind": kind}},
                        link=partial(_link_target, batch_id, target["id"]), joined_by=user if cross else None)
        except Conflict:
            continue  # started meanwhile by another run
    return batch_detail(runtime.engine, user, batch_id)


def _link_target(batch_id: int, target_id: int, session: Session, case_id: int) -> None:
    """Refused (and the case not started) when the target has its inspection already; the unique constraint
    holds the same line against a run in parallel."""
    if session.exec(select(BatchInspection.id).where(BatchInspection.batch_id == batch_id,
                                                     BatchInspection.target_id == target_id)).first():
        raise Conflict("该执法对象的检查已发起", code="batch_target_started", details={"target_id": target_id})
    session.add(BatchInspection(batch_id=batch_id, target_id=target_id, case_id=case_id))
    session.flush()


def _visible(session: Session, user: User, batch_id: int) -> InspectionBatch:
    batch = session.get(InspectionBatch, batch_id)
    if batch is None or batch.agency_id not in target_permissions.register_agency_ids(session, user):
        raise NotFound("检查批次不存在或无权查看", code="batch_not_found", details={"batch_id": batch_id})
    return batch


def list_batches(engine: sa.Engine, user: User, plan_id: int | None = None) -> list[dict]:
    """The batches the user's register shows (of one annual plan, if given), newest first."""
    with read_session(engine) as session:
        query = select(InspectionBatch).where(
            InspectionBatch.agency_id.in_(target_permissions.register_agency_ids(session, user)))
        if plan_id is not None:
            query = query.where(InspectionBatch.plan_id == plan_id)
        batches = session.exec(query.order_by(InspectionBatch.id.desc())).all()
        started = dict(session.exec(select(BatchInspection.batch_id, sa.func.count()).where(
            BatchInspection.batch_id.in_([b.id for b in batches])).group_by(BatchInspection.batch_id)).all())
        return [{"id": b.id, "plan_id": b.plan_id, "kind": b.kind, "kind_label": KINDS[b.kind], "title": b.title,
                 "seed": b.seed, "created_at": b.created_at, "targets": len(b.result["entries"]),
                 "started": started.get(b.id, 0)} for b in batches]


def batch_detail(engine: sa.Engine, user: User, batch_id: int) -> dict:
    with read_session(engine) as session:
        batch = _visible(session, user, batch_id)
        entries = batch.result["entries"]
        cases = {link.target_id: case for link, case in session.exec(
            select(BatchInspection, Case).join(Case, Case.id == BatchInspection.case_id)
            .where(BatchInspection.batch_id == batch_id))}
        names = dict(session.exec(select(Target.id, Target.name).where(
            Target.id.in_([e["target_id"] for e in entries]))).all())
        case_ids = [case.id for case in cases.values()]
        now_drawn, replaced = drawn_ids(session, case_ids), replacements(session, case_ids)
        entries = [e | {"officers": now_drawn.get(cases[e["target_id"]].id, e["officers"]),
                        "replacements": replaced.get(cases[e["target_id"]].id, [])}
                   if e["target_id"] in cases else e for e in entries]  # the pair after any replacement
        people = dict(session.exec(select(User.id, User.display_name).where(
            User.id.in_([i for e in entries for i in e["officers"]]))).all())
        agencies = dict(session.exec(select(Agency.id, Agency.name)).all())
        return {"id": batch.id, "agency_id": batch.agency_id, "plan_id": batch.plan_id, "kind": batch.kind, "kind_label": KINDS[batch.kind],
                "title": batch.title, "seed": batch.seed, "filters": batch.inputs["filters"],
                "valid_through": batch.inputs.get("valid_through"), "created_at": batch.created_at,
                "inputs": batch.inputs,
                "pairing": [{"township_id": int(k), "township_name": agencies.get(int(k), ""), "inspected_by": v,
                             "inspected_by_name": agencies.get(v, "")} for k, v in batch.result["pairing"].items()],
                "inspections": [_inspection(e, cases.get(e["target_id"]), names, people, agencies) for e in entries]}


def _inspection(entry: dict, case: Case | None, names: dict, people: dict, agencies: dict) -> dict:
    return {"target_id": entry["target_id"], "target_name": names.get(entry["target_id"], ""),
            "case_id": case.id if case else None, "case_number": case.number if case else None,
            "status": case.status if case else None, "status_label": CaseStatus(case.status).label if case else None,
            "agency_id": entry["case_agency_id"], "agency_name": agencies.get(entry["case_agency_id"], ""),
            "officers": [{"user_id": i, "name": people.get(i, "")} for i in entry["officers"]],
            "replacements": [shown(r) for r in entry.get("replacements", [])]}
