"""The review plan's procedure as the BPMN model `bpmn/case_file_review.bpmn` runs it: one workflow per plan,
kept with the plan. A plan's status is its ready step; each action completes that step, checked against the
step's lane (the user must hold its role), its form schema and the model's validation rules.

The model, not this module, says the order: draft → head approval (or back to the draft) → draw → review →
report."""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from api.casefile_review.models import PlanStatus, ReviewPlan
from api.identity.models import User
from engine import forms, serialization
from engine.errors import Forbidden, InvalidState, ValidationFailed
from engine.rules import environment
from engine.runtime import Runtime
from engine.specs import LoadedProcess, TaskInfo
from engine.vocab import LANE_LABELS

PROCESS_ID = "case_file_review"
# the plan's status while a step waits; a finished workflow is `reported`
STATUS_BY_STEP = {"draft_plan": PlanStatus.returned, "approve_plan": PlanStatus.draft,
                  "draw_sample": PlanStatus.approved, "review_files": PlanStatus.reviewing,
                  "report_results": PlanStatus.reviewing}


def _process(runtime: Runtime, plan: ReviewPlan | None = None) -> LoadedProcess:
    if plan is not None and plan.version_id:
        return runtime.specs.version(plan.version_id, PROCESS_ID)
    return runtime.specs.latest(PROCESS_ID)


def _workflow(runtime: Runtime, plan: ReviewPlan) -> tuple[BpmnWorkflow, LoadedProcess]:
    process = _process(runtime, plan)
    return serialization.load(plan.workflow_state, process.spec, process.subprocess_specs,
                              environment.script_engine()), process


def _ready(workflow: BpmnWorkflow):
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    return ready[0] if ready else None


def _run(workflow: BpmnWorkflow) -> None:
    try:
        workflow.do_engine_steps()
    except SpiffWorkflowException as exc:
        raise InvalidState(f"评查流程执行出错: {exc}", code="workflow_error") from exc


def _complete(workflow: BpmnWorkflow, process: LoadedProcess, step: str, user: User, data: dict) -> None:
    task = _ready(workflow)
    if task is None or task.task_spec.bpmn_id != step:
        waiting = process.tasks[task.task_spec.bpmn_id].name if task else "无"
        raise InvalidState(f"评查方案当前待办环节为「{waiting}」, 不能办理「{process.tasks[step].name}」",
                           code="review_plan_state", details={"step": step})
    info: TaskInfo = process.tasks[step]
    if not user.has_role(info.lane):
        raise Forbidden(f"「{info.name}」须由{LANE_LABELS[info.lane]}办理", details={"step": step, "lane": info.lane})
    forms.validate(process.form_validator(info.form), data)
    merged = dict(task.data) | data
    for expression, message in info.validations:
        if not environment.evaluate(expression, merged):
            raise ValidationFailed(message, code="rule_violated", details={"rule": expression})
    task.data.update(data)
    task.run()
    _run(workflow)


def status(workflow: BpmnWorkflow) -> PlanStatus:
    task = _ready(workflow)
    return STATUS_BY_STEP[task.task_spec.bpmn_id] if task else PlanStatus.reported


def start(runtime: Runtime, plan: ReviewPlan, user: User, draft: dict) -> None:
    """A new plan: the workflow starts and its draft step completes with the draft."""
    process = _process(runtime)
    workflow = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=environment.script_engine())
    _run(workflow)
    _complete(workflow, process, "draft_plan", user, draft)
    plan.version_id, plan.workflow_state, plan.status = process.version_id, serialization.dump(workflow), status(workflow)


def advance(runtime: Runtime, plan: ReviewPlan, step: str, user: User, data: dict) -> None:
    workflow, process = _workflow(runtime, plan)
    _complete(workflow, process, step, user, data)
    plan.workflow_state, plan.status = serialization.dump(workflow), status(workflow)


def waiting_step(runtime: Runtime, plan: ReviewPlan) -> dict | None:
    """The step the plan waits at, with its lane, as the plan page shows it."""
    if not plan.workflow_state:
        return None
    workflow, process = _workflow(runtime, plan)
    task = _ready(workflow)
    if task is None:
        return None
    info = process.tasks[task.task_spec.bpmn_id]
    return {"step": info.bpmn_id, "name": info.name, "lane": info.lane.value, "lane_label": LANE_LABELS[info.lane]}
