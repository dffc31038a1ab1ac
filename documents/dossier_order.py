"""Which documents a dossier (卷宗) files, and in which order (DOMAIN.md §7 "Archive order").

The decision comes first; then the filing, the investigation's records and the inspection's documents at their
archive positions (a linked case's documents among them); then the rest of the procedure as it happened, in the
order the documents were issued (the 调查报告 before the 告知书, the 告知书 before the review and the decision's
service). Voided documents are not filed.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import Session, select

from documents.catalogue import Catalogue, get_catalogue
from documents.models import IssuedDocument
from engine.models import Agency, Case

DECISIONS_BEFORE = 30  # archive_order below this: the decision (or the letter that ends the case) filed first
PROCEDURE_FROM = 120  # archive_order from this on: filed in the order the documents were issued


def dossier_case_ids(session: Session, case: Case) -> list[int]:
    """The case and the linked case it was opened from (e.g. the township inspection reported to the county):
    that case's documents belong to this dossier too (DOMAIN.md §7)."""
    return [case.id] if case.parent_case_id is None else [case.id, case.parent_case_id]


def linked_label(session: Session, case_id: int) -> str:
    linked = session.get(Case, case_id)
    return linked.number or f"案件{linked.id}"


def linked_remark(session: Session, case_id: int) -> str:
    """The 备注 of a document or evidence item from the linked case: the agency that handled it (the linked case's
    own number is on none of its documents, so the printed file does not cite it)."""
    linked = session.get(Case, case_id)
    agency = session.get(Agency, linked.agency_id)
    return f"来自{agency.name if agency else ''}关联案件"


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def archive_key(catalogue: Catalogue, document: IssuedDocument) -> tuple:
    order = catalogue.get(document.doc_id).archive_order
    issued = _utc(document.issued_at)
    if order < DECISIONS_BEFORE:
        return (0, order, issued, document.id)
    if order < PROCEDURE_FROM:
        return (1, order, issued, document.id)
    return (2, 0, issued, document.id)


def archive_documents(session: Session, case_id: int, catalogue: Catalogue | None = None) -> list[IssuedDocument]:
    """The case's and its linked case's issued, not voided documents in the dossier's order."""
    catalogue = catalogue or get_catalogue()
    case_ids = dossier_case_ids(session, session.get(Case, case_id))
    documents = session.exec(select(IssuedDocument).where(IssuedDocument.case_id.in_(case_ids),
                                                          IssuedDocument.voided_at.is_(None))).all()
    return sorted(documents, key=lambda d: archive_key(catalogue, d))
