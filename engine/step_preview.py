"""What a ready task's `compute` properties give today, shown with its form before the officer submits it.

E.g. on 登记催告后缴纳 the 加处罚款 owed if the party pays today. A form date the officer has not filled in yet
(the payment date, the reminder's service date) is taken as today; a value that cannot be worked out yet (it needs
an instant the form will give) is left out. Nothing is stored: the step computes again when it completes.
"""

from __future__ import annotations

from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow

from engine import scripting
from engine.rules import environment
from engine.specs import LoadedProcess, TaskInfo


def computed_today(process: LoadedProcess, info: TaskInfo, workflow: BpmnWorkflow, task_id: str) -> dict:
    """On the case's workflow as the caller restored it for the form (no second restore)."""
    if not info.computed:
        return {}
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
