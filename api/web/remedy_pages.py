"""Recording a party's reconsideration application or lawsuit (复议/诉讼) from the case page.

The form is the model's own (the `remedy_filed` start event's schema); the service is the API's
(api.services.case_remedies), so the same authorization and rules apply.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from api import authz
from api.services import case_remedies
from api.web import form_schema
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.case_events import message_start
from engine.errors import ValidationFailed

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _schema(request: Request, user, case_id: int):
    runtime = request.app.state.runtime
    with Session(runtime.engine) as session:
        case = authz.visible_case(session, user, case_id)
        authz.case_officer_authorizer(user.id)(session, case)  # before the form: who may record it
        process = runtime.process_of(session, case)
        start = message_start(process, case_remedies.REMEDY_FILED)
        if start is None or not start.form:
            raise ValidationFailed("该案件的办案流程不登记行政复议、行政诉讼", code="event_not_modelled",
                                   details={"case_id": case_id})
        return case, process.form_schema(start.form)


def _page(request: Request, user, case_id: int, *, values: dict | None = None, errors: dict | None = None,
          message: str | None = None, status_code: int = 200):
    case, schema = _schema(request, user, case_id)
    return render(request, "remedy.html", status_code=status_code, case=case, schema=schema, values=values or {},
                  errors=errors or {}, message=message, officers=[], widget=form_schema.widget,
                  options=form_schema.options, datetime_value=form_schema.datetime_input_value,
                  capitals=form_schema.capitals, nav="cases")


@router.get("/cases/{case_id}/remedies/new")
def remedy_form(request: Request, case_id: DbId, user: WebUser):
    return _page(request, user, case_id)


@router.post("/cases/{case_id}/remedies/new")
async def record_remedy(request: Request, case_id: DbId, user: WebUser):
    form = await request.form(max_files=0, max_fields=30)
    return await run_in_threadpool(_record, request, user, case_id, form)


def _record(request: Request, user, case_id: int, form: FormData):
    _case, schema = _schema(request, user, case_id)
    data = form_schema.read_form(schema, form, {})
    try:
        case_remedies.record_remedy(request.app.state.runtime, user, case_id, data)
    except ValidationFailed as exc:
        errors = {**form_schema.schema_errors(schema, data), **form_schema.field_errors(exc.details)}
        return _page(request, user, case_id, values=data, errors=errors, message=exc.message, status_code=422)
    return RedirectResponse(f"/cases/{case_id}?remedy=1", status_code=303)
