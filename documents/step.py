"""The documents a step declares: numbered and snapshotted in the step's transaction.

Installed as a runtime step hook. The numbers go into the case data
(`documents.<doc_id>`) so later steps and forms can cite them; each snapshot's
SHA-256 goes into the step's record event.
"""

from __future__ import annotations

import hashlib
import json

from documents.issuing import issue_documents
from engine import clock
from engine.models import Agency
from engine.runtime import StepContext


def snapshot_sha256(snapshot: dict) -> str:
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(context: StepContext, document) -> None:
    context.outputs.append({"document_id": document.id, "doc_id": document.doc_id, "name": document.title,
                            "number": document.number, "sha256": snapshot_sha256(document.snapshot)})


def issue_step_documents(context: StepContext) -> None:
    if not context.task.documents and not context.task.documents_each:
        return
    agency = context.session.get(Agency, context.case.agency_id)
    values = {"case_name": context.case.title or context.case.party_name, **context.workflow_data}
    issued = issue_documents(context.session, case_id=context.case.id, agency_code=agency.code,
                             doc_ids=list(context.task.documents), values=values, issued_at=clock.now())
    numbers = dict(context.workflow_data.get("documents") or {})
    for document in issued:
        numbers[document.doc_id] = document.number
        _record(context, document)
    if issued:
        context.data_updates["documents"] = numbers
    for doc_id, list_name in context.task.documents_each:
        _issue_each(context, agency.code, doc_id, list_name, values | {"documents": numbers})


def _issue_each(context: StepContext, agency_code: str, doc_id: str, list_name: str, values: dict) -> None:
    """One document per entry of the form's list `list_name` (e.g. a 行政处罚决定书 for each penalised responsible
    person): the entry's values over the step's; each entry keeps its document's number (`document_number`)."""
    entries = [dict(entry) for entry in context.workflow_data.get(list_name) or [] if isinstance(entry, dict)]
    for entry in entries:
        [document] = issue_documents(context.session, case_id=context.case.id, agency_code=agency_code,
                                     doc_ids=[doc_id], values=values | entry, issued_at=clock.now())
        entry["document_number"] = document.number
        _record(context, document)
    if entries:
        context.data_updates[list_name] = entries
