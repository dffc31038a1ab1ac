"""What a ready task's `compute` properties give today, shown with its form before the officer submits it.

E.g. on 登记催告后缴纳 the 加处罚款 owed if the party pays today. A form date the officer has not filled in yet
(the payment date, the reminder's service date) is taken as today; a value that cannot be worked out yet (it needs
an instant the form will give) is left out. Nothing is stored: the step computes again when it completes.
"""

from __future__ import annotations

from uuid import UUID

from sqlmodel import Session, select

from engine import scripting, serialization
from engine.models import Case, Task, WorkflowState
from engine.rules import environment
from engine.runtime import Runtime


def computed_today(runtime: Runtime, task_id: str) -> dict:
    with Session(runtime.engine) as session:
        row = session.get(Task, task_id)
        case = session.get(Case, row.case_id) if row else None
        if row is None or case is None:
            return {}
        process = runtime.process_of(session, case)
        info = process.tasks[row.bpmn_id]
        if not info.computed:
            return {}
        state = session.execute(select(WorkflowState.state).where(WorkflowState.case_id == case.id)).scalar_one()
    workflow = serialization.load(state, process.spec, process.subprocess_specs, environment.script_engine())
    spiff_task = workflow.get_task_from_id(UUID(task_id))
    if spiff_task is None:
        return {}
    today = scripting.today()
    fields = process.form_schema(info.form).get("properties") or {}
    data = {**spiff_task.data, **{name: today for name, schema in fields.items() if schema.get("format") == "date"}}
    values = {}
    for name, expression in info.computed:
        try:
            values[name] = data[name] = environment.evaluate(expression, data)
        except Exception:  # needs what the form has not given yet
            continue
    return values
