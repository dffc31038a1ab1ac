"""Hazard pages: a grid member's phone form and report list (/grid), the township's hazard ledger (/hazards).

The same services and authorization as /api/v1/hazards. The report form is sent by /static/web/hazard.js
(multipart, with the CSRF header); it answers with the report page's address.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from sqlmodel import select
from starlette.datastructures import UploadFile

from api.hazards import hazard_permissions, ledger, photos, reports
from api.hazards.config import hazard_config
from api.rate_limit import public_rate_limit
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.errors import ValidationFailed
from engine.models import Agency
from engine.objects import get_object_store
from engine.settings import get_settings
from engine.vocab import AgencyKind, CaseStatus

router = page_router()
FIELDS = ("category", "place", "gps_lat", "gps_lon", "description", "unit_name")
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _store(request: Request):
    state = request.app.state
    if getattr(state, "object_store", None) is None:
        state.object_store = get_object_store(get_settings())
    return state.object_store


def _require_grid_member(runtime, user) -> None:
    with read_session(runtime.engine) as session:
        hazard_permissions.require_grid_member(session, user)


@router.get("/grid")
def grid_home(request: Request, user: WebUser):
    runtime = request.app.state.runtime
    mine = reports.my_reports(runtime, user)  # refuses anyone but a grid member
    return render(request, "grid_home.html", reports=mine, categories=hazard_config().labels, nav="grid")


@router.post("/grid/reports")
async def grid_file(request: Request, user: WebUser):
    runtime = request.app.state.runtime
    await run_in_threadpool(_require_grid_member, runtime, user)
    form = await request.form(max_files=photos.MAX_PHOTOS, max_fields=20)
    values = {name: form.get(name) for name in FIELDS if isinstance(form.get(name), str) and form.get(name).strip()}
    try:
        body = reports.HazardIn(**values)
    except ValidationError as exc:
        fields = [str(error["loc"][0]) for error in exc.errors() if error.get("loc")]
        raise ValidationFailed("请填写隐患类别、地点和情况说明(定位应为有效的经纬度)", code="invalid_hazard_report",
                               details={"fields": fields}) from None
    uploads = [item for item in form.getlist("photos") if isinstance(item, UploadFile) and item.filename]
    for photo in uploads:
        if (photo.content_type or "") not in photos.PHOTO_TYPES:
            raise ValidationFailed("只能上传照片(JPEG、PNG、WebP 或 HEIC)", code="hazard_photo_type")
    filed = await run_in_threadpool(reports.file_grid_report, runtime, user, body)
    for photo in uploads:  # the database and the object store are called off the event loop
        await run_in_threadpool(photos.add_grid_photo, runtime, _store(request), user, filed.id, photo.filename,
                                photo.content_type, photo.file)
    return JSONResponse({"url": f"/grid/reports/{filed.id}"}, status_code=201)


@router.get("/grid/reports/{report_id}")
def grid_report(request: Request, user: WebUser, report_id: DbId):
    report = reports.my_report(request.app.state.runtime, user, report_id)
    return render(request, "grid_report.html", report=report, nav="grid")


def _filters(category, status, q, page) -> ledger.LedgerFilters:
    return ledger.LedgerFilters(category=category or None, status=status or None, q=q or None, page=page)


@router.get("/hazards")
def hazard_ledger(request: Request, user: WebUser, category: Annotated[str | None, Query(max_length=40)] = None,
                  status: Annotated[str | None, Query(max_length=40)] = None,
                  q: Annotated[str | None, Query(max_length=100)] = None, page: Annotated[int, Query(ge=1, le=100000)] = 1,
                  target_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None):
    filters = _filters(category, status, q, page).model_copy(update={"target_id": target_id})
    result = ledger.ledger_page(request.app.state.runtime.engine, user, filters)
    pages = max((result.total + filters.page_size - 1) // filters.page_size, 1)
    statuses = [("open", "未办结"), *((s.value, s.label) for s in CaseStatus if s.value.startswith("hazard_"))]
    return render(request, "hazard_ledger.html", result=result, pages=pages, filters=filters,
                  categories=hazard_config().labels, statuses=statuses, nav="hazards")


@router.get("/hazards/export")
def hazard_export(request: Request, user: WebUser, category: Annotated[str | None, Query(max_length=40)] = None,
                  status: Annotated[str | None, Query(max_length=40)] = None,
                  q: Annotated[str | None, Query(max_length=100)] = None,
                  format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv"):
    content, media_type, filename = ledger.export(request.app.state.runtime.engine, user,
                                                  _filters(category, status, q, 1), format)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})


# ---- citizens (举报), no login -----------------------------------------------------------
CITIZEN_FIELDS = (*FIELDS, "agency_code", "reporter_name", "reporter_phone")


def _townships(runtime) -> dict[str, str]:
    with read_session(runtime.engine) as session:
        rows = session.exec(select(Agency).where(Agency.kind != AgencyKind.county_bureau).order_by(Agency.id))
        return {agency.code: agency.name for agency in rows}


def _citizen_form(request: Request, *, status_code: int = 200, values: dict | None = None, problem: str | None = None):
    return render(request, "hazard_citizen.html", status_code=status_code, townships=_townships(request.app.state.runtime),
                  categories=hazard_config().labels, values=values or {}, problem=problem, receipt=None)


@router.get("/public/hazard-report", dependencies=[Depends(public_rate_limit)])
def citizen_form(request: Request):
    return _citizen_form(request)


@router.post("/public/hazard-report", dependencies=[Depends(public_rate_limit)])
async def citizen_file(request: Request):
    form = await request.form(max_files=0, max_fields=20)
    values = {name: str(form.get(name) or "").strip() for name in CITIZEN_FIELDS}
    try:
        body = reports.CitizenHazardIn(**{k: v for k, v in values.items() if v})
        receipt = await run_in_threadpool(reports.file_citizen_report, request.app.state.runtime, body)
    except ValidationError:
        return _citizen_form(request, status_code=422, values=values,
                             problem="请选择乡镇、隐患类别, 填写地点、情况说明和您的姓名、电话")
    except ValidationFailed as exc:
        return _citizen_form(request, status_code=422, values=values, problem=exc.message)
    return render(request, "hazard_citizen.html", receipt=receipt, townships={}, categories={}, values={}, problem=None)


@router.get("/public/hazard-report/status", dependencies=[Depends(public_rate_limit)])
def citizen_status(request: Request, code: Annotated[str, Query(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]):
    found = reports.citizen_status(request.app.state.runtime, code)
    return render(request, "hazard_citizen_status.html", found=found)
