"""Task bookkeeping after every step: the inbox rows and the case's derived columns, in line with the workflow.

Plain UPDATE/INSERT statements (engine.casestore), no per-row ORM bookkeeping: this runs on every step.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlmodel import Session, select

from engine import calendar, casestore, clock, provisional, scripting
from engine.errors import InvalidState
from engine.models import Agency, Case, Task
from engine.rules import environment
from engine.specs import LoadedProcess, TaskInfo
from engine.vocab import AgencyKind, CaseStatus, Lane, TaskStatus


def sync(session: Session, case: Case, process: LoadedProcess, workflow: BpmnWorkflow,
         completed_task_id: str | None, open_rows: dict[str, Task] | None = None,
         agency: Agency | None = None, writes: casestore.InboxWrites | None = None) -> list[Task]:
    """Bring the inbox rows and the case's derived columns in line with the workflow; return the open tasks.

    `open_rows` are the case's open inbox rows by id, read here unless the caller has them (a completion's
    claim reads them). The rows opened and cancelled are written now, or left in `writes` for the caller's
    `casestore.finish_step`, which writes the completed task's row too; the case's columns are set on `case`
    only, for the caller to write.
    """
    now = clock.now()
    ready = ready_tasks(workflow)
    if open_rows is None:
        open_rows = {row.id: row for row in session.exec(
            select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.ready))}
    gone = [task_id for task_id in open_rows if task_id not in ready and task_id != completed_task_id]
    tasks = [row for task_id, row in open_rows.items() if task_id in ready]
    new = [task_id for task_id in ready if task_id not in open_rows]
    created = []
    if new:
        lane_owners = _lane_owners(agency or session.get(Agency, case.agency_id))
        for task_id in new:
            info = process.tasks[ready[task_id].task_spec.bpmn_id]
            role, agency_id = lane_owners[info.lane]
            created.append(dict(id=task_id, case_id=case.id, bpmn_id=info.bpmn_id, name=info.name, role=role,
                                agency_id=agency_id, status=TaskStatus.ready, created_at=now, completed_at=None,
                                completed_by=None, assignees=_assignees(info, ready[task_id].data),
                                **_due(info, ready[task_id].data, workflow)))
    if writes is None:
        casestore.cancel_tasks(session, gone, now)
        if created:
            casestore.insert_tasks(session, created)
    else:
        writes.new, writes.cancelled = created, gone
    tasks += [casestore.loaded(Task, row) for row in created]
    case.completed = workflow.is_completed()
    end = last_end(workflow, process) if case.completed else None
    case.status = derive_status(workflow, process, ready.values(), case.status, end=end)
    if case.completed:
        case.outcome = end.outcome if end else None
    set_next_due(case, workflow)
    case.revision += 1
    case.updated_at = now
    return tasks


def set_next_due(case: Case, workflow: BpmnWorkflow) -> None:
    """The case's earliest pending timer, and whether it was computed from provisional holiday data."""
    case.next_due = _next_due(workflow)
    case.next_due_provisional = provisional.timer_is_provisional(workflow, case.next_due)


def refresh_provisional_dues(session: Session, case: Case, process: LoadedProcess, workflow: BpmnWorkflow) -> list[dict]:
    """Recompute the open tasks whose due date rested on provisional holiday data; return what moved."""
    moves = []
    rows = session.exec(select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.ready,
                                           Task.due_provisional.is_(True)))
    for row in rows:
        spiff_task = workflow.get_task_from_id(uuid.UUID(row.id))
        due = _due(process.tasks[row.bpmn_id], spiff_task.data, workflow)
        if due["due_on"] != row.due_on:
            moves.append({"task": row.name, "from": row.due_on, "to": due["due_on"],
                          "provisional": due["due_provisional"], "holiday_data": due["due_basis"]})
        row.due_on, row.due_provisional, row.due_basis = due["due_on"], due["due_provisional"], due["due_basis"]
        session.add(row)
    return moves


def ready_tasks(workflow: BpmnWorkflow) -> dict:
    """The workflow's ready user tasks by task id."""
    return {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}


def pending(workflow: BpmnWorkflow, step=None) -> list:
    """The workflow's open user tasks and waiting events (timers ...), to tell afterwards which a step cancelled.
    The boundary events of `step` itself are left out: they stop waiting when it is done, nothing is cancelled."""
    own = step.parent.children if step is not None and isinstance(step.parent.task_spec, BoundaryEventSplit) else []
    return [t for t in workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
            if (t.task_spec.manual or hasattr(t.task_spec, "event_definition")) and t not in own]  # not joins


