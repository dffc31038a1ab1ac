"""The facts a dossier's cover and 备考表 state, taken from the record and the issued documents, not the clock.

立案日期 is the date the head approved the filing (the 立案审批表's 审批日期), 结案日期 the date the closing was
approved (the 结案审批表's), 立卷日期 the day of the last step (for an archived case, the archiving step) and 立卷人 the
officer who completed the archiving step (else the first case officer); the 检查人 is the head who approved the closing. Cases without those documents (an inspection that ends in a transfer)
fall back to the case's own dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlmodel import Session

from documents.catalogue import Catalogue
from documents.dossier_order import DECISIONS_BEFORE
from documents.labels import LABELS
from documents.models import IssuedDocument
from engine import record
from engine.calendar import SHANGHAI
from engine.models import Case, RecordEvent
from engine.settings import get_settings
from engine.vocab import CaseStatus

_NUMBER = re.compile(r"〔(\d{4})〕(\d+)号")


def aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes; they are stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def local_date(moment: datetime | date | str | None) -> str | None:
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        return moment[:10]
    if isinstance(moment, datetime):
        moment = aware(moment).astimezone(SHANGHAI).date()
    return moment.isoformat()


def case_facts(session: Session, case_id: int) -> dict[str, Any]:
    """The case's data as the record holds it: start data, then each step's form data in order."""
    facts: dict[str, Any] = {}
    for event in record.events(session, case_id):
        if event.kind == "case_started":
            facts.update(event.inputs.get("data") or {})
        elif event.kind == "task_completed":
            facts.update(event.inputs)
    return facts


def case_name(case: Case, facts: dict[str, Any]) -> str:
    return facts.get("case_name") or case.title or case.party_name  # as documents/step.py names it


def cause(case: Case, facts: dict[str, Any]) -> str:
    if facts.get("cause"):
        return facts["cause"]
    problems = [p.get("description") for p in facts.get("problems") or [] if isinstance(p, dict) and p.get("description")]
    return "；".join(problems) or case.title or "—"


def result(case: Case, facts: dict[str, Any]) -> str:
    if facts.get("result"):
        return facts["result"]
    if case.outcome in LABELS["outcome"]:
        return LABELS["outcome"][case.outcome]
    return LABELS["case_status"][case.status]


def retention(facts: dict[str, Any]) -> str:
    if facts.get("retention") in LABELS["retention"]:
        return LABELS["retention"][facts["retention"]]
    return facts.get("retention") or f"{get_settings().archive_retention_days // 365}年"


@dataclass(frozen=True)
class Milestones:
    filed_on: str | None
    closed_on: str | None
    archived_on: str | None
    recorder: str
    checker: str
    decision_number: str


def _field(documents: list[IssuedDocument], doc_id: str, name: str) -> Any:
    for document in documents:
        if document.doc_id == doc_id:
            return (document.snapshot.get("fields") or {}).get(name)
    return None


def _issuing_actor(events: list[RecordEvent], document: IssuedDocument | None) -> str:
    if document is None:
        return ""
    for event in events:
        if any(isinstance(o, dict) and o.get("document_id") == document.id for o in event.outputs):
            return event.actor_name
    return ""


def milestones(session: Session, case: Case, documents: list[IssuedDocument], catalogue: Catalogue,
               facts: dict[str, Any]) -> Milestones:
    """The dates and names of the cover and 备考表; `documents` are the case's own (not a linked case's)."""
    events = [e for e in record.events(session, case.id) if e.kind == "task_completed"]
    last_step = events[-1] if events else None
    closing = next((d for d in documents if d.doc_id == "closing_approval"), None)
    decision = next((d for d in documents if catalogue.get(d.doc_id).archive_order < DECISIONS_BEFORE), None)
    closed_on = local_date(_field(documents, "closing_approval", "approved_on")) or local_date(facts.get("closed_on"))
    if closed_on is None and case.completed:
        closed_on = local_date(case.updated_at)
    archived = case.status == CaseStatus.archived and last_step is not None
    officers = [o for o in facts.get("officers") or [] if isinstance(o, dict) and o.get("name")]
    recorder = last_step.actor_name if archived else (officers[0]["name"] if officers else "")
    return Milestones(
        filed_on=local_date(_field(documents, "filing_approval", "approved_on")) or local_date(case.filed_on or case.started_at),
        closed_on=closed_on,
        archived_on=local_date(last_step.at) if last_step else None,
        recorder=recorder,
        checker=_issuing_actor(events, closing or decision) or (last_step.actor_name if last_step else ""),
        decision_number=decision.number if decision and decision.number else "",
    )


def archive_number(case: Case, issuer_name: str, retention_label: str) -> str:
    """档号: the bureau, the year, the retention and the case's sequence (from its 案号), e.g. 遂川县应急管理局-2026-长期-0001."""
    found = _NUMBER.search(case.number or "")
    year, sequence = (found.group(1), int(found.group(2))) if found else (str(aware(case.started_at).year), case.id)
    return f"{issuer_name}-{year}-{retention_label}-{sequence:04d}"
