"""The case runtime: start a case, list tasks, complete a task, fire due timers, read a case.

Every operation is one database transaction: the case row is locked, the
workflow restored from its compact state, the engine run to its next wait
state, and the workflow state, the inbox rows, the case's derived columns and
a record event are written together; the case row only through
`casestore.write_case`. The inbox bookkeeping is in engine.inbox, the worker's
timer pass in engine.timer_pass. Nothing here knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlmodel import Session, select

from engine import calendar, casestore, clock, forms, holiday_data, inbox, provisional, record, serialization, timer_pass
from engine.case_numbers import assign_case_number, number_on_filing
from engine.db import transaction
from engine.errors import Conflict, InvalidState, NotFound, ValidationFailed, ZhifaError
from engine.models import Actor, Agency, Case, ProcessVersion, Task, WorkflowState
from engine.powers import power_list
from engine.rules import environment
from engine.rules.profiles import profile_inputs
from engine.settings import get_settings
from engine.specs import LoadedProcess, SpecLibrary, TaskInfo
from engine.step_rules import derive_and_check
from engine.vocab import AgencyKind, CaseStatus, TaskStatus

FROZEN_STATUSES = casestore.FROZEN_STATUSES
_DETECTED_BY = {AgencyKind.county_bureau: "county", AgencyKind.township: "township", AgencyKind.park: "park"}


@dataclass
class StepContext:
    """What a step hook sees: the case and its agency, the task's declared properties, the data, and the actor."""

    session: Session
    case: Case
    agency: Agency
    process: LoadedProcess
    task_id: str
    task: TaskInfo
    data: dict
    workflow_data: dict
    actor: Actor
    outputs: list[dict] = field(default_factory=list)
    data_updates: dict = field(default_factory=dict)  # added to the task's data, e.g. issued document numbers
    workflow: BpmnWorkflow | None = None  # the case's workflow, for hooks that keep case-wide data (engine.case_events)


StepHook = Callable[[StepContext], None]
LinkHook = Callable[[Session, Case, Case, Actor], None]  # (session, parent case, new linked case, actor)
EndHook = Callable[[Session, Case, Actor], None]  # a case reached an end event

# What a follow-up case inherits from the case that started it.
INHERITED_KEYS = ("party", "facts", "violation_code", "penalised_party", "penalty_kinds", "accident",
                  "crime_suspected", "in_em_scope", "target_assigned_level", "problems", "rules_profile",
                  "overdue_uncorrected")


@dataclass
class CaseView:
    case: Case
    tasks: list[Task]
    workflow: BpmnWorkflow = field(repr=False)

    @cached_property
    def data(self) -> dict:
        """What the case knows so far; computed when asked (a completion's answer does not show it)."""
        return dict(self.workflow.data) | _last_data(self.workflow)


