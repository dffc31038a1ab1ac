"""Web pages of the annual plans (年度监督检查计划): the list with the draw form (/plans) and a plan (/plans/{id}).

The draw, the detail and the list are the API's (api.plans.service). Approval and publication are the steps
of the plan's `annual_plan` process: the plan page lists its open steps, each a link to its task page, and the
cross and special inspections organised under the plan (api.plans.batch_pages).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlmodel import Session, select

from api.plans import batches, service
from api.targets.models import Target
from api.web.case_views import agency_names
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.errors import Conflict, ValidationFailed
from engine.models import Task
from engine.vocab import CaseStatus, TaskStatus

router = page_router()
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DRAWERS = ("township_officer", "county_officer")


def _may_draw(user) -> bool:
    return any(user.has_role(role) for role in DRAWERS) and user.staff_category != "auxiliary"


def _list(request: Request, user, *, values: dict | None = None, message: str | None = None,
          problems: list | None = None, status_code: int = 200):
    engine = request.app.state.runtime.engine
    plans = service.list_plans(engine, user)
    with Session(engine) as session:
        names = agency_names(session)
    return render(request, "plan_list.html", status_code=status_code, plans=plans, may_draw=_may_draw(user),
                  agency_names=names,
                  values=values or {}, message=message, problems=problems or [], nav="plans")


@router.get("/plans")
def plan_list(request: Request, user: WebUser):
    return _list(request, user)


@router.post("/plans")
async def draw_plan(request: Request, user: WebUser):
    form = await request.form(max_files=0, max_fields=10)
    values = {name: str(form.get(name) or "").strip() for name in ("year", "seed")}
    return await run_in_threadpool(_draw, request, user, values)


def _draw(request: Request, user, values: dict):
    year, seed = values["year"], values["seed"]
    if not (year.isdigit() and 2000 <= int(year) <= 2100) or (seed and not (seed.isdigit() and int(seed) < 2**63)):
        return _list(request, user, values=values, status_code=422,
                     message="请填写计划年度(2000至2100年); 随机种子如填写应为非负整数")
    try:
        plan = service.create_plan(request.app.state.runtime, user, int(year), int(seed) if seed else None)
    except (ValidationFailed, Conflict) as exc:
        problems = named_problems(request, exc.details) if isinstance(exc.details, list) else []
        return _list(request, user, values=values, message=exc.message, problems=problems, status_code=_status(exc))
    return RedirectResponse(f"/plans/{plan['id']}", status_code=303)


def named_problems(request: Request, problems: list) -> list[dict]:
    """The draw's problems with the units' names (they name units by id)."""
    ids = {p.get("target_id") for p in problems if isinstance(p, dict)}
    with Session(request.app.state.runtime.engine) as session:
        names = dict(session.exec(select(Target.id, Target.name).where(Target.id.in_(ids))).all()) if ids else {}
    return [{**p, "target_name": names.get(p.get("target_id"), "")} for p in problems if isinstance(p, dict)]


def _status(exc) -> int:
    return 409 if isinstance(exc, Conflict) else 422


@router.get("/plans/{annual_plan_id}")
def plan_page(request: Request, annual_plan_id: PlanId, user: WebUser):
    engine = request.app.state.runtime.engine
    plan = service.plan_detail(engine, user, annual_plan_id)  # refuses plans outside the user's register
    steps = []
    if plan["case_id"]:
        with Session(engine) as session:
            steps = session.exec(select(Task).where(Task.case_id == plan["case_id"], Task.status == TaskStatus.ready)
                                 .order_by(Task.created_at)).all()
    months: dict[int, list] = {}
    for visit in plan["visits"]:
        months.setdefault(visit["month"], []).append(visit)
    status = CaseStatus(plan["status"]).label if plan["status"] in set(CaseStatus) else (plan["status"] or "")
    mine = {t.id for t in steps if user.has_role(t.role) and t.agency_id == user.agency_id}
    with Session(engine) as session:
        may_organise = batches.may_organise(session, user, plan["agency_id"])
    return render(request, "plan.html", plan=plan, months=sorted(months.items()), status_label=status, steps=steps,
                  mine=mine, batches=batches.list_batches(engine, user, plan["id"]), may_organise=may_organise,
                  nav="plans")