def cancelled(before: list) -> list[dict]:
    """The names of those tasks and events a step cancelled (an interrupting boundary event), as a record output."""
    names = [t.task_spec.bpmn_name for t in before if t.state == TaskState.CANCELLED]
    return [{"cancelled": names}] if names else []


def last_end(workflow: BpmnWorkflow, process: LoadedProcess) -> TaskInfo | None:
    """The end event the case reached most recently (the one with an `outcome`)."""
    ends = [t for t in workflow.get_tasks(state=TaskState.COMPLETED) if _info(process, t) and _info(process, t).outcome]
    return _info(process, max(ends, key=lambda t: t.last_state_change)) if ends else None


def _next_due(workflow: BpmnWorkflow) -> datetime | None:
    times = []
    for event in workflow.waiting_events():
        try:
            times.append(TimerEventDefinition.get_datetime(event.value))
        except (TypeError, ValueError):
            continue  # not a timer (message, signal ...)
    return min(times) if times else None


def _lane_owners(agency: Agency) -> dict[Lane, tuple[Lane, int]]:
    """Each model lane → (the role that acts in it, the agency whose users hold that role).

    Township lanes belong to the case's agency; county lanes to the county bureau
    above it; the case-officer lane to the officers of the case's own agency.
    """
    at_county = agency.kind == AgencyKind.county_bureau or agency.parent_id is None
    county_id = agency.id if at_county else agency.parent_id
    owners = {lane: (lane, county_id) for lane in Lane}
    owners[Lane.township_officer] = (Lane.township_officer, agency.id)
    owners[Lane.department] = (Lane.department, agency.id)
    owners[Lane.case_officer] = (Lane.county_officer, agency.id) if at_county else (Lane.township_officer, agency.id)
    return owners


def _assignees(info: TaskInfo, data: dict) -> str | None:
    """The groups of a group-assigned task, stored as |a|b| (matched with LIKE '%|a|%')."""
    if not info.assignees:
        return None
    try:
        groups = [str(g).replace("|", "") for g in environment.evaluate(info.assignees, data) or []]
    except Exception as exc:  # a model defect, as a broken due expression
        raise InvalidState(f"任务「{info.name}」的办理部门表达式无法计算: {exc}", code="workflow_error") from exc
    return "|" + "|".join(groups) + "|" if groups else None


def _due(info: TaskInfo, data: dict, workflow: BpmnWorkflow) -> dict:
    """A task's due date and whether it rests on provisional holiday data (computed here, or a provisional case date)."""
    if not info.due_expression:
        return {"due_on": None, "due_at": None, "due_provisional": False, "due_basis": None}
    try:
        with calendar.holiday_basis() as basis:
            value = environment.evaluate(info.due_expression, data)
        due_on = None if value is None else scripting.as_date(value)
        due_at = scripting.instant(value) if isinstance(value, str) and len(value) > 10 else None
    except Exception as exc:  # a broken expression must not block the step; it is a model defect
        raise InvalidState(f"任务「{info.name}」的期限表达式无法计算: {exc}", code="workflow_error") from exc
    stored = provisional.provisional_value(workflow, due_on) if due_on and not basis.provisional else None
    return {"due_on": due_on, "due_at": due_at, "due_provisional": basis.provisional or stored is not None,
            "due_basis": (stored or basis.label or None) if due_on else None}


def derive_status(workflow: BpmnWorkflow, process: LoadedProcess, ready, current: CaseStatus,
                  end: TaskInfo | None = None) -> CaseStatus:
    """The case's status after a step; `end` is the end event reached, when the caller has it (`last_end`)."""
    if workflow.is_completed():
        end = end or last_end(workflow, process)
        return (end.case_status or current) if end else current
    for task in sorted(ready, key=lambda t: t.last_state_change, reverse=True):
        info = _info(process, task)
        if info and info.case_status:
            return info.case_status
    for task in workflow.get_tasks(state=TaskState.WAITING):
        info = _info(process, task)
        if info and info.case_status:
            return info.case_status
    return current


def _info(process: LoadedProcess, task) -> TaskInfo | None:
    return process.tasks.get(getattr(task.task_spec, "bpmn_id", None) or "")