class Runtime:
    def __init__(self, engine: sa.Engine, specs: SpecLibrary, step_hooks: Sequence[StepHook] = (),
                 link_hooks: Sequence[LinkHook] = (), end_hooks: Sequence[EndHook] = ()):
        self.engine = engine
        self.specs = specs
        self.step_hooks = list(step_hooks)
        self.link_hooks = list(link_hooks)
        self.end_hooks = list(end_hooks)

    # ---- process versions -------------------------------------------------
    def register_versions(self) -> None:
        """Store the current version of every process once (idempotent)."""
        with transaction(self.engine) as session:
            for loaded in self.specs.current.values():
                if session.get(ProcessVersion, loaded.version_id) is None:
                    session.add(ProcessVersion(
                        id=loaded.version_id, process_id=loaded.process_id, name=loaded.name,
                        files=loaded.files, created_at=clock.now(),
                    ))

    def process_of(self, session: Session, case: Case) -> LoadedProcess:
        """The process version the case runs on, parsed from its stored files if not loaded yet."""
        try:
            return self.specs.version(case.version_id, case.process_id)
        except ZhifaError:
            version = session.get(ProcessVersion, case.version_id)
            return self.specs.version(case.version_id, case.process_id, version.files)

    # ---- start ------------------------------------------------------------
    def start_case(
        self, process_id: str, *, agency_id: int, actor: Actor, data: dict | None = None, kind: str = "inspection",
        title: str = "", party_name: str = "", parent_case_id: int | None = None, rules_profile: str | None = None,
        alongside: Callable[[Session, CaseView], None] | None = None,
    ) -> CaseView:
        """Start a case on the newest version of a process.

        The rules profile in force on the start date goes into the case data, so its decision tables keep that
        version; `alongside(session, view)` adds the caller's writes to the same transaction.
        """
        with transaction(self.engine) as session:
            case, tasks, workflow = self._start(session, process_id, agency_id=agency_id, actor=actor, data=data,
                                                kind=kind, title=title, party_name=party_name,
                                                parent_case_id=parent_case_id, rules_profile=rules_profile)
            return _alongside(alongside, session, _view(case, tasks, workflow))

    def _start(self, session: Session, process_id: str, *, agency_id: int, actor: Actor, data: dict | None, kind: str,
               title: str, party_name: str, parent_case_id: int | None, rules_profile: str | None):
        process = self.specs.latest(process_id)
        agency = session.get(Agency, agency_id)
        if agency is None:
            raise NotFound("执法机构不存在", details={"agency_id": agency_id})
        if session.get(ProcessVersion, process.version_id) is None:
            session.add(ProcessVersion(id=process.version_id, process_id=process.process_id, name=process.name,
                                       files=process.files, created_at=clock.now()))
        now = clock.now()
        case = Case(kind=kind, process_id=process_id, version_id=process.version_id, agency_id=agency_id,
                    status=CaseStatus.inspecting if kind == "inspection" else CaseStatus.filed,
                    title=title, party_name=party_name, parent_case_id=parent_case_id,
                    started_at=now, updated_at=now,
                    filed_on=now.astimezone(calendar.SHANGHAI).date() if kind == "case" else None)
        casestore.insert_case(session, case)
        if not process.numbers_at_filing:
            case.number = assign_case_number(session, case, agency, now)
        start_data = dict(data or {})
        _check_keys(start_data)
        started_on = now.astimezone(calendar.SHANGHAI).date()
        profile = rules_profile or get_settings().rules_profile
        start_data.update(profile_inputs(profile, on=started_on), **power_list.case_facts(session, agency, started_on))
        start_data.update(case_id=case.id, case_number=case.number, agency_code=agency.code,
                          agency_name=agency.name, detected_by=_DETECTED_BY[AgencyKind(agency.kind)],
                          rules_profile=profile, started_on=started_on.isoformat())
        workflow = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=environment.script_engine())
        workflow.data.update(start_data)
        workflow.task_tree.data.update(start_data)
        for task in workflow.get_tasks(state=TaskState.READY, manual=False):
            task.data.update(start_data)
        with provisional.noting() as noted:
            self._run(workflow, process, case)
        provisional.file_noted(workflow, noted, entered=set(start_data))
        session.add(WorkflowState(case_id=case.id, state=serialization.dump(workflow)))
        tasks = inbox.sync(session, case, process, workflow, completed_task_id=None)
        record.append_event(session, case_id=case.id, kind="case_started", actor=actor, case=case,
                            inputs={"process": process_id, "version": process.version_id, "data": data or {},
                                    "parent_case_id": parent_case_id})
        casestore.write_case(session, case)
        return case, tasks, workflow

    def _ended(self, session: Session, case: Case, process: LoadedProcess, workflow: BpmnWorkflow, actor: Actor) -> None:
        for hook in self.end_hooks:
            hook(session, case, actor)
        self._start_linked_case(session, case, process, workflow, actor)

    def _start_linked_case(self, session: Session, case: Case, process: LoadedProcess, workflow: BpmnWorkflow,
                           actor: Actor) -> None:
        """An end event with `startCase` opens the follow-up case (e.g. reported to the county bureau).

        The new case links to this one, inherits the party and the findings, and gets
        this case's evidence and documents by reference (link hooks).
        """
        end = inbox.last_end(workflow, process)
        if end is None or not end.start_case:
            return
        agency = session.get(Agency, case.agency_id)
        target = agency.parent_id if end.start_case_in == "county" and agency.parent_id else agency.id
        data = _last_data(workflow)
        inherited = {key: data[key] for key in INHERITED_KEYS if key in data}
        inherited["source"] = {"case_id": case.id, "case_number": case.number, "outcome": case.outcome,
                               "documents": data.get("documents") or {}}
        child, _, _ = self._start(session, end.start_case, agency_id=target, actor=actor, data=inherited, kind=end.start_case_kind,
                                  title=case.title, party_name=case.party_name, parent_case_id=case.id,
                                  rules_profile=data.get("rules_profile"))
        for hook in self.link_hooks:
            hook(session, case, child, actor)
        record.append_event(session, case_id=case.id, kind="case_linked", actor=actor,
                            inputs={"child_case_id": child.id, "child_case_number": child.number,
                                    "process": end.start_case})

    # ---- complete ---------------------------------------------------------
    def complete_task(self, task_id: str, data: dict, actor: Actor, *, authorize: Callable[[Session, Case, Task], None] | None = None,
                      check: Callable[[Session, Case, Task], list[dict]] | None = None,
                      alongside: Callable[[Session, CaseView], None] | None = None) -> CaseView:
        """Complete one ready user task. Exactly one of several concurrent completions wins; the others get Conflict.

        `check` adds the caller's problems with the data (e.g. the officers named) to the form's, all reported at once;
        `alongside(session, view)` adds the caller's writes (e.g. an idempotency answer) to the step's transaction.

        This is the hot path: a few plain statements (lock the case, read the task
        and the state, then write tasks, state, record event and case), no ORM
        bookkeeping.
        """
        with transaction(self.engine) as session:
            case, agency, row, state, open_rows = casestore.claim_ready(session, task_id,
                                                                        done_message="该任务已被他人办理或已取消, 请刷新后重试")
            if authorize is not None:
                authorize(session, case, row)
            process = self.process_of(session, case)
            info = process.tasks[row.bpmn_id]
            _check_keys(data)
            found = forms.problems(process.form_validator(info.form), data)
            forms.raise_problems(forms.merge(found, check(session, case, row) if check else []))
            workflow = serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())
            spiff_task = workflow.get_task_from_id(_uuid(task_id))
            if spiff_task is None or spiff_task.state != TaskState.READY:
                raise Conflict("该任务当前不可办理", code="task_conflict", details={"task_id": task_id})
            merged = {**spiff_task.data, **data}
            computed = derive_and_check(info, merged)
            numbered = number_on_filing(session, case, agency, info.assigns_case_number, merged)
            context = StepContext(session=session, case=case, agency=agency, process=process, task_id=task_id, task=info, data=data,
                                  workflow_data=merged, actor=actor, workflow=workflow)
            context.data_updates.update(computed | numbered)
            context.outputs.extend([{"computed": computed}] if computed else [])
            for hook in self.step_hooks:
                hook(context)
            waiting = inbox.pending(workflow, spiff_task)
            spiff_task.set_data(**(data | context.data_updates))
            with provisional.noting() as noted:
                spiff_task.run()
                self._run(workflow, process, case)
            context.outputs.extend(inbox.cancelled(waiting))
            provisional.file_noted(workflow, noted, entered=set(data))
            state = serialization.dump(workflow)
            writes = casestore.InboxWrites()
            tasks = inbox.sync(session, case, process, workflow, completed_task_id=task_id, open_rows=open_rows, agency=agency,
                               writes=writes)
            party = data.get("party")
            if isinstance(party, dict) and isinstance(party.get("name"), str) and party["name"].strip():
                case.party_name = party["name"].strip()[:200]  # the party named by this step (the filing's penalised party)
            event = record.next_event(case, kind="task_completed", actor=actor, task_id=task_id, task_name=info.name,
                                      inputs=data, outputs=context.outputs)
            casestore.finish_step(session, case, state=state, task_id=task_id, by=actor.user_id, event=event, inbox=writes)
            if case.completed:
                self._ended(session, case, process, workflow, actor)
            return _alongside(alongside, session, _view(case, tasks, workflow))

    # ---- timers -----------------------------------------------------------
    def fire_due(self, limit: int = 100) -> list[int]:
        """One worker pass over the due timers (engine.timer_pass); returns the ids of the cases fired."""
        return timer_pass.fire_due(self.engine, self.fire_timers, limit)

    def next_due(self) -> datetime | None:
        """The earliest pending timer of any case, so a worker can sleep until then."""
        return timer_pass.next_due(self.engine)

    def fire_timers(self, session: Session, case: Case, agency: Agency, state: str) -> None:
        """Fire the due timers of a case the caller locked and read (casestore.claim_due); run it to its next wait."""
        process = self.process_of(session, case)
        workflow = serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())
        due = [e.value for e in workflow.waiting_events() if _timer_due(e.value)]
        with provisional.noting() as noted:
            self._run(workflow, process, case)
        provisional.file_noted(workflow, noted, entered=set())
        self._save(session, case, workflow)
        inbox.sync(session, case, process, workflow, completed_task_id=None, agency=agency)
        record.append_event(session, case_id=case.id, kind="timer_fired", actor=Actor.system(), inputs={"due": due}, case=case)
        casestore.write_case(session, case)
        if case.completed:
            self._ended(session, case, process, workflow, Actor.system())

    # ---- holiday data ------------------------------------------------------
    def recompute_provisional(self) -> list[dict]:
        """Redo the provisional deadlines of every open case with the holiday data known now.

        Run after official data for a year arrives (`zhifa holidays refresh`, worker start); each case whose deadlines
        moved gets a `deadlines_recomputed` event. Returns what moved.
        """
        holiday_data.clear_caches()  # a year file may have been added since the process started
        provisional_task = sa.exists().where(Task.case_id == Case.id, Task.status == TaskStatus.ready,
                                             Task.due_provisional.is_(True))
        marked_in_state = sa.exists().where(WorkflowState.case_id == Case.id, sa.or_(
            *(WorkflowState.state.contains(mark) for mark in provisional.STATE_MARKS)))
        with Session(self.engine) as session:
            case_ids = list(session.exec(select(Case.id).where(
                Case.completed.is_(False), sa.or_(provisional_task, marked_in_state))))
        reports = []
        for case_id in case_ids:
            with transaction(self.engine) as session:
                case = casestore.lock_case(session, case_id)
                moves = self._recompute_case(session, case)
                if moves:
                    reports.append({"case_id": case.id, "case_number": case.number, "moves": moves})
        return reports

    def _recompute_case(self, session: Session, case: Case) -> list[dict]:
        process = self.process_of(session, case)
        workflow = self._load(session, case, process)
        moves, changed = provisional.recompute(workflow)
        moves += inbox.refresh_provisional_dues(session, case, process, workflow)
        if changed:
            self._save(session, case, workflow)
            inbox.set_next_due(case, workflow)
        if moves:
            record.append_event(session, case_id=case.id, kind="deadlines_recomputed", actor=Actor.system(),
                                inputs={"moves": moves}, case=case)
        casestore.write_case(session, case)
        return moves

    # ---- read -------------------------------------------------------------
    def get_case(self, case_id: int) -> CaseView:
        with Session(self.engine) as session:
            case = session.get(Case, case_id)
            if case is None:
                raise NotFound("案件不存在", details={"case_id": case_id})
            process = self.process_of(session, case)
            workflow = self._load(session, case, process)
            tasks = list(session.exec(select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.ready)))
            return _view(case, tasks, workflow)

    def ready_tasks(self, *, roles: Sequence[str] | None = None, agency_ids: Sequence[int] | None = None,
                    case_id: int | None = None) -> list[Task]:
        """Inbox query on the task table (never deserializes a workflow), earliest due first."""
        query = select(Task).where(Task.status == TaskStatus.ready)
        if roles is not None:
            query = query.where(Task.role.in_(list(roles)))
        if agency_ids is not None:
            query = query.where(Task.agency_id.in_(list(agency_ids)))
        if case_id is not None:
            query = query.where(Task.case_id == case_id)
        query = query.order_by(Task.due_on.is_(None), Task.due_on, Task.created_at)
        with Session(self.engine) as session:
            return list(session.exec(query))

    # ---- internals --------------------------------------------------------
    def _load(self, session: Session, case: Case, process: LoadedProcess) -> BpmnWorkflow:
        state = session.execute(select(WorkflowState.state).where(WorkflowState.case_id == case.id)).scalar_one()
        return serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())

    def _save(self, session: Session, case: Case, workflow: BpmnWorkflow) -> None:
        casestore.save_state(session, case.id, serialization.dump(workflow))

    def _run(self, workflow: BpmnWorkflow, process: LoadedProcess, case: Case) -> None:
        try:
            workflow.refresh_timers()
            workflow.do_engine_steps()
        except SpiffWorkflowException as exc:
            raise InvalidState(f"流程执行出错: {exc}", code="workflow_error",
                               details={"case_id": case.id, "process": process.process_id}) from exc


