"""Records made one by one while a step is open: 询问笔录 for each person questioned, 勘验笔录, 抽样取证凭证,
现场笔录, 先行登记保存证据通知书.

The model says which: a user task's `records` property lists the catalogue ids, each with its form
`forms/record_<id>.schema.json` (engine.specs). Each record is its own document, issued in its own transaction
while the task is ready: its ordinal among the case's records of that kind (询问笔录第2份), its number where the
catalogue gives the kind a code (抽样取证凭证 `（遂）应急抽〔2026〕3号`), its two officers, the evidence it cites, and
its own record event. The content stays in the document table; when the step completes, its task data gets only
the references (`issued_records`: document id, kind, ordinal, number), by the step hook `collect_step_records`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import sqlalchemy as sa
from sqlmodel import Session, select

from documents.evidence.models import Evidence
from documents.issuing import issue_documents
from documents.models import IssuedDocument
from documents.signatures import SIGNATURE_FIELD
from documents.step import snapshot_sha256
from engine import casestore, clock, forms, record, serialization
from engine.db import transaction
from engine.errors import ValidationFailed
from engine.models import Actor, Case, Task
from engine.rules import environment
from engine.runtime import Runtime, StepContext
from engine.specs import record_form_name

REFERENCES_KEY = "issued_records"
Check = Callable[[Session, Case, Task], list[dict]]


@dataclass
class IssuedRecord:
    case: Case
    document: IssuedDocument
    ordinal: int
    event_seq: int


def issue_record(runtime: Runtime, task_id: str, doc_id: str, data: dict, actor: Actor, *,
                 authorize: Callable[[Session, Case, Task], None] | None = None, check: Check | None = None) -> IssuedRecord:
    """Issue one record of kind `doc_id` on the ready task `task_id`; the task stays open."""
    with transaction(runtime.engine) as session:
        case, agency, row, state, _open = casestore.claim_ready(session, task_id, done_message="该环节已办结, 不能再制作笔录")
        if authorize is not None:
            authorize(session, case, row)
        process = runtime.process_of(session, case)
        info = process.tasks[row.bpmn_id]
        if doc_id not in info.records:
            raise ValidationFailed(f"「{info.name}」环节不能制作该文书", code="record_not_allowed",
                                   details={"doc_id": doc_id, "allowed": list(info.records)})
        found = forms.problems(process.form_validator(record_form_name(doc_id)), data)
        found += _evidence_problems(session, case, data.get("evidence_ids"))
        forms.raise_problems(forms.merge(found, check(session, case, row) if check else []))
        workflow = serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())
        spiff_task = workflow.get_task_from_id(UUID(task_id))
        values = {"case_name": case.title or case.party_name, **spiff_task.data, **data}
        ordinal = 1 + session.exec(select(sa.func.count()).select_from(IssuedDocument).where(
            IssuedDocument.case_id == case.id, IssuedDocument.doc_id == doc_id)).one()
        [document] = issue_documents(session, case_id=case.id, agency_code=agency.code, doc_ids=[doc_id],
                                     values=values, issued_at=clock.now(), signature=data.get(SIGNATURE_FIELD))
        document.snapshot = {**document.snapshot, "record": {
            "ordinal": ordinal, "task_id": task_id, "task_name": info.name,
            "evidence_ids": list(data.get("evidence_ids") or [])}}
        session.add(document)
        session.flush()
        output = {"document_id": document.id, "doc_id": doc_id, "name": document.title, "number": document.number,
                  "ordinal": ordinal, "evidence_ids": list(data.get("evidence_ids") or []),
                  "sha256": snapshot_sha256(document.snapshot)}
        event = record.insert_event(session, record.next_event(
            case, kind="record_issued", actor=actor, task_id=task_id, task_name=info.name, inputs={"doc_id": doc_id, **data},
            outputs=[output]))
        casestore.write_case(session, case)
        return IssuedRecord(case=case, document=document, ordinal=ordinal, event_seq=event.seq)


def _evidence_problems(session: Session, case: Case, evidence_ids) -> list[dict]:
    """Every evidence item a record cites must be one of this case's."""
    if not evidence_ids:
        return []
    known = set(session.exec(select(Evidence.id).where(Evidence.case_id == case.id,
                                                        Evidence.id.in_([i for i in evidence_ids if type(i) is int and 0 < i < 2**31]))))
    return [forms.problem(["evidence_ids", index], "证据编号", f"证据 {item} 不是本案的证据")
            for index, item in enumerate(evidence_ids) if item not in known]


def task_records(session: Session, case_id: int, task_id: str, doc_ids: tuple[str, ...]) -> list[IssuedDocument]:
    """The records issued while task `task_id` was open, in the order they were made."""
    if not doc_ids:
        return []
    rows = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case_id,
                                                     IssuedDocument.doc_id.in_(list(doc_ids)))
                        .order_by(IssuedDocument.issued_at, IssuedDocument.id))
    return [row for row in rows if (row.snapshot.get("record") or {}).get("task_id") == task_id]


def reference(document: IssuedDocument) -> dict:
    meta = document.snapshot.get("record") or {}
    return {"document_id": document.id, "doc_id": document.doc_id, "title": document.title,
            "ordinal": meta.get("ordinal"), "number": document.number}


def collect_step_records(context: StepContext) -> None:
    """Step hook: a completing task that issues records carries their references (not their content)."""
    if not context.task.records:
        return
    issued = task_records(context.session, context.case.id, context.task_id, context.task.records)
    earlier = list(context.workflow_data.get(REFERENCES_KEY) or [])
    known = {item.get("document_id") for item in earlier}
    context.data_updates[REFERENCES_KEY] = earlier + [reference(d) for d in issued if d.id not in known]
