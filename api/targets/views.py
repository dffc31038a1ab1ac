"""HTTP routes of the target register (thin: the work is in api.targets.service and api.targets.table_io)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.downloads import BINARY
from api.error_responses import ERROR_RESPONSES
from api.services.presenters import step_out
from api.targets import credit_events, service, table_io
from engine.errors import TooLarge

router = APIRouter(prefix="/targets", tags=["执法对象名录"], responses=ERROR_RESPONSES)
TargetId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Format = Annotated[Literal["csv", "xlsx"], Query(description="csv 或 xlsx")]
MAX_IMPORT_BYTES = 5 * 1024 * 1024
Short = Annotated[schemas.Text, Field(max_length=60)]


class ContactIn(schemas.Strict):
    name: Annotated[schemas.Text, Field(min_length=1, max_length=50)]
    role: Short = "contact"
    phone: Short = ""


class TargetIn(schemas.Strict):
    credit_code: Annotated[schemas.Text, Field(max_length=40, title="统一社会信用代码")]
    name: Annotated[schemas.Text, Field(max_length=200, title="单位名称")]
    address: Annotated[schemas.Text, Field(max_length=300, title="地址")] = ""
    township_id: schemas.DbInt = Field(title="所属乡镇(园区)")
    industry: Short = Field(title="行业")
    risk_level: Short = Field(title="风险等级")
    credit_level: Short | None = Field(default=None, title="信用等级")
    standardisation: Short = Field(title="标准化等级")
    assigned_level: Short = Field(title="执法层级(一家企业对应一个层级)")
    key_target: bool = Field(default=False, title="重点检查对象")
    contacts: Annotated[list[ContactIn], Field(max_length=20)] = []


class TargetPatch(schemas.Strict):
    name: Annotated[schemas.Text, Field(max_length=200)] | None = None
    address: Annotated[schemas.Text, Field(max_length=300)] | None = None
    township_id: schemas.DbInt | None = None
    industry: Short | None = None
    risk_level: Short | None = None
    credit_level: Short | None = None
    standardisation: Short | None = None
    assigned_level: Short | None = None
    key_target: bool | None = None
    contacts: Annotated[list[ContactIn], Field(max_length=20)] | None = None


class CreditRepairIn(schemas.Strict):
    publication_id: schemas.DbInt = Field(title="修复的行政处罚信息公示")
    repaired_on: date = Field(title="修复日期")
    basis: Annotated[schemas.Text, Field(min_length=1, max_length=500, title="修复依据和理由")]


class InspectionIn(schemas.Strict):
    title: Annotated[schemas.Text, Field(max_length=300)] = ""


@router.get("", summary="执法对象名录(本辖区)")
def list_targets(user: UserDep, runtime: RuntimeDep, q: Annotated[str | None, Query(max_length=100)] = None,
                 township_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                 key_target: bool | None = None) -> list[dict[str, Any]]:
    return service.list_targets(runtime.engine, user, q=q, township_id=township_id, key_target=key_target)


@router.post("", status_code=201, summary="登记执法对象")
def create_target(body: TargetIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.create_target(runtime.engine, user, body.model_dump(mode="json"))


@router.get("/export", summary="导出执法对象名录(CSV 或 Excel)",
            responses={200: {"content": {"text/csv": {}, table_io.XLSX: {}}, "description": "名录文件"}})
def export_targets(user: UserDep, runtime: RuntimeDep, format: Format = "csv"):
    content = table_io.export_table(runtime.engine, user, format)
    media = table_io.XLSX if format == "xlsx" else "text/csv; charset=utf-8"
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''targets.{format}"})


@router.post("/import", summary="导入执法对象名录(CSV 或 Excel; 有错误的行逐行列出, 全部不导入)",
             openapi_extra={"requestBody": {"content": {"application/octet-stream": BINARY}, "required": True}})
async def import_targets(request: Request, user: UserDep, runtime: RuntimeDep, format: Format = "csv") -> dict[str, int]:
    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_IMPORT_BYTES:
            raise TooLarge(f"导入文件不能超过{MAX_IMPORT_BYTES // 1024 // 1024} MB", details={"limit": MAX_IMPORT_BYTES})
    return table_io.import_table(runtime.engine, user, bytes(content), format)


@router.get("/{target_id}", summary="执法对象一企一档: 名录信息、变更记录、检查、隐患、案件、处罚、信用记录(公示、撤回公示、信用修复)")
def target_file(target_id: TargetId, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return {**service.unit_file(runtime.engine, user, target_id),
            "history": service.history(runtime.engine, user, target_id)}


@router.post("/{target_id}/credit-repairs", status_code=201,
             summary="登记信用修复(该单位已公示的行政处罚信息); 返回该单位的信用记录")
def record_credit_repair(target_id: TargetId, body: CreditRepairIn, user: UserDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    return credit_events.record_repair(runtime.engine, user, target_id, body.publication_id, body.repaired_on, body.basis)


@router.patch("/{target_id}", summary="修改执法对象(每次修改记入变更记录)")
def update_target(target_id: TargetId, body: TargetPatch, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.update_target(runtime.engine, user, target_id, body.model_dump(mode="json", exclude_none=True))


@router.post("/{target_id}/inspections", response_model=schemas.CaseStepOut, status_code=201,
             summary="对名录中的单位发起现场检查(当事人和执法层级取自名录)")
def start_inspection(target_id: TargetId, user: UserDep, runtime: RuntimeDep,
                     body: Annotated[InspectionIn | None, Body()] = None):
    return step_out(service.start_inspection(runtime, user, target_id, body.title if body else ""))
