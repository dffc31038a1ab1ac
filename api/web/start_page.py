"""发起检查: an officer starts an inspection of a unit, then goes straight to the on-site record."""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session

from api import authz, schemas
from api.services import case_handling as cases
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render

router = page_router()
PARTY_FIELDS = {"name": "单位名称", "credit_code": "统一社会信用代码", "address": "地址",
                "legal_representative": "法定代表人(负责人)", "phone": "联系电话"}
DEFAULT_TITLE = "日常安全生产检查"


def _require_starter(request: Request, user) -> None:
    """Only an officer starts an inspection, in their own agency (the API's rule)."""
    with Session(request.app.state.runtime.engine) as session:
        authz.start_role(session, user, user.agency_id, None)


@router.get("/inspections/new")
def start_page(request: Request, user: WebUser):
    _require_starter(request, user)
    return render(request, "start.html", values={"title": DEFAULT_TITLE}, errors={}, fields=PARTY_FIELDS, nav="start")


@router.post("/inspections/new")
async def start(request: Request, user: WebUser):
    await run_in_threadpool(_require_starter, request, user)
    form = await request.form()
    values = {name: str(form.get(name, "")).strip() for name in [*PARTY_FIELDS, "title"]}
    party = {name: values[name] for name in PARTY_FIELDS if values[name]}
    try:
        body = schemas.CaseStartIn(process="inspection", party={"kind": "unit", **party}, title=values["title"],
                                   data={"random_inspection": True} if form.get("random_inspection") == "1" else {})
    except ValidationError as exc:
        errors = {str(e["loc"][-1]): "「{}」{}".format(PARTY_FIELDS.get(str(e["loc"][-1]), "事由"),
                                                       "不能为空" if e["type"] in ("missing", "string_too_short") else "不符合要求")
                  for e in exc.errors()}
        return render(request, "start.html", status_code=422, values=values, errors=errors, fields=PARTY_FIELDS,
                      nav="start")
    view = await run_in_threadpool(cases.start_case, request.app.state.runtime, user, body)
    mine = [t for t in view.tasks if user.has_role(t.role) and t.agency_id == user.agency_id]
    return RedirectResponse(f"/tasks/{mine[0].id}" if mine else f"/cases/{view.case.id}", status_code=303)
