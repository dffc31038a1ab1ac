"""Cross and special inspections the county bureau organises as a batch (交叉检查 / 专项检查, issue 15).

The county names a filtered set of register targets (industry, risk level, townships); the batch draws the officer
pairs (api.plans.batch_draw, its seed and every input stored with the batch) and starts one inspection per target
in the right agency: a special inspection in the agency of the unit's assigned level; a cross inspection in the
county bureau's name with the drawn officers of another township added to the case (they then act in its officer
steps, as in a joint inspection). A draw that cannot give every target two officers starts nothing.
"""

from __future__ import annotations

import secrets
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import StaffCategory, User
from api.identity.service import today
from api.plans.batch_draw import KINDS, draw_batch
from api.plans.models import InspectionBatch, OfficerConflict
from api.services import case_handling
from api.targets import target_permissions
from api.targets.models import Target, TargetCase
from api.targets.service import party_of
from engine import clock
from engine.db import read_session, transaction
from engine.errors import Forbidden, NotFound, ValidationFailed
from engine.models import Actor, Agency
from engine.runtime import Runtime
from engine.vocab import AgencyKind, Role

OFFICER_ROLES = (Role.township_officer, Role.county_officer)
LEVELS = {"cross": ("township",), "special": ("county", "township")}


def _county(session: Session, user: User) -> Agency:
    authz.require_enforcement_actor(user)
    agency = session.get(Agency, user.agency_id)
    if agency.kind != AgencyKind.county_bureau or not user.has_role(Role.county_officer):
        raise Forbidden("交叉检查和专项检查由县应急管理局执法人员组织", code="batch_county_only")
    return agency


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
                seed: int | None = None) -> dict:
    with transaction(runtime.engine) as session:
        county = _county(session, user)
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
        batch = InspectionBatch(agency_id=county.id, kind=kind, title=title, seed=str(seed), inputs=inputs,
                                result=result, created_at=clock.now(), created_by=user.id)
        session.add(batch)
        session.flush()
        batch_id = batch.id
        jobs = []
        for entry in result["entries"]:
            target = session.get(Target, entry["target_id"])
            officers = [session.get(User, i) for i in entry["officers"]]
            jobs.append((entry, target.name, party_of(target), target.assigned_level, [
                {"user_id": u.id, "name": u.display_name, "certificate_no": u.certificate_number} for u in officers]))
    case_ids = {}
    for entry, name, party, level, officers in jobs:
        case_id = runtime.start_case(
            "inspection", agency_id=entry["case_agency_id"], actor=Actor.system(), kind="inspection",
            title=f"{title}({KINDS[kind]})"[:300], party_name=name,
            data={"party": party, "target_id": entry["target_id"], "target_assigned_level": level, "officers": officers,
                  "batch": {"batch_id": batch_id, "kind": kind}}).case.id
        case_ids[entry["target_id"]] = case_id
        with transaction(runtime.engine) as session:
            session.add(TargetCase(target_id=entry["target_id"], case_id=case_id))
        if entry["officer_agency_id"] != entry["case_agency_id"]:  # cross: the other township's officers join
            for officer in officers:
                case_handling.add_officer(runtime.engine, user, case_id, officer["user_id"])
    with transaction(runtime.engine) as session:
        batch = session.get(InspectionBatch, batch_id)
        batch.result = {**batch.result, "cases": {str(k): v for k, v in case_ids.items()}}
        session.add(batch)
    return batch_detail(runtime.engine, user, batch_id)


def batch_detail(engine: sa.Engine, user: User, batch_id: int) -> dict:
    with read_session(engine) as session:
        batch = session.get(InspectionBatch, batch_id)
        if batch is None or batch.agency_id not in target_permissions.register_agency_ids(session, user):
            raise NotFound("检查批次不存在或无权查看", code="batch_not_found", details={"batch_id": batch_id})
        cases = batch.result.get("cases", {})
        entries = batch.result["entries"]
        names = dict(session.exec(select(Target.id, Target.name).where(
            Target.id.in_([e["target_id"] for e in entries]))).all())
        people = dict(session.exec(select(User.id, User.display_name).where(
            User.id.in_([i for e in entries for i in e["officers"]]))).all())
        agencies = dict(session.exec(select(Agency.id, Agency.name)).all())
        return {"id": batch.id, "kind": batch.kind, "kind_label": KINDS[batch.kind], "title": batch.title,
                "seed": batch.seed, "filters": batch.inputs["filters"],
                "pairing": [{"township_id": int(k), "township_name": agencies.get(int(k), ""), "inspected_by": v,
                             "inspected_by_name": agencies.get(v, "")} for k, v in batch.result["pairing"].items()],
                "inspections": [{"target_id": e["target_id"], "target_name": names.get(e["target_id"], ""),
                                 "case_id": cases.get(str(e["target_id"])), "agency_id": e["case_agency_id"],
                                 "agency_name": agencies.get(e["case_agency_id"], ""),
                                 "officers": [{"user_id": i, "name": people.get(i, "")} for i in e["officers"]]}
                                for e in entries]}
