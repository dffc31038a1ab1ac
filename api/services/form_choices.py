"""What the forms offer to choose from: the processes a user may start, the officers a step may name, the
violations and the kinds of evidence."""

from __future__ import annotations

from dataclasses import dataclass

import cn2an
import sqlalchemy as sa
from sqlmodel import Session, select

from api import authz, schemas
from api.identity.models import User
from api.identity.service import today
from documents.evidence.models import EvidenceType
from engine.rules.penalty_tiers import ROW_KIND_LABELS, TARGET_LABELS, TIER_LABELS, TierPenalty, tier_penalties
from engine.rules.violations import Violation, catalogue, get_violation
from engine.runtime import Runtime


def startable_processes(runtime: Runtime, user: User) -> list[schemas.ProcessOut]:
    """The processes with a start schema that the user's role may start, in the order of their ids."""
    with Session(runtime.engine) as session:
        return [schemas.ProcessOut(id=p.process_id, name=p.name, case_kind=schema["x-case-kind"], start_form=schema)
                for p in sorted(runtime.specs.current.values(), key=lambda p: p.process_id)
                if (schema := p.start_schema()) is not None
                and authz.may_start(session, user, schema.get("x-started-by", ()))]


def officers(engine: sa.Engine, user: User, case_id: int | None) -> list[schemas.OfficerOut]:
    """The officers of the user's agency (or of a case's agency and those added to it), with their certificates."""
    day = today()
    with Session(engine) as session:
        rows = session.exec(select(User).where(authz.officer_scope(session, user, case_id)).order_by(User.id)).all()
        return [schemas.OfficerOut(user_id=u.id, name=u.display_name, certificate_no=u.certificate_number,
                                   certificate_expires=u.certificate_expires, certificate_valid=u.certificate_valid_on(day),
                                   agency_id=u.agency_id) for u in rows]


@dataclass(frozen=True)
class ViolationQuery:
    code: str | None = None  # the start of a code, e.g. SPL-099
    keyword: str | None = None  # in the title, the provisions or the notes
    article: str | None = None  # 99, 九十九 or 第九十九条: in the violated or the penalty provision


def _article(text: str) -> str:
    text = text.strip().removeprefix("第").removesuffix("条")
    number = text.isascii() and text.isdigit() and len(text) <= 4
    return f"第{cn2an.an2cn(text) if number else text}条"


def _matches(violation: Violation, query: ViolationQuery) -> bool:
    provisions = violation.violated_provision + violation.penalty_provision
    if query.code and not violation.code.upper().startswith(query.code.strip().upper()):
        return False
    if query.keyword and query.keyword.strip() not in violation.title_zh + provisions + violation.notes_zh:
        return False
    return not query.article or _article(query.article) in provisions


def violations(query: ViolationQuery) -> list[schemas.ViolationOut]:
    return [violation_out(v) for v in catalogue().values() if _matches(v, query)]


def violation(code: str) -> schemas.ViolationOut:
    return violation_out(get_violation(code))


def violation_out(v: Violation) -> schemas.ViolationOut:
    return schemas.ViolationOut(
        code=v.code, title=v.title_zh, violated_provision=v.violated_provision, penalty_provision=v.penalty_provision,
        penalised_party=v.penalised_party, penalty_kinds=list(v.penalty_kinds), fine_min_yuan=v.fine_min_yuan,
        fine_max_yuan=v.fine_max_yuan, correction_first=v.correction_first, township_entrusted=v.township_entrusted,
        notes=v.notes_zh, tiers=[_tier_out(p) for tier in TIER_LABELS for p in tier_penalties(v.code, tier)])


def _tier_out(p: TierPenalty) -> schemas.TierPenaltyOut:
    return schemas.TierPenaltyOut(
        tier=p.tier, tier_label=TIER_LABELS[p.tier], target=p.target, target_label=TARGET_LABELS.get(p.target, p.target),
        kind=p.kind, kind_label=ROW_KIND_LABELS[p.kind], mandatory=p.mandatory, fine_min_yuan=p.fine_min,
        fine_max_yuan=p.fine_max, basis=p.basis_zh)


def evidence_types() -> list[schemas.EvidenceTypeOut]:
    return [schemas.EvidenceTypeOut(type=t.value, type_label=t.label) for t in EvidenceType]