def _alongside(alongside: Callable[[Session, CaseView], None] | None, session: Session, view: CaseView) -> CaseView:
    if alongside is not None:
        alongside(session, view)
    return view


def _view(case: Case, tasks: list[Task], workflow: BpmnWorkflow) -> CaseView:
    return CaseView(case=case, tasks=tasks, workflow=workflow)


def _uuid(task_id: str):
    try:
        return UUID(task_id)
    except ValueError:
        raise NotFound("任务不存在", details={"task_id": task_id}) from None


def _check_keys(data: dict) -> None:
    bad = [key for key in data if not isinstance(key, str) or key.startswith("_") or key in environment.HELPERS
           or key == provisional.LEDGER_KEY]
    if bad:
        raise ValidationFailed(f"不允许的字段名: {'、'.join(map(str, bad))}", details={"fields": bad})


def _timer_due(value: Any) -> bool:
    try:
        return TimerEventDefinition.get_datetime(value) <= clock.now()
    except (TypeError, ValueError):
        return False


def _last_data(workflow: BpmnWorkflow) -> dict:
    """The data of the most recently completed task: what the case knows so far."""
    done = workflow.get_tasks(state=TaskState.COMPLETED)
    return dict(max(done, key=lambda t: t.last_state_change).data) if done else {}

