"""案卷评查 pages: the plans and the files assigned to me, a plan with its sample and report downloads, and the
scoring form (the pre-check with its evidence beside the manual items; the dossier opens beside it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from api import authz
from api.casefile_review import review_plans, review_procedure, review_report, review_scoring
from api.casefile_review.models import ReviewPlan, ReviewSample, ReviewScore
from api.casefile_review.review_findings import plan_findings
from api.casefile_review.review_routes import DOCX, XLSX
from api.casefile_review.review_workbook import report_xlsx
from api.web import case_views
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.errors import Forbidden, ValidationFailed
from engine.models import Agency, Case
from engine.objects import content_disposition

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/reviews")
def reviews(request: Request, user: WebUser):
    authz.require_case_user(user)
    engine = request.app.state.runtime.engine
    with read_session(engine) as session:
        mine = session.exec(select(ReviewSample, Case, ReviewScore, ReviewPlan)
                            .join(Case, Case.id == ReviewSample.case_id).join(ReviewPlan, ReviewPlan.id == ReviewSample.plan_id)
                            .join(ReviewScore, ReviewScore.sample_id == ReviewSample.id, isouter=True)
                            .where(ReviewSample.reviewer_id == user.id).order_by(ReviewSample.id.desc())).all()
        agency = case_views.agency_names(session)
        own = session.get(Agency, user.agency_id)
        owner = own.parent_id or own.id
        plans = []
        for plan in session.exec(select(ReviewPlan).where(ReviewPlan.agency_id == owner).order_by(ReviewPlan.id.desc())):
            try:
                plans.append(review_plans.plan_view(session, user, plan))
            except Forbidden:  # a plan the user may not read is not listed
                continue
    return render(request, "review_list.html", mine=mine, plans=plans, agency=agency, nav="reviews")


@router.get("/reviews/{plan_id}")
def plan_page(request: Request, plan_id: DbId, user: WebUser):
    engine = request.app.state.runtime.engine
    with read_session(engine) as session:
        plan = review_plans.plan_view(session, user, review_plans.get_plan(session, plan_id))
        scored = {s.sample_id: s for s in session.exec(select(ReviewScore).join(
            ReviewSample, ReviewSample.id == ReviewScore.sample_id).where(ReviewSample.plan_id == plan_id))}
        waiting = review_procedure.waiting_step(request.app.state.runtime, review_plans.get_plan(session, plan_id))
    findings = plan_findings(engine, user, plan_id)
    return render(request, "review_plan.html", plan=plan, scored=scored, findings=findings, waiting=waiting,
                  nav="reviews")


@router.get("/reviews/{plan_id}/report.docx")
def report_docx(request: Request, plan_id: DbId, user: WebUser):
    data = review_report.load_report(request.app.state.runtime.engine, user, plan_id)
    return Response(review_report.report_docx(data), media_type=DOCX,
                    headers={"Content-Disposition": content_disposition(f"{data['title']}.docx")})


@router.get("/reviews/{plan_id}/report.xlsx")
def report_workbook(request: Request, plan_id: DbId, user: WebUser):
    data = review_report.load_report(request.app.state.runtime.engine, user, plan_id)
    return Response(report_xlsx(data), media_type=XLSX,
                    headers={"Content-Disposition": content_disposition(f"{data['title']}.xlsx")})


def _form_page(request: Request, user, sample_id: int, *, message: str | None = None, problems=None,
               values: dict | None = None, status_code: int = 200):
    form = review_scoring.scoring_form(request.app.state.runtime, user, sample_id)
    saved = {row["code"]: row for row in (form["score"] or {}).get("items", [])}
    return render(request, "review_score.html", status_code=status_code, form=form, saved=saved, values=values or {},
                  message=message, problems=problems or [], nav="reviews")


@router.get("/review-samples/{sample_id}")
def scoring_page(request: Request, sample_id: DbId, user: WebUser):
    return _form_page(request, user, sample_id)


def _read(form: FormData, codes: list[str]) -> tuple[review_scoring.ScoreIn, dict]:
    items, values = [], {}
    for code in codes:
        raw = (form.get(f"score__{code}") or "").strip()
        values[code] = {"score": raw, "reason": form.get(f"reason__{code}") or "", "comment": form.get(f"comment__{code}") or "",
                        "veto": form.get(f"veto__{code}") == "on",
                        "officers": [int(v) for v in form.getlist(f"officers__{code}") if str(v).isdigit()]}
        try:
            score = float(raw) if raw else None
        except ValueError:
            raise ValidationFailed(f"评查要点 {code} 的得分不是数字", code="review_score_invalid",
                                   details=[{"code": code, "problem": "得分不是数字"}]) from None
        items.append(review_scoring.ItemScoreIn(code=code, score=score, override_reason=values[code]["reason"][:1000],
                                                comment=values[code]["comment"][:2000], veto=values[code]["veto"],
                                                officer_ids=values[code]["officers"][:20]))
    return review_scoring.ScoreIn(items=items), values


@router.post("/review-samples/{sample_id}")
async def submit(request: Request, sample_id: DbId, user: WebUser):
    form = await request.form()
    return await run_in_threadpool(_submit, request, user, sample_id, form)


def _submit(request: Request, user, sample_id: int, form: FormData):
    runtime = request.app.state.runtime
    codes = [row["code"] for row in review_scoring.scoring_form(runtime, user, sample_id)["precheck"]["items"]]
    values = None
    try:
        body, values = _read(form, codes)
        review_scoring.submit_score(runtime, user, sample_id, body)
    except ValidationFailed as exc:
        problems = exc.details if isinstance(exc.details, list) else []
        return _form_page(request, user, sample_id, message=exc.message, problems=problems, values=values, status_code=422)
    return RedirectResponse(f"/review-samples/{sample_id}?saved=1", status_code=303)
