"""Events that happen to a case whatever step it is at, e.g. the party applies for reconsideration or sues.

The model holds them as non-interrupting event subprocesses started by a message (`bpmn:subProcess
triggeredByEvent="true"` with a message start event). `deliver` catches the message for one case: the start
event's form (`formJsonSchemaFilename`) checks the data and its `validation` rules run on it together with the
case data; each delivery starts its own instance of the subprocess, which begins with the case facts the start
event names (`caseFacts`, as they stand now; BPMN gives an event subprocess its parent's data, SpiffWorkflow only
the start data) and the data delivered.

A start event with `register` keeps a case-wide list under that name: each delivery adds an entry (`id`, the
data), given to every open task of the case, so the rest of the procedure can read it (the court enforcement
application is refused while a lawsuit is pending). A task of the subprocess with `registerUpdate` updates its
entry (`register_entry` in its data) with its form data when it completes (`update_register`, a step hook), and
refreshes the `caseFacts` it names.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlmodel import Session

from engine import casestore, forms, inbox, provisional, record
from engine.db import transaction
from engine.errors import InvalidState, NotFound, ValidationFailed
from engine.models import Actor, Case
from engine.runtime import FROZEN_STATUSES, CaseView, Runtime, StepContext, _check_keys, _view
from engine.specs import LoadedProcess, TaskInfo
from engine.step_rules import derive_and_check

ENTRY_KEY = "register_entry"
OPEN = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def message_start(process: LoadedProcess, message: str) -> TaskInfo | None:
    """The message start event of the event subprocess the model starts with `message`, if any."""
    for spec in process.subprocess_specs.values():
        for start in getattr(spec, "bpmn_start_events", ()):
            definition = getattr(start, "event_definition", None)
            if isinstance(definition, MessageEventDefinition) and definition.name == message:
                return process.tasks.get(start.bpmn_id)
    return None


def current_facts(workflow: BpmnWorkflow) -> dict:
    """The case data as it stands in the main flow: its completed, then its open tasks' data, newest last.

    Every completed task's, not only the last one's: on parallel branches not joined yet (the fine collected while
    the decision is published) each branch's data is in its own tasks only.
    """
    facts: dict = {}
    done = [task for task in workflow.get_tasks(state=TaskState.COMPLETED) if task.workflow is workflow]
    for tasks in (done, [task for task in workflow.get_tasks(state=OPEN) if task.workflow is workflow]):
        for task in sorted(tasks, key=lambda t: t.last_state_change):
            facts.update(task.data)
    return facts


def deliver(runtime: Runtime, case_id: int, message: str, data: dict, actor: Actor, *,
            authorize: Callable[[Session, Case], None] | None = None) -> CaseView:
    """Catch `message` for the case in one transaction: a new instance of its event subprocess, a record event."""
    with transaction(runtime.engine) as session:
        case = casestore.lock_case(session, case_id)
        if case is None:
            raise NotFound("案件不存在", details={"case_id": case_id})
        if authorize is not None:
            authorize(session, case)
        if case.status in FROZEN_STATUSES or case.completed:
            raise InvalidState("案件已办结归档, 不能再登记", code="case_archived", details={"case_id": case.id})
        process = runtime.process_of(session, case)
        start = message_start(process, message)
        if start is None:
            raise ValidationFailed("该案件的办案流程中没有这类事件", code="event_not_modelled", details={"message": message})
        _check_keys(data)
        if start.form:
            forms.raise_problems(forms.problems(process.form_validator(start.form), data))
        workflow = runtime._load(session, case, process)
        facts = current_facts(workflow)
        derive_and_check(start, {**facts, **data})
        seed = {**{key: facts.get(key) for key in start.case_facts}, **data}
        entry = None
        if start.register:
            register = list(facts.get(start.register) or [])
            entry = {"id": len(register) + 1, **data}
            seed |= {start.register: [*register, entry], ENTRY_KEY: entry["id"]}
            _share(workflow, start.register, seed[start.register])
        before = set(workflow.subprocesses)
        workflow.catch(BpmnEvent(MessageEventDefinition(message), payload=data))
        for task_id in set(workflow.subprocesses) - before:
            for task in workflow.subprocesses[task_id].get_tasks():
                task.data.update(deepcopy(seed))
        with provisional.noting() as noted:
            runtime._run(workflow, process, case)
        provisional.file_noted(workflow, noted, entered=set(data))
        runtime._save(session, case, workflow)
        tasks = inbox.sync(session, case, process, workflow, completed_task_id=None)
        record.append_event(session, case_id=case.id, kind="case_event", actor=actor, case=case, task_name=start.name,
                            inputs={"message": message, "data": data, **({"entry": entry["id"]} if entry else {})})
        casestore.write_case(session, case)
        return _view(case, tasks, workflow)


def _share(workflow: BpmnWorkflow, key: str, value) -> None:
    """Give every task of the case (main flow and subprocesses, done or not) the case-wide value, each its own copy.

    All of them, because SpiffWorkflow merges a parent's data into a waiting task again each time it is updated
    (a timer, a join) and merges lists in place: a stale copy anywhere would come back; never one shared list.
    """
    for task in workflow.get_tasks():
        task.data[key] = deepcopy(value)


def update_register(context: StepContext) -> None:
    """Step hook: a `registerUpdate` task writes its form data into its entry of the case-wide register."""
    name = context.task.register_update
    if context.workflow is not None and context.task.case_facts:
        facts = current_facts(context.workflow)
        context.data_updates.update({key: facts.get(key) for key in context.task.case_facts if key not in context.data})
    if not name or context.workflow is None:
        return
    entry_id = context.workflow_data.get(ENTRY_KEY)
    register = [dict(entry, **context.data) if entry.get("id") == entry_id else entry
                for entry in current_facts(context.workflow).get(name) or []]
    _share(context.workflow, name, register)
    context.data_updates[name] = deepcopy(register)
