"""Issuing documents inside a step's transaction: check fields, number, snapshot.

The engine calls `issue_documents` with the case's data merged with the step's form data.
Nothing is rendered here: rendering works from the stored snapshot, later or elsewhere, so
the numbering lock is never held across rendering or an object-store write.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from documents.alternatives import resolved_title
from documents.amounts import parse_moment, to_amount
from documents.catalogue import Catalogue, ColumnSpec, DocumentSpec, FieldSpec, FieldType, Signer, get_catalogue
from documents.document_numbers import allocate_number, resolve_issuer
from documents.labels import LABELS
from documents.models import IssuedDocument
from documents.procedure_account import composed_values
from documents.service_receipts import RECEIPT, receipt_values
from documents.signatures import resolve as resolve_signature
from engine.errors import ModelError, ValidationFailed

# Case-level values every snapshot keeps, whether or not a document lists them as fields.
CASE_KEYS = ("case_number", "case_name")


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def _type_error(value: Any, spec: FieldSpec | ColumnSpec) -> bool:
    kind = spec.type
    try:
        if kind == FieldType.enum:
            return not isinstance(value, str) or value not in LABELS[spec.labels]
        if kind == FieldType.amount:
            to_amount(value)
        elif kind in (FieldType.date, FieldType.datetime):
            parse_moment(value)
        elif kind == FieldType.integer:
            return isinstance(value, bool) or int(str(value)) != Decimal(str(value))
        elif kind in (FieldType.items, FieldType.officers):
            return not isinstance(value, list) or not all(isinstance(row, dict) for row in value)
        elif kind == FieldType.party:
            return not isinstance(value, dict)
    except (ValidationFailed, ValueError):
        return True
    return False


def _problems(spec: FieldSpec, value: Any) -> list[tuple[str, str, str]]:
    """(field path, Chinese label, problem) for one field's value."""
    if _is_blank(value):
        return [(spec.name, spec.label, "缺少必填项")] if spec.required else []
    if _type_error(value, spec):
        return [(spec.name, spec.label, "格式不正确")]
    found: list[tuple[str, str, str]] = []
    if spec.type == FieldType.party and _is_blank(value.get("name")):
        found.append((f"{spec.name}.name", f"{spec.label}名称", "缺少必填项"))
    if spec.type == FieldType.officers:
        for index, officer in enumerate(value):
            if _is_blank(officer.get("name")):
                found.append((f"{spec.name}[{index}].name", f"{spec.label}第{index + 1}人的姓名", "缺少必填项"))
    for index, row in enumerate(value) if spec.type == FieldType.items else ():
        for column in spec.columns:
            path, label = f"{spec.name}[{index}].{column.name}", f"{spec.label}第{index + 1}项的{column.label}"
            cell = row.get(column.name)
            if _is_blank(cell):
                if column.required:
                    found.append((path, label, "缺少必填项"))
            elif _type_error(cell, column):
                found.append((path, label, "格式不正确"))
    return found


def check_values(doc: DocumentSpec, values: dict[str, Any]) -> None:
    """Raise ValidationFailed naming the first missing or malformed field by its Chinese label."""
    problems = [p for spec in doc.fields for p in _problems(spec, values.get(spec.name))]
    if problems:
        path, label, problem = problems[0]
        raise ValidationFailed(
            f"「{doc.title}」{problem}：{label}",
            details={"document": doc.id, "field": path, "problems": [{"field": p, "label": l, "problem": q} for p, l, q in problems]},
        )


def _case_facts(values: dict[str, Any]) -> dict[str, Any]:
    """What every snapshot keeps of the case: its number and name, the kind of its party and whether a
    hearing was offered (the words a document chooses by them, documents.alternatives)."""
    facts = {key: values[key] for key in CASE_KEYS if not _is_blank(values.get(key))}
    party = values.get("party")
    if isinstance(party, dict) and party.get("kind") in ("unit", "person"):
        facts["party_kind"] = party["kind"]
    if isinstance(values.get("hearing_eligible"), bool):
        facts["hearing_offered"] = values["hearing_eligible"]
    return facts


def _jsonable(value: Any) -> Any:
    def default(obj: Any) -> Any:
        if isinstance(obj, (datetime, date)):
            return obj.isoformat()
        if isinstance(obj, Decimal):
            return str(obj)
        raise TypeError(f"{type(obj).__name__} is not a document value")

    return json.loads(json.dumps(value, default=default, ensure_ascii=False))


def issue_documents(
    session: Session,
    *,
    case_id: int,
    agency_code: str,
    doc_ids: list[str],
    values: dict[str, Any],
    issued_at: datetime,
    catalogue: Catalogue | None = None,
    signature: Any = None,
) -> list[IssuedDocument]:
    """Number the step's documents and store their snapshots in the session's transaction.

    All documents are checked before any number is taken, so a missing field blocks the
    step without consuming numbers. `signature` is the party's signature given in this step's own form
    (documents.signatures), never one the case data kept from an earlier step.
    """
    catalogue = catalogue or get_catalogue()
    docs = [catalogue.get(doc_id) for doc_id in doc_ids]
    for index, doc in enumerate(docs):
        if doc.part_of_dossier:
            raise ModelError(f"「{doc.title}」由卷宗生成，不能在办案环节中制作", details={"document": doc.id})
        pending = [{"title": d.title, "number": "—"} for d in docs[:index] if d.code] if doc.id == RECEIPT else []
        check_values(doc, values | receipt_values(values, pending))
    signed = resolve_signature(session, case_id, signature) if any(Signer.party in d.signers for d in docs) else None
    issuer = resolve_issuer(catalogue.numbering, agency_code)
    issued: list[IssuedDocument] = []
    values = dict(values)
    for doc in docs:
        values |= composed_values(values)  # after each document: the next may cite its number
        if doc.id == RECEIPT:  # the receipt of the documents issued before it in this step
            values |= receipt_values(values, [{"title": d.title, "number": d.number} for d in issued if d.number])
        number = None
        if doc.code is not None:
            number = allocate_number(
                session,
                catalogue.numbering,
                issuer=issuer,
                code=doc.code,
                case_id=case_id,
                case_number=values.get("case_number"),
                issued_at=issued_at,
            )
        fields = {spec.name: values[spec.name] for spec in doc.fields if not _is_blank(values.get(spec.name))}
        title = resolved_title(doc.title, fields)
        snapshot = _jsonable(
            {
                "doc_id": doc.id,
                "title": title,
                "number": number.text if number else None,
                "issuer_name": issuer.issuer.name,
                "issued_at": issued_at,
                "case": _case_facts(values),
                "fields": fields,
                **({"signature": signed} if signed and Signer.party in doc.signers else {}),
            }
        )
        document = IssuedDocument(
            case_id=case_id,
            doc_id=doc.id,
            title=title,
            number=number.text if number else None,
            issuer=issuer.code,
            series=number.series if number else None,
            year=number.year if number else None,
            sequence=number.sequence if number else None,
            snapshot=snapshot,
            issued_at=issued_at,
        )
        session.add(document)
        issued.append(document)
        if number is not None:
            values["documents"] = {**(values.get("documents") or {}), doc.id: number.text}
    session.flush()
    return issued
