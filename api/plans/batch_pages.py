"""Web pages of the cross and special inspections the county organises from its annual plan (交叉检查 / 专项检查):
the form that draws a batch (/plans/{id}/batches/new), the batch with each drawn unit, its officer pair and its
inspection (/plans/batches/{id}), and starting again what an interrupted batch left unstarted.

The draw, the start and the detail are the API's (api.plans.batches), which also refuses whoever may not.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlmodel import Session, select

from api.plans import batches, service
from api.plans.batch_draw import KINDS
from api.plans.plan_pages import named_problems
from api.targets.vocabulary import INDUSTRIES, RISK_LEVELS
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.errors import ValidationFailed
from engine.models import Agency

router = page_router()
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
BatchId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _form_page(request: Request, user, plan_id: int, *, values: dict | None = None, message: str | None = None,
               problems: list | None = None, status_code: int = 200):
    engine = request.app.state.runtime.engine
    plan = service.plan_detail(engine, user, plan_id)  # refuses plans outside the user's register
    with Session(engine) as session:
        county = batches.organiser_county(session, user, plan["agency_id"])
        townships = session.exec(select(Agency.id, Agency.name).where(Agency.parent_id == county.id)
                                 .order_by(Agency.id)).all()
    return render(request, "batch_new.html", status_code=status_code, plan=plan, kinds=KINDS, industries=INDUSTRIES,
                  risk_levels=RISK_LEVELS, townships=townships, values=values or {"kind": "special"},
                  message=message, problems=problems or [], nav="plans")


@router.get("/plans/{annual_plan_id}/batches/new")
def new_batch(request: Request, annual_plan_id: PlanId, user: WebUser):
    return _form_page(request, user, annual_plan_id)


@router.post("/plans/{annual_plan_id}/batches")
async def create_batch(request: Request, annual_plan_id: PlanId, user: WebUser):
    form = await request.form(max_files=0, max_fields=120)
    values = {name: str(form.get(name) or "").strip() for name in ("kind", "title", "valid_through", "seed")}
    for name in ("industries", "risk_levels", "township_ids"):
        values[name] = [str(v) for v in form.getlist(name)][:50]
    return await run_in_threadpool(_create, request, user, annual_plan_id, values)


def _parsed(values: dict) -> dict | None:
    """The form as the service takes it, or None when a field is out of its range."""
    seed, through = values["seed"], values["valid_through"]
    if values["kind"] not in KINDS or not 1 <= len(values["title"]) <= 200 or \
            (seed and not (seed.isdigit() and int(seed) < 2**63)):
        return None
    try:
        valid_through = date.fromisoformat(through) if through else None
    except ValueError:
        return None
    filters = {"industries": [v for v in values["industries"] if v in INDUSTRIES],
               "risk_levels": [v for v in values["risk_levels"] if v in RISK_LEVELS],
               "township_ids": [int(v) for v in values["township_ids"] if v.isdigit() and int(v) < 2**31]}
    return {"kind": values["kind"], "title": values["title"], "filters": filters, "valid_through": valid_through,
            "seed": int(seed) if seed else None}


def _create(request: Request, user, plan_id: int, values: dict):
    parsed = _parsed(values)
    if parsed is None:
        return _form_page(request, user, plan_id, values=values, status_code=422,
                          message="请选择检查方式、填写检查名称(200字以内); 检查截止日期应为日期, 随机种子如填写应为非负整数")
    try:
        batch = batches.start_batch(request.app.state.runtime, user, plan_id=plan_id, **parsed)
    except ValidationFailed as exc:
        problems = named_problems(request, exc.details) if isinstance(exc.details, list) else []
        return _form_page(request, user, plan_id, values=values, message=exc.message, problems=problems,
                          status_code=422)
    return RedirectResponse(f"/plans/batches/{batch['id']}", status_code=303)


@router.get("/plans/batches/{batch_id}")
def batch_page(request: Request, batch_id: BatchId, user: WebUser):
    engine = request.app.state.runtime.engine
    batch = batches.batch_detail(engine, user, batch_id)  # refuses batches outside the user's register
    filters = batch["filters"]
    with Session(engine) as session:
        may_start = batches.may_organise(session, user, batch["agency_id"])
        townships = session.exec(select(Agency.name).where(Agency.id.in_(filters.get("township_ids") or []))
                                 .order_by(Agency.id)).all()
    shown = {"行业": [INDUSTRIES.get(v, v) for v in filters.get("industries") or []],
             "风险等级": [RISK_LEVELS.get(v, v) for v in filters.get("risk_levels") or []], "乡镇(园区)": townships}
    missing = [i for i in batch["inspections"] if not i["case_id"]]
    return render(request, "batch.html", batch=batch, filters=shown, missing=missing, may_start=may_start, nav="plans")


@router.post("/plans/batches/{batch_id}/start")
def resume_batch(request: Request, batch_id: BatchId, user: WebUser):
    batches.start_inspections(request.app.state.runtime, user, batch_id)
    return RedirectResponse(f"/plans/batches/{batch_id}", status_code=303)
