"""A unit's credit events (信用记录, 一企一档): its penalty decisions published (行政处罚信息公示), their withdrawal
and the credit repairs (信用修复) officers recorded.

Publication and withdrawal are read from the publication table of the unit's cases the caller may see; only the
repair, which nothing else records, has a table of its own (api.targets.models.CreditRepair).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz
from api.identity.models import User
from api.identity.service import today
from api.targets import risk, target_permissions
from api.targets.models import CreditRepair, Target
from documents.publication.models import Publication
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import transaction
from engine.errors import Conflict, NotFound, ValidationFailed
from engine.models import Case

PENALTY_PUBLICATION = "penalty_decision"
KIND_LABELS = {"published": "行政处罚信息公示", "withdrawn": "撤回公示", "repaired": "信用修复"}


def credit_events(session: Session, target_id: int, case_ids: list[int]) -> list[dict]:
    """The events of the unit's penalty publications in `case_ids` (the cases the caller may see), oldest first."""
    publications = session.exec(select(Publication).where(Publication.case_id.in_(case_ids),
                                                          Publication.kind == PENALTY_PUBLICATION)).all() if case_ids else []
    repairs = {r.publication_id: r for r in session.exec(select(CreditRepair).where(CreditRepair.target_id == target_id))}
    events = []
    for p in publications:
        base = {"publication_id": p.id, "public_id": p.public_id, "case_id": p.case_id, "title": p.title}
        events.append({**base, "kind": "published", "at": p.published_at.isoformat(), "detail": "", "by": ""})
        if p.withdrawn_at:
            events.append({**base, "kind": "withdrawn", "at": p.withdrawn_at.isoformat(), "detail": p.withdrawal_reason or "",
                           "by": ""})
        if repair := repairs.get(p.id):
            events.append({**base, "kind": "repaired", "at": repair.recorded_at.isoformat(), "detail": repair.basis,
                           "by": repair.recorded_by_name, "repaired_on": repair.repaired_on.isoformat()})
    for event in events:
        event["kind_label"] = KIND_LABELS[event["kind"]]
        event["on"] = event.get("repaired_on") or datetime.fromisoformat(event["at"]).astimezone(SHANGHAI).date().isoformat()
    return sorted(events, key=lambda e: (e["at"], e["publication_id"]))


def record_repair(engine: sa.Engine, user: User, target_id: int, publication_id: int, repaired_on: date,
                  basis: str) -> list[dict]:
    """Record a credit repair of one of the unit's published penalty decisions; the unit's credit events after it."""
    with transaction(engine) as session:
        require_repairer(session, user, target_id)
        visible = _visible_cases(session, user, target_id)
        publication = session.get(Publication, publication_id)
        if publication is None or publication.case_id not in visible or publication.kind != PENALTY_PUBLICATION:
            raise NotFound("该单位没有这项行政处罚信息公示", code="publication_not_found",
                           details={"publication_id": publication_id})
        if repaired_on > today():
            raise ValidationFailed("修复日期不能晚于今天", code="repaired_on_in_future", details={"field": "repaired_on"})
        if publication.published_at.astimezone(SHANGHAI).date() > repaired_on:
            raise ValidationFailed("修复日期不能早于公示日期", code="repaired_before_publication", details={"field": "repaired_on"})
        if session.exec(select(CreditRepair.id).where(CreditRepair.publication_id == publication_id)).first():
            raise Conflict("该项公示已登记信用修复", code="credit_already_repaired", details={"publication_id": publication_id})
        session.add(CreditRepair(target_id=target_id, publication_id=publication_id, repaired_on=repaired_on, basis=basis,
                                 recorded_by=user.id, recorded_by_name=user.display_name, recorded_at=clock.now()))
        session.flush()
        return credit_events(session, target_id, visible)


def require_repairer(session: Session, user: User, target_id: int) -> None:
    """Credit repairs are recorded by those who keep the unit's register entry (officers and heads)."""
    target = session.get(Target, target_id)
    if target is None or target.township_id not in target_permissions.register_agency_ids(session, user):
        raise NotFound("执法对象不存在或无权查看", code="target_not_found", details={"target_id": target_id})
    target_permissions.require_register_editor(session, user, target.township_id)


def _visible_cases(session: Session, user: User, target_id: int) -> list[int]:
    ids = risk.unit_case_ids(session, target_id)
    return list(session.exec(select(Case.id).where(Case.id.in_(ids), authz.case_scope(session, user)))) if ids else []
