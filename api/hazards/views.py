"""Hazard report routes (thin over api.hazards.reports and api.hazards.ledger)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, UploadFile
from fastapi.responses import Response

from api.deps import RuntimeDep, StoreDep, UserDep
from api.downloads import BINARY, STORAGE_DOWN, download_response
from api.error_responses import ERROR_RESPONSES
from api.hazards import hazard_permissions, ledger, photos, reports
from api.hazards.config import hazard_config
from api.identity.models import User
from api.rate_limit import public_rate_limit
from engine.db import read_session

router = APIRouter(tags=["隐患报告"], responses=ERROR_RESPONSES)
public_router = APIRouter(tags=["隐患举报(公众)"], responses=ERROR_RESPONSES, dependencies=[Depends(public_rate_limit)])
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def grid_member(user: UserDep, runtime: RuntimeDep) -> User:
    """Refuses anyone but a grid member before the request body is read."""
    with read_session(runtime.engine) as session:
        hazard_permissions.require_grid_member(session, user)
    return user


GridMemberDep = Annotated[User, Depends(grid_member)]
Sha256 = Annotated[str | None, Form(pattern="^[0-9a-fA-F]{64}$", description="照片的 SHA-256(可选, 用于核对)")]
Receipt = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/hazards/categories", summary="隐患类别及默认召集的部门")
def categories() -> list[dict]:
    config = hazard_config()
    return [{"code": code, "label": label, "departments": config.departments[code]} for code, label in config.labels.items()]


@router.post("/hazards", response_model=reports.HazardOut, status_code=201, summary="网格员报告隐患")
def file_report(body: reports.HazardIn, user: GridMemberDep, runtime: RuntimeDep):
    return reports.file_grid_report(runtime, user, body)


@router.post("/hazards/{report_id}/photos", status_code=204, summary="网格员上传隐患照片")
def add_photo(report_id: DbId, photo: UploadFile, user: GridMemberDep, runtime: RuntimeDep, store: StoreDep,
              sha256: Sha256 = None):
    photos.add_grid_photo(runtime, store, user, report_id, photo.filename or "", photo.content_type or "", photo.file,
                          sha256)
    return Response(status_code=204)


@router.get("/hazards/{report_id}/photos", response_model=list[photos.PhotoOut], summary="隐患报告的照片")
def list_photos(report_id: DbId, user: UserDep, runtime: RuntimeDep):
    return photos.list_photos(runtime, user, report_id)


@router.get("/hazards/{report_id}/photos/{photo_id}", response_class=Response, summary="下载隐患照片(从对象存储流式读取)",
            responses={200: {"content": {"image/*": BINARY}, "description": "照片"}, **STORAGE_DOWN})
def photo(report_id: DbId, photo_id: DbId, user: UserDep, runtime: RuntimeDep, store: StoreDep):
    return download_response(photos.open_photo(runtime, store, user, report_id, photo_id))


@router.get("/hazards/mine", response_model=list[reports.HazardOut], summary="我报告的隐患及办理状态(网格员)")
def mine(user: GridMemberDep, runtime: RuntimeDep):
    return reports.my_reports(runtime, user)


@router.get("/hazards/mine/{report_id}", response_model=reports.HazardOut, summary="我报告的一条隐患(网格员)")
def my_one(report_id: DbId, user: GridMemberDep, runtime: RuntimeDep):
    return reports.my_report(runtime, user, report_id)


@router.get("/hazards", response_model=ledger.LedgerPage, summary="重点隐患台账")
def ledger_page(user: UserDep, runtime: RuntimeDep, filters: Annotated[ledger.LedgerFilters, Query()]):
    return ledger.ledger_page(runtime.engine, user, filters)


@router.get("/hazards/export", response_class=Response, summary="导出重点隐患台账(CSV 或 xlsx)",
            responses={200: {"content": {"text/csv": {}, ledger.XLSX: {}}, "description": "台账文件"}})
def export(user: UserDep, runtime: RuntimeDep, filters: Annotated[ledger.LedgerFilters, Query()],
           format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv"):
    content, media_type, filename = ledger.export(runtime.engine, user, filters, format)
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})


@router.get("/hazards/{report_id}", response_model=reports.HazardOut, summary="隐患报告详情(办理人员)")
def one(report_id: DbId, user: UserDep, runtime: RuntimeDep):
    return reports.officer_report(runtime, user, report_id)


@router.get("/hazards/{report_id}/reporter", response_model=reports.ReporterOut,
            summary="群众举报人的姓名和电话(保密; 仅受理乡镇的执法人员, 每次查看记入全过程记录)")
def reporter(report_id: DbId, user: UserDep, runtime: RuntimeDep):
    return reports.reporter_identity(runtime, user, report_id)


@public_router.post("/public/hazard-reports", response_model=reports.ReceiptOut, status_code=201,
                    summary="群众举报隐患(举报人身份保密)")
def citizen_report(body: reports.CitizenHazardIn, runtime: RuntimeDep):
    return reports.file_citizen_report(runtime, body)


@public_router.post("/public/hazard-reports/{receipt}/photos", status_code=204, summary="举报人上传隐患照片")
def citizen_photo(receipt: Receipt, photo: UploadFile, runtime: RuntimeDep, store: StoreDep, sha256: Sha256 = None):
    photos.add_citizen_photo(runtime, store, receipt, photo.filename or "", photo.content_type or "", photo.file, sha256)
    return Response(status_code=204)


@public_router.get("/public/hazard-reports/{receipt}", response_model=reports.CitizenStatusOut,
                   summary="凭查询码查询举报办理状态")
def citizen_status(receipt: Receipt, runtime: RuntimeDep):
    return reports.citizen_status(runtime, receipt)
