"""Derived tables against their sources: the inbox rows and case columns must say what the record and
the workflow state say.

The task table and the case's status are written with every step for fast reads; someone with database
access could edit them (mark a task done, reopen a case) without touching the hash-chained record. This
check recomputes them: every completed task row has its completion event (by the same person) and every
completion event its completed row; the open rows are exactly the workflow's ready user tasks; the case's
completed flag and status are what the workflow implies.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from engine import inbox, serialization
from engine.models import Case, RecordEvent, Task, WorkflowState
from engine.rules import environment
from engine.runtime import Runtime
from engine.vocab import TaskStatus


@dataclass(frozen=True)
class Mismatch:
    case_id: int
    what: str
    reason: str

    def describe(self) -> str:
        return f"案件 {self.case_id} 的{self.what}与记录不符: {self.reason}"


def check(runtime: Runtime, session: Session, case_id: int | None = None) -> list[Mismatch]:
    cases = select(Case).order_by(Case.id)
    if case_id is not None:
        cases = cases.where(Case.id == case_id)
    found: list[Mismatch] = []
    for case in session.exec(cases):
        found += _tasks_against_record(session, case)
        found += _against_workflow(runtime, session, case)
    return found


def _tasks_against_record(session: Session, case: Case) -> list[Mismatch]:
    completed = {row.id: row for row in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.completed))}
    events = {event.task_id: event for event in session.exec(
        select(RecordEvent).where(RecordEvent.case_id == case.id, RecordEvent.kind == "task_completed"))}
    found = []
    for task_id, row in completed.items():
        event = events.get(task_id)
        if event is None:
            found.append(Mismatch(case.id, f"任务「{row.name}」", "标记为已办理, 但全过程记录中没有办理事件"))
        elif row.completed_by is not None and event.actor_id != row.completed_by:
            found.append(Mismatch(case.id, f"任务「{row.name}」", f"办理人与记录第 {event.seq} 条不一致"))
    for task_id, event in events.items():
        if task_id not in completed:
            found.append(Mismatch(case.id, f"任务「{event.task_name}」",
                                  f"记录第 {event.seq} 条已办理, 但任务表中不是已办理状态"))
    return found


def _against_workflow(runtime: Runtime, session: Session, case: Case) -> list[Mismatch]:
    state = session.exec(select(WorkflowState.state).where(WorkflowState.case_id == case.id)).first()
    if state is None:
        return [Mismatch(case.id, "流程状态", "缺失")]
    process = runtime.process_of(session, case)
    workflow = serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())
    ready = inbox.ready_tasks(workflow)
    open_rows = {row.id: row for row in session.exec(
        select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.ready))}
    found = [Mismatch(case.id, f"待办「{row.name}」", "流程中并无此待办") for task_id, row in open_rows.items()
             if task_id not in ready]
    found += [Mismatch(case.id, f"待办「{task.task_spec.bpmn_name or task.task_spec.name}」", "流程中待办, 但待办表中缺失")
              for task_id, task in ready.items() if task_id not in open_rows]
    if case.completed != workflow.is_completed():
        found.append(Mismatch(case.id, "办结标志", "与流程状态不一致"))
    implied = inbox.derive_status(workflow, process, ready.values(), case.status)
    if implied != case.status:
        found.append(Mismatch(case.id, "案件状态", f"流程所示应为「{implied.label}」, 案件表为「{case.status.label}」"))
    return found
