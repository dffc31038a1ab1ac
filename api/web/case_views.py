"""What the case pages show beyond the service's case detail: agency names, the diagram and its steps, document files.

Every function here runs after the caller's access to the case was checked by api/authz.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from api.services.document_files import DocumentFileOut, document_out
from documents.models import IssuedDocument
from engine.models import Agency, Case, Task
from engine.runtime import Runtime
from engine.vocab import LANE_LABELS, Lane, TaskStatus

EVENT_LABELS = {
    "case_started": "发起",
    "task_completed": "办理",
    "case_linked": "关联案件",
    "timer_fired": "期限届满",
    "document_rendered": "生成文书文件",
    "document_downloaded": "下载文书",
    "evidence_uploaded": "上传证据",
    "evidence_downloaded": "下载证据",
    "evidence_transferred_in": "证据移入",
    "evidence_transferred_out": "证据移出",
    "objects_retained": "归档锁定存储对象",
    "record_issued": "制作笔录、凭证",
    "case_event": "登记复议、诉讼",
    "supervisor_read": "执法监督人员查阅案卷",
    "review_read": "案卷评查查阅",
    "officer_assigned": "县局指派执法人员",
    "drawn_officer_replaced": "更换抽取的执法人员",
    "review_assigned": "指定执法监督人员评查",
}


def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)


def role_label(role: str) -> str:
    try:
        return LANE_LABELS[Lane(role)]
    except ValueError:
        return {"system": "系统", "grid_member": "网格员", "citizen": "举报人"}.get(role, role)


def agency_names(session: Session) -> dict[int, str]:
    return {a.id: a.name for a in session.exec(select(Agency))}


def process_names(runtime: Runtime) -> dict[str, str]:
    return {pid: runtime.specs.latest(pid).name for pid in sorted(runtime.specs.current)}


@dataclass(frozen=True)
class DiagramSteps:
    completed: list[str]
    current: list[str]


def diagram_steps(session: Session, case_id: int) -> DiagramSteps:
    rows = session.exec(select(Task.bpmn_id, Task.status).where(Task.case_id == case_id)).all()
    return DiagramSteps(completed=sorted({b for b, s in rows if s == TaskStatus.completed}),
                        current=sorted({b for b, s in rows if s == TaskStatus.ready}))


def diagram_xml(runtime: Runtime, session: Session, case: Case) -> str:
    """The BPMN file of the process version the case runs on."""
    files = runtime.process_of(session, case).files
    own = f"{case.process_id}.bpmn"
    if own in files:
        return files[own]
    marker = f'id="{case.process_id}"'
    return next(text for name, text in files.items() if name.endswith(".bpmn") and marker in text)


def document_files(session: Session, case_id: int) -> list[DocumentFileOut]:
    rows = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id))
    return [document_out(d) for d in rows]
