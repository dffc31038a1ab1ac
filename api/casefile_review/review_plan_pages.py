"""案卷评查 page actions: a supervisor drafts a plan, the head approves or returns it, the supervisor draws and
reports; the reviewed unit reports each rectification. Each posts a form and returns to the plan page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api import authz
from api.casefile_review import review_findings, review_permissions, review_plans, review_report
from api.casefile_review.review_draw import ALWAYS_INCLUDE
from api.web import case_views
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.errors import Forbidden, Unauthenticated, ValidationFailed, ZhifaError

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _plan_page(plan_id: int) -> RedirectResponse:
    return RedirectResponse(f"/reviews/{plan_id}", status_code=303)


def _new_page(request: Request, user, *, values: dict | None = None, message: str | None = None, status_code: int = 200):
    engine = request.app.state.runtime.engine
    with read_session(engine) as session:
        county = review_permissions.review_organiser_agency(session, user)
        names = case_views.agency_names(session)
        units = [(i, names.get(i, "")) for i in authz.jurisdiction_ids(session, county)]
    return render(request, "review_new.html", status_code=status_code, units=units, always=ALWAYS_INCLUDE,
                  values=values or {}, message=message, nav="reviews")


@router.get("/reviews/new")
def new_plan(request: Request, user: WebUser):
    return _new_page(request, user)


def _draft(form: FormData) -> review_plans.PlanDraft:
    try:
        return review_plans.PlanDraft(
            title=form.get("title") or "", period_from=form.get("period_from") or None,
            period_to=form.get("period_to") or None,
            unit_ids=[int(v) for v in form.getlist("unit_ids") if str(v).isdigit()],
            share_percent=form.get("share_percent") or 10, minimum_per_unit=form.get("minimum_per_unit") or 0,
            always_include=[v for v in form.getlist("always_include") if v in ALWAYS_INCLUDE],
            township_reviewers=form.get("township_reviewers") == "on",
            rectification_days=form.get("rectification_days") or 30)
    except ValidationError as exc:
        fields = "、".join(str(e["loc"][0]) for e in exc.errors())
        raise ValidationFailed(f"评查方案填写不完整或有误: {fields}", code="review_plan_invalid") from None


@router.post("/reviews/new")
async def create_plan(request: Request, user: WebUser):
    form = await request.form()
    return await run_in_threadpool(_create, request, user, form)


def _create(request: Request, user, form: FormData):
    try:
        plan = review_plans.create_plan(request.app.state.runtime, user, _draft(form))
    except ValidationFailed as exc:
        return _new_page(request, user, values=dict(form), message=exc.message, status_code=422)
    return _plan_page(plan.id)


def _act(request: Request, plan_id: int, action) -> RedirectResponse:
    try:
        action()
    except ZhifaError as exc:
        if isinstance(exc, (Forbidden, Unauthenticated)):
            raise
        return render(request, "error.html", status_code=422 if isinstance(exc, ValidationFailed) else 409,
                      status=422, code=exc.code, message=exc.message)
    return _plan_page(plan_id)


@router.post("/reviews/{plan_id}/approve")
async def approve(request: Request, plan_id: DbId, user: WebUser):
    form = await request.form()
    approval = review_plans.Approval(plan_approved=form.get("decision") != "return",
                                     head_opinion=(form.get("head_opinion") or "")[:500])
    return await run_in_threadpool(
        _act, request, plan_id, lambda: review_plans.approve_plan(request.app.state.runtime, user, plan_id, approval))


@router.post("/reviews/{plan_id}/draw")
async def draw(request: Request, plan_id: DbId, user: WebUser):
    return await run_in_threadpool(
        _act, request, plan_id, lambda: review_plans.draw_plan(request.app.state.runtime, user, plan_id))


@router.post("/reviews/{plan_id}/report")
async def report(request: Request, plan_id: DbId, user: WebUser):
    return await run_in_threadpool(
        _act, request, plan_id, lambda: review_report.mark_reported(request.app.state.runtime, user, plan_id))


@router.post("/review-findings/{finding_id}/rectification")
async def rectify(request: Request, finding_id: DbId, user: WebUser):
    form = await request.form()
    text = (form.get("rectification") or "").strip()[:4000]
    engine = request.app.state.runtime.engine
    plan_id, unit_id = await run_in_threadpool(review_findings.plan_of_finding, engine, finding_id)

    def report_it():
        review_permissions.require_rectifier(user, unit_id)
        if not text:
            raise ValidationFailed("请填写整改情况", code="rectification_required")
        review_findings.report_rectification(engine, user, finding_id, review_findings.RectificationIn(rectification=text))

    return await run_in_threadpool(_act, request, plan_id, report_it)
