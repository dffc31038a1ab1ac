"""The inbox, one task with its form, and completing a task."""

from __future__ import annotations

import sqlalchemy as sa
from jsonschema import Draft202012Validator

from api import authz, schemas
from api.identity.models import User
from api.identity.service import actor_for
from api.plans.drawn_start import replacements
from api.services.presenters import case_out, task_out
from api.services.record_issuing import record_kinds
from engine.db import read_session
from engine.models import Case, Task
from engine.runtime import CaseView, Runtime
from engine.step_preview import computed_today
from engine.vocab import Lane, TaskStatus

_CASE_COLUMNS = (Case.number, Case.title, Case.party_name, Case.version_id, Case.process_id)


def inbox(runtime: Runtime, user: User) -> list[schemas.TaskOut]:
    """Ready tasks of the user's lanes in their agency, earliest deadline first.

    Plain rows (the task's columns and the few of its case a row shows), not ORM entities, and each step's
    escalation flag looked up once per process version: at a hundred rows the entities cost more than the query.
    """
    with read_session(runtime.engine) as session:
        query = (sa.select(Task.__table__, *_CASE_COLUMNS).join(Case, Case.id == Task.case_id)
                 .where(Task.status == TaskStatus.ready, authz.task_query_scope(session, user))
                 .order_by(Task.due_on.is_(None), Task.due_on, Task.created_at))
        rows = session.connection().execute(query).all()
        escalation: dict[tuple[str, str], bool] = {}
        for row in rows:
            if (row.version_id, row.bpmn_id) not in escalation:
                escalation[row.version_id, row.bpmn_id] = runtime.process_of(session, row).tasks[row.bpmn_id].escalation
        return [task_out(row, row, escalation=escalation[row.version_id, row.bpmn_id]) for row in rows]


def task_detail(runtime: Runtime, user: User, task_id: str) -> schemas.TaskDetail:
    with read_session(runtime.engine) as session:
        task, case = authz.visible_task(session, user, task_id)
        process = runtime.process_of(session, case)
        info = process.tasks[task.bpmn_id]
        task_view, case_view = task_out(task, case), case_out(case)
        own_department = user.department if task.role == Lane.department and user.department else None
        records = record_kinds(session, process, case, task)
        swapped = {r["replaced"]["user_id"]: r["replacement"] for r in replacements(session, [case.id]).get(case.id, [])}
    form = process.form_schema(info.form)
    # one workflow deserialization for one task's form (its prefill and today's computed values); never done for lists
    view = runtime.get_case(case_view.id)
    prefill = _prefill(process.form_validator(info.form), form, view.data)
    if swapped and isinstance(prefill.get("officers"), list):  # a drawn officer replaced: his replacement instead
        prefill["officers"] = [swapped.get(o.get("user_id"), o) for o in prefill["officers"]]
    if own_department and "department" in (form.get("properties") or {}):
        prefill["department"] = own_department  # a department account reports for its own department (api.authz)
    return schemas.TaskDetail(task=task_view, case=case_view, form=form, two_officers=info.two_officers,
                              video_required=info.video_required, documents=list(info.documents), prefill=prefill,
                              computed=computed_today(process, info, view.workflow, task_id), records=records)


def _prefill(validator: Draft202012Validator, form: dict, data: dict) -> dict:
    """The case's values for the form's top-level fields, each kept only if it is valid for its field.

    A field marked `"x-prefill": false` records this step's own act (an approval's date and opinion, a
    meeting's place): an earlier step's value under the same name would be wrong there, so it is left out.
    """
    fields = form.get("properties") or {}
    return {name: data[name] for name, schema in fields.items()
            if name in data and schema.get("x-prefill", True) and validator.evolve(schema=schema).is_valid(data[name])}


def complete(runtime: Runtime, user: User, task_id: str, data: dict, *, alongside=None) -> CaseView:
    with read_session(runtime.engine) as session:
        task, _case = authz.visible_task(session, user, task_id)
        role = authz.acting_role(session, user, task)
    # the actor acts in the task's lane (or as an officer added to the case); the authorizer refuses anyone else
    return runtime.complete_task(task_id, data, actor_for(user, role), authorize=authz.task_authorizer(user.id),
                                 check=authz.task_data_check(runtime, user.id, data), alongside=alongside)
