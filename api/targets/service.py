"""The target register's operations: list, read, create, edit (each change recorded), the unit's file
(一企一档: its inspections, hazards, cases, penalties and credit events), and starting an inspection from an entry.

Every read is scoped to the caller's jurisdiction (api.authz.register_agency_ids): the county bureau sees the
entries of all its townships and parks, a township or park only its own.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz, schemas
from api.hazards import hazard_permissions
from api.hazards.models import HazardReport
from api.hazards.reports import report_out
from api.identity.models import User
from api.services import case_handling
from api.targets import risk, target_permissions
from api.targets.credit_events import credit_events
from api.targets.fields import FIELDS, normalise
from api.targets.models import Target, TargetCase, TargetChange
from api.targets.vocabulary import VOCABULARIES, label_of
from documents.models import IssuedDocument
from engine import clock
from engine.db import read_session, transaction
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.models import Agency, Case
from engine.runtime import CaseView, Runtime
from engine.vocab import AgencyKind, CaseStatus

PENALTY_DOCUMENTS = risk.PENALTY_DOCUMENTS
HAZARD_DOCUMENTS = risk.HAZARD_DOCUMENTS


def township_keys(session: Session, user: User) -> dict[str, int]:
    """The townships and parks an entry may name, by id, name, code or short name (imports name them in words)."""
    ids = target_permissions.register_agency_ids(session, user)
    agencies = session.exec(select(Agency).where(Agency.id.in_(ids), Agency.kind != AgencyKind.county_bureau)).all()
    keys: dict[str, int] = {}
    for agency in agencies:
        for key in (str(agency.id), agency.name, agency.code, agency.short_name):
            keys[key] = agency.id
    return keys


def target_out(target: Target, township_name: str = "") -> dict[str, Any]:
    out = {key: getattr(target, key) for key in (*FIELDS, "id", "version")}
    out["township_name"] = township_name
    out["labels"] = {key: label_of(key, getattr(target, key)) for key in VOCABULARIES}
    out["updated_at"] = target.updated_at.isoformat()
    return out


def _visible(session: Session, user: User, target_id: int) -> Target:
    target = session.get(Target, target_id)
    not_found = NotFound("执法对象不存在或无权查看", code="target_not_found", details={"target_id": target_id})
    scope = target_permissions.register_agency_ids(session, user)
    if target is None:
        raise not_found
    if target.township_id not in scope:  # the API answers as for a missing one; the pages say why
        raise authz.Hidden("无权查看其他乡镇(园区)的执法对象", details={"target_id": target_id}, not_found=not_found)
    return target


def _names(session: Session, ids) -> dict[int, str]:
    return dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(set(ids)))).all()) if ids else {}


def list_targets(engine: sa.Engine, user: User, *, q: str | None = None, township_id: int | None = None,
                 key_target: bool | None = None, industry: str | None = None, risk_level: str | None = None) -> list[dict]:
    with read_session(engine) as session:
        query = select(Target).where(Target.township_id.in_(target_permissions.register_agency_ids(session, user)))
        if q:
            query = query.where(sa.or_(Target.name.contains(q), Target.credit_code.contains(q.upper())))
        for column, value in ((Target.township_id, township_id), (Target.key_target, key_target),
                              (Target.industry, industry), (Target.risk_level, risk_level)):
            if value is not None:
                query = query.where(column == value)
        targets = session.exec(query.order_by(Target.id)).all()
        names = _names(session, {t.township_id for t in targets})
        return [target_out(t, names.get(t.township_id, "")) for t in targets]


def save_entry(session: Session, user: User, values: dict, *, source: str, target: Target | None = None) -> Target | None:
    """Create or change one entry and record the change; nothing is recorded when nothing changed."""
    target_permissions.require_register_editor(session, user, values["township_id"])
    now = clock.now()
    if target is None:
        target = Target(**values, version=1, updated_at=now)
        session.add(target)
        session.flush()
        changes = {key: [None, value] for key, value in values.items()}
    else:
        changes = {key: [getattr(target, key), value] for key, value in values.items() if getattr(target, key) != value}
        if not changes:
            return None
        for key, (_, value) in changes.items():
            setattr(target, key, value)
        target.version += 1
        target.updated_at = now
        session.add(target)
    session.add(TargetChange(target_id=target.id, version=target.version, source=source, user_id=user.id,
                             user_name=user.display_name, changed_at=now, changes=changes))
    return target


def _checked(session: Session, user: User, raw: dict) -> dict:
    values, problems = normalise(raw, township_keys(session, user))
    if problems:
        raise ValidationFailed("；".join(problems), code="target_invalid", details=[{"message": p} for p in problems])
    return values


def create_target(engine: sa.Engine, user: User, raw: dict) -> dict:
    with transaction(engine) as session:
        if isinstance(raw.get("township_id"), int):
            target_permissions.require_register_editor(session, user, raw["township_id"])
        values = _checked(session, user, raw)
        if session.exec(select(Target).where(Target.credit_code == values["credit_code"])).first():
            raise Conflict(f"统一社会信用代码 {values['credit_code']} 已在名录中(一家企业只登记一次, 对应一个执法层级)",
                           code="target_exists", details={"credit_code": values["credit_code"]})
        target = save_entry(session, user, values, source="created")
        return target_out(target)


def update_target(engine: sa.Engine, user: User, target_id: int, raw: dict) -> dict:
    with transaction(engine) as session:
        target = _visible(session, user, target_id)
        target_permissions.require_register_editor(session, user, target.township_id)
        values = _checked(session, user, {**target_out(target), **raw})
        if values["credit_code"] != target.credit_code:
            raise ValidationFailed("统一社会信用代码不能修改; 代码变更的单位请新建名录条目", code="target_code_fixed",
                                   details=[{"field": "credit_code", "message": "统一社会信用代码不能修改"}])
        save_entry(session, user, values, source="updated", target=target)
        return target_out(target)


def history(engine: sa.Engine, user: User, target_id: int) -> list[dict]:
    with read_session(engine) as session:
        _visible(session, user, target_id)
        changes = session.exec(select(TargetChange).where(TargetChange.target_id == target_id)
                               .order_by(TargetChange.version)).all()
        return [{"version": c.version, "source": c.source, "user_name": c.user_name, "changed_at": c.changed_at.isoformat(),
                 "changes": c.changes} for c in changes]


def party_of(target: Target) -> dict:
    """The party block of an inspection of this unit, from the register entry."""
    principal = next((c for c in target.contacts if c["role"] == "principal"), None)
    phone = next((c["phone"] for c in target.contacts if c.get("phone")), None)
    party = {"kind": "unit", "name": target.name, "credit_code": target.credit_code, "address": target.address or None,
             "legal_representative": principal["name"] if principal else None, "phone": phone}
    return {key: value for key, value in party.items() if value}


def start_inspection(runtime: Runtime, user: User, target_id: int, title: str = "") -> CaseView:
    """An inspection of a register entry: the party block and the assigned level come from the register."""
    with read_session(runtime.engine) as session:
        target = _visible(session, user, target_id)
        authz.start_role(session, user, user.agency_id, None)
        party, level = party_of(target), target.assigned_level
    body = schemas.CaseStartIn(process="inspection", party=schemas.PartyIn(**party), title=title or f"{target.name}现场检查",
                               data={"target_id": target_id, "target_assigned_level": level})
    view = case_handling.start_case(runtime, user, body)
    link_case(runtime.engine, target_id, view.case.id)
    return view


def link_case(engine: sa.Engine, target_id: int, case_id: int) -> None:
    with transaction(engine) as session:
        session.add(TargetCase(target_id=target_id, case_id=case_id))


def unit_file(engine: sa.Engine, user: User, target_id: int) -> dict:
    """一企一档: the entry, its history, and the inspections, hazards, cases, penalties and credit events of this unit that the
    caller may see (cases started from the entry and the cases they led to)."""
    with read_session(engine) as session:
        target = _visible(session, user, target_id)
        ids = risk.unit_case_ids(session, target_id)
        cases = session.exec(select(Case).where(Case.id.in_(ids), authz.case_scope(session, user))
                             .order_by(Case.started_at)).all() if ids else []
        documents = session.exec(select(IssuedDocument).where(
            IssuedDocument.case_id.in_([c.id for c in cases]),
            IssuedDocument.doc_id.in_(PENALTY_DOCUMENTS + HAZARD_DOCUMENTS))).all() if cases else []
        rows = [{"id": c.id, "number": c.number, "kind": c.kind, "status": c.status,
                 "status_label": CaseStatus(c.status).label, "outcome": c.outcome,
                 "started_at": c.started_at.isoformat()} for c in cases]
        docs = [{"case_id": d.case_id, "number": d.number, "title": d.title, "issued_at": d.issued_at.isoformat(),
                 "doc_id": d.doc_id} for d in documents]
        return {
            "target": target_out(target, _names(session, [target.township_id]).get(target.township_id, "")),
            "inspections": [r for r in rows if r["kind"] == "inspection"],
            "cases": [r for r in rows if r["kind"] != "inspection"],
            "hazards": [d for d in docs if d["doc_id"] in HAZARD_DOCUMENTS],
            "penalties": [d for d in docs if d["doc_id"] in PENALTY_DOCUMENTS],
            "hazard_reports": _hazard_reports(session, user, target_id),
            "credit_events": credit_events(session, target_id, [c.id for c in cases]),
            "risk": _risk(session, target),
        }


def _hazard_reports(session: Session, user: User, target_id: int) -> list[dict]:
    """The hazard reports linked to the unit that the caller's hazard ledger shows (none for other roles)."""
    try:
        scope = hazard_permissions.hazard_ledger_agency_ids(session, user)
    except Forbidden:
        return []
    rows = session.exec(select(HazardReport, Case).join(Case, Case.id == HazardReport.case_id).where(
        HazardReport.target_id == target_id, HazardReport.agency_id.in_(scope))
        .order_by(HazardReport.reported_at.desc(), HazardReport.id.desc())).all()
    return [report_out(report, case).model_dump(mode="json") for report, case in rows]


def _risk(session: Session, target: Target) -> dict:
    """The unit's risk score with its parts (the weights are configuration, api/data/risk_score.yaml)."""
    history = risk.histories(session, [target.id])[target.id]
    result = risk.score(target_out(target), history, risk.load_weights())
    return {**result, "history": history,
            "parts_labelled": [{"part": k, "label": risk.PART_LABELS[k], "points": v} for k, v in result["parts"].items()]}
