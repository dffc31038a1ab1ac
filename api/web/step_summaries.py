"""What earlier steps of a case recorded, in the words of their forms: the file a reviewer or approver reads
beside their own form (e.g. the investigation report, its proposal and discretion, beside the legal review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from api.web.form_schema import options
from api.web.templating import cn_date
from engine.models import Case, RecordEvent, Task
from engine.runtime import Runtime

MAX_TEXT = 600


@dataclass(frozen=True)
class StepSummary:
    name: str
    at: datetime
    actor: str
    fields: list[tuple[str, str]]


def step_summaries(runtime: Runtime, session: Session, case: Case, labels: dict[str, str]) -> list[StepSummary]:
    process = runtime.process_of(session, case)
    bpmn_ids = dict(session.exec(select(Task.id, Task.bpmn_id).where(Task.case_id == case.id)).all())
    events = session.exec(select(RecordEvent).where(RecordEvent.case_id == case.id, RecordEvent.kind == "task_completed")
                          .order_by(RecordEvent.seq)).all()
    summaries = []
    for event in events:
        info = process.tasks.get(bpmn_ids.get(event.task_id, ""))
        if info is None or not info.form:
            continue
        properties = process.form_schema(info.form).get("properties") or {}
        fields = [(schema.get("title") or name, shown_value(schema, event.inputs[name], labels))
                  for name, schema in properties.items() if name in event.inputs]
        summaries.append(StepSummary(event.task_name or info.name, event.at, event.actor_name, fields))
    return summaries


def shown_value(schema: dict, value, known: dict[str, str]) -> str:
    """A value as a reader of the case file sees it: labels for codes, 是/否, dates in Chinese."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "—"
    labels = dict(options(schema, known)) or dict(options(schema.get("items") or {}, known))
    if isinstance(value, list):
        if value and all(isinstance(v, dict) for v in value):
            item = schema.get("items") or {}
            return "；".join(shown_value(item, v, known) for v in value)
        return "、".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        return "，".join(f"{(props.get(k) or {}).get('title') or k}: {shown_value(props.get(k) or {}, v, known)}"
                        for k, v in value.items() if k != "user_id")
    text = labels.get(str(value), str(value))
    if schema.get("format") in ("date", "date-time"):
        text = cn_date(text)
    return text[:MAX_TEXT]
