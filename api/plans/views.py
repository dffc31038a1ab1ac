"""HTTP routes of annual plans (thin: the work is in api.plans.service)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import Field

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.plans import service

router = APIRouter(prefix="/plans", tags=["年度监督检查计划"], responses=ERROR_RESPONSES)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class PlanIn(schemas.Strict):
    year: int = Field(ge=2000, le=2100, title="计划年度")
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, title="随机种子",
                             description="默认由系统随机生成; 复现某次抽取时填写其种子")


class ConflictIn(schemas.Strict):
    target_id: schemas.DbInt = Field(title="执法对象")
    reason: Annotated[schemas.Text, Field(min_length=1, max_length=500, title="回避理由")]


@router.get("", summary="年度监督检查计划(本辖区)")
def list_plans(user: UserDep, runtime: RuntimeDep) -> list[dict[str, Any]]:
    return service.list_plans(runtime.engine, user)


@router.post("", status_code=201, summary="抽取生成本机构年度计划草案并提交审批流程(双随机, 种子和输入全部保存)")
def create_plan(body: PlanIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.create_plan(runtime, user, body.year, body.seed)


@router.get("/{annual_plan_id}", summary="年度计划: 检查对象、月份、抽取的执法人员、随机种子")
def plan_detail(annual_plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.plan_detail(runtime.engine, user, annual_plan_id)


@router.post("/conflicts", status_code=201, summary="执法人员申请对某单位回避(此后的抽取不再抽到本人)")
def declare_conflict(body: ConflictIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return service.declare_conflict(runtime.engine, user, body.target_id, body.reason)
