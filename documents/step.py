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


def issue_step_documents(context: StepContext) -> None:
    if not context.task.documents:
        return
    agency = context.session.get(Agency, context.case.agency_id)
    values = {"case_name": context.case.title or context.case.party_name, **context.workflow_data}
    issued = issue_documents(context.session, case_id=context.case.id, agency_code=agency.code,
                             doc_ids=list(context.task.documents), values=values, issued_at=clock.now())
    numbers = dict(context.workflow_data.get("documents") or {})
    for document in issued:
        numbers[document.doc_id] = document.number
        context.outputs.append({"document_id": document.id, "doc_id": document.doc_id, "name": document.title,
                                "number": document.number, "sha256": snapshot_sha256(document.snapshot)})
    context.data_updates["documents"] = numbers
