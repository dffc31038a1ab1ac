"""Document numbers: `（遂）应急罚〔2026〕12号`, unique and gapless per series.

A series is one issuing body + numbering code + year (or one case, by configuration). The
counter row is incremented by a single atomic upsert in the caller's transaction, so the row
stays locked until that transaction ends: concurrent steps wait for each other, and a step
that rolls back gives its number back, which keeps the series gapless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from documents.catalogue import Issuer, NumberingConfig
from documents.models import IssuedDocument
from engine.errors import InvalidState, NotFound, ValidationFailed
from engine.sequences import next_value


@dataclass(frozen=True)
class IssuerRef:
    code: str
    issuer: Issuer
    sub_series: str | None


@dataclass(frozen=True)
class AllocatedNumber:
    series: str
    year: int
    sequence: int
    text: str


def resolve_issuer(config: NumberingConfig, agency_code: str) -> IssuerRef:
    """The body whose name and series a document of `agency_code` carries.

    Township and park agencies act by entrustment, in the county bureau's name; an agency the
    configuration does not list issues under the default issuer.
    """
    if agency_code in config.issuers:
        return IssuerRef(agency_code, config.issuers[agency_code], None)
    entrusted = config.entrusted.get(agency_code)
    if entrusted is not None:
        return IssuerRef(entrusted.issuer, config.issuers[entrusted.issuer], entrusted.sub_series)
    return IssuerRef(config.default_issuer, config.issuers[config.default_issuer], None)


def next_sequence(session: Session, *, issuer: str, series: str, year: int) -> int:
    """Increment the series' counter in the session's transaction and return the new value."""
    return next_value(session, f"document:{issuer}:{series}:{year}")


def allocate_number(
    session: Session,
    config: NumberingConfig,
    *,
    issuer: IssuerRef,
    code: str,
    case_id: int,
    case_number: str | None,
    issued_at: datetime,
) -> AllocatedNumber:
    year = issued_at.year
    coded = _coded(issuer, code)
    if config.scope == "case":
        series = f"case:{case_id}"
        sequence = next_sequence(session, issuer=issuer.code, series=series, year=0)
    else:
        series = coded
        sequence = next_sequence(session, issuer=issuer.code, series=series, year=year)
    text = format_number(config, issuer, code, year=year, seq=sequence, case_number=case_number)
    return AllocatedNumber(series=series, year=year if config.scope != "case" else 0, sequence=sequence, text=text)


def _coded(issuer: IssuerRef, code: str) -> str:
    return f"{code}({issuer.sub_series})" if issuer.sub_series else code


def format_number(config: NumberingConfig, issuer: IssuerRef, code: str, *, year: int, seq: int,
                  case_number: str | None) -> str:
    """The text of a document number (the configured pattern of the numbering scope)."""
    pattern = config.case_pattern if config.scope == "case" else config.pattern
    return pattern.format(short=issuer.issuer.short, code=_coded(issuer, code), year=year, seq=seq,
                          case_number=case_number or "")


def void_document(session: Session, document_id: int, *, reason: str, voided_at: datetime) -> IssuedDocument:
    """Void an issued document; its number stays recorded (never reused) with the reason."""
    document = session.get(IssuedDocument, document_id)
    if document is None:
        raise NotFound("文书不存在", details={"document_id": document_id})
    if document.voided_at is not None:
        raise InvalidState(f"文书 {document.number or document.title} 已作废", details={"document_id": document_id})
    if not reason or not reason.strip():
        raise ValidationFailed("作废文书必须填写作废理由", details={"field": "reason"})
    document.voided_at = voided_at
    document.void_reason = reason.strip()
    session.add(document)
    session.flush()
    return document
