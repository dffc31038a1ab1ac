"""Records issued one by one on an open step (documents.adhoc_records) over HTTP: who may, and what comes back."""

from __future__ import annotations

from sqlmodel import Session

from api import authz, officer_eligibility, schemas
from api.identity.models import User
from api.identity.service import actor_for
from documents.adhoc_records import issue_record, reference, task_records
from documents.catalogue import get_catalogue
from engine.db import read_session
from engine.models import Case, Task
from engine.runtime import Runtime
from engine.specs import LoadedProcess, record_form_name
from engine.vocab import Role


def issue(runtime: Runtime, user: User, task_id: str, doc_id: str, data: dict) -> schemas.RecordOut:
    """Issue one record on a ready task, as an officer who may complete that task, naming two certified officers."""
    with read_session(runtime.engine) as session:
        task, _case = authz.visible_task(session, user, task_id)

    def check(session: Session, case: Case, row: Task) -> list[dict]:
        return officer_eligibility.officer_problems(session, case, user.id, data)

    issued = issue_record(runtime, task_id, doc_id, data, actor_for(user, Role(task.role)),
                          authorize=authz.task_authorizer(user.id), check=check)
    return schemas.RecordOut(**reference(issued.document), issued_at=issued.document.issued_at)


def record_kinds(session: Session, process: LoadedProcess, case: Case, task: Task) -> list[schemas.RecordKindOut]:
    """The kinds of record the task may issue, each with its form and the ones already made on this task."""
    doc_ids = process.tasks[task.bpmn_id].records
    issued = task_records(session, case.id, task.id, doc_ids)
    catalogue = get_catalogue()
    return [schemas.RecordKindOut(doc_id=doc_id, title=catalogue.get(doc_id).title,
                                  form=process.form_schema(record_form_name(doc_id)),
                                  issued=[schemas.RecordOut(**reference(d), issued_at=d.issued_at)
                                          for d in issued if d.doc_id == doc_id])
            for doc_id in doc_ids]
