"""What the pre-check reads of one case: its record, its issued documents, its data and its model's steps.

The workflow data (the decision tables' outputs such as `major` and `hearing_eligible`) comes from the
caller, who loads the workflow; certificate validity comes from the identity tables through a lookup the
caller passes, so this package stays below the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, select

from documents.catalogue import get_catalogue
from documents.models import IssuedDocument
from engine import record
from engine.calendar import SHANGHAI
from engine.models import Case, RecordEvent, Task
from engine.specs import TaskInfo

CertificateExpiry = Callable[[int], "date | None"]  # user id → the day their enforcement certificate expires


@dataclass(frozen=True)
class Step:
    """One completed step as the record holds it."""

    event: RecordEvent
    info: TaskInfo | None

    @property
    def name(self) -> str:
        return self.event.task_name or ""

    @property
    def day(self) -> date:
        return local_day(self.event.at)

    @property
    def inputs(self) -> dict[str, Any]:
        return self.event.inputs

    def evidence(self) -> dict[str, Any]:
        return {"kind": "record_event", "event_id": self.event.id, "seq": self.event.seq, "step": self.name,
                "on": self.day.isoformat()}


@dataclass(frozen=True)
class CaseFile:
    case: Case
    data: dict[str, Any]
    steps: tuple[Step, ...]
    documents: tuple[IssuedDocument, ...]
    record_breaks: tuple[record.Break, ...]
    certificate_expiry: CertificateExpiry
    numbered_doc_ids: frozenset[str] = field(default_factory=frozenset)

    def done(self, name: str) -> list[Step]:
        return [step for step in self.steps if step.name == name]

    def document(self, doc_id: str) -> IssuedDocument | None:
        return next((doc for doc in self.documents if doc.doc_id == doc_id), None)


def local_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment.astimezone(SHANGHAI).date()


def load_case_file(session: Session, case: Case, data: dict[str, Any], tasks: dict[str, TaskInfo],
                   certificate_expiry: CertificateExpiry) -> CaseFile:
    """`tasks`: the case's model steps by BPMN id; `data`: its workflow data."""
    bpmn_ids = dict(session.exec(select(Task.id, Task.bpmn_id).where(Task.case_id == case.id)).all())
    steps = tuple(Step(event, tasks.get(bpmn_ids.get(event.task_id, "")))
                  for event in record.events(session, case.id) if event.kind == "task_completed")
    documents = tuple(session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case.id,
                                                                IssuedDocument.voided_at.is_(None))
                                   .order_by(IssuedDocument.id)))
    return CaseFile(case=case, data=data, steps=steps, documents=documents,
                    record_breaks=tuple(record.verify(session, case.id)), certificate_expiry=certificate_expiry,
                    numbered_doc_ids=frozenset(doc.id for doc in get_catalogue().documents if doc.code))
