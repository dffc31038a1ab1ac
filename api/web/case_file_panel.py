"""The case file the legal reviewer (法制审核) reads beside the approve/return form: the investigation report, the
proposed decision, the discretion tier with its reasons, the evidence and the documents so far.

The report's fields come from the latest 制作案件调查报告和处理呈批表 step as recorded, in its form's words; the
statutory tier is the one the `penalty_tier` table gives for the report's facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from api.services.evidence_previews import preview_kind
from api.web import case_views
from api.web.step_summaries import shown_value
from documents.evidence.custody import list_evidence
from documents.evidence.models import EvidenceType
from engine.models import Case, RecordEvent, Task
from engine.rules.penalty_law import penalty_tier
from engine.rules.penalty_tiers import TIER_LABELS
from engine.runtime import Runtime

CASE_FILE_STEPS = {"legal_review"}  # the steps whose page shows the case file beside the form
REPORT_STEP = "investigation_report"
REPORT_FIELDS = ("facts", "violated_provisions", "penalty_basis", "proposal")
DECISION_FIELDS = ("proposed_penalty", "penalty_kinds", "fine_amount", "responsible_persons_fine", "confiscation_value")
DISCRETION_FIELDS = ("discretion", "mitigation_reasons", "overdue_uncorrected", "serious_circumstances")


@dataclass(frozen=True)
class CaseFile:
    report: list[tuple[str, str]]
    decision: list[tuple[str, str]]
    tier_label: str | None
    discretion: list[tuple[str, str]]
    evidence: list[dict]
    documents: list


def case_file(runtime: Runtime, session: Session, case: Case, labels: dict[str, str]) -> CaseFile:
    process = runtime.process_of(session, case)
    event = session.exec(select(RecordEvent).join(Task, Task.id == RecordEvent.task_id)
                         .where(RecordEvent.case_id == case.id, RecordEvent.kind == "task_completed",
                                Task.bpmn_id == REPORT_STEP).order_by(RecordEvent.seq.desc())).first()
    inputs = event.inputs if event else {}
    properties = (process.form_schema(process.tasks[REPORT_STEP].form).get("properties") or {}) if event else {}

    def fields(names: tuple[str, ...]) -> list[tuple[str, str]]:
        return [(properties[name].get("title") or name, shown_value(properties[name], inputs[name], labels))
                for name in names if name in inputs and name in properties]

    tier = TIER_LABELS[penalty_tier(inputs.get("overdue_uncorrected"), inputs.get("serious_circumstances"))] if event else None
    return CaseFile(report=fields(REPORT_FIELDS), decision=fields(DECISION_FIELDS), tier_label=tier,
                    discretion=fields(DISCRETION_FIELDS), evidence=[
                        {"id": e.id, "name": e.filename or e.description or "证据", "type_label": EvidenceType(e.type).label,
                         "collected_at": e.collected_at, "pdf": preview_kind(e.content_type) == "pdf"}
                        for e in list_evidence(session, case.id)],
                    documents=case_views.document_files(session, case.id))
