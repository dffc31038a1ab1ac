"""HTTP routes of annual plans (thin: the work is in api.plans.service)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.plans import batches, drawn_swap, service

router = APIRouter(prefix="/plans", tags=["年度监督检查计划"], responses=ERROR_RESPONSES)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class PlanIn(schemas.Strict):
    year: int = Field(ge=2000, le=2100, title="计划年度")
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, title="随机种子",
                             description="默认由系统随机生成; 复现某次抽取时填写其种子")


class ConflictIn(schemas.Strict):
    target_id: schemas.DbInt = Field(title="执法对象")
    reason: Annotated[schemas.Text, Field(min_length=1, max_length=500, title="回避理由")]


class BatchFilters(schemas.Strict):
    industries: Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=20, title="行业")] = []
    risk_levels: Annotated[list[Annotated[str, Field(max_length=20)]], Field(max_length=10, title="风险等级")] = []
    township_ids: Annotated[list[schemas.DbInt], Field(max_length=50, title="乡镇(园区)")] = []


class ReplacementIn(schemas.Strict):
    replaced_id: schemas.DbInt = Field(title="被更换的执法人员")
    reason: Annotated[schemas.Text, Field(min_length=1, max_length=500, title="更换理由",
                                          description="如因病、调离、回避")]
    replacement_id: schemas.DbInt | None = Field(default=None, title="指定的执法人员",
                                                 description="不填则从符合条件的执法人员中随机抽取")
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, title="随机种子")


class BatchIn(schemas.Strict):
    kind: Literal["cross", "special"] = Field(title="检查方式", description="cross 交叉检查; special 专项检查")
    title: Annotated[schemas.Text, Field(min_length=1, max_length=200, title="检查名称")]
    filters: BatchFilters = BatchFilters()
    valid_through: date | None = Field(default=None, title="检查截止日期",
                                       description="抽取的执法人员执法证须有效至此日; 默认今天")
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1, title="随机种子")
    plan_id: schemas.DbInt | None = Field(default=None, title="年度计划", description="落实的本局年度监督检查计划")


@router.post("/batches", status_code=201,
             summary="县局组织交叉检查或专项检查: 按条件筛选执法对象, 抽取执法人员, 逐家发起检查(种子和输入全部保存)")
def start_batch(body: BatchIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return batches.start_batch(runtime, user, body.kind, body.title, body.filters.model_dump(), body.valid_through,
                               body.seed, body.plan_id)


@router.get("/batches", summary="交叉检查、专项检查批次(本辖区; 可按年度计划筛选)")
def list_batches(user: UserDep, runtime: RuntimeDep,
                 plan_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> list[dict[str, Any]]:
    return batches.list_batches(runtime.engine, user, plan_id)


@router.post("/batches/{batch_id}/start",
             summary="继续发起批次中尚未发起的检查(中断后重新执行; 已发起的不会重复发起)")
def resume_batch(batch_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return batches.start_inspections(runtime, user, batch_id)


@router.get("/batches/{batch_id}", summary="交叉检查、专项检查批次: 检查对象、承办机构、抽取的执法人员、随机种子")
def batch_detail(batch_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return batches.batch_detail(runtime.engine, user, batch_id)


@router.post("/drawn-inspections/{case_id}/replacements", status_code=201,
             summary="更换双随机检查中抽取的执法人员(重新随机抽取或说明理由指定; 理由、种子、候选人员记入全过程记录)")
def replace_drawn(case_id: PlanId, body: ReplacementIn, user: UserDep, runtime: RuntimeDep) -> dict[str, Any]:
    return drawn_swap.replace_drawn(runtime.engine, user, case_id, body.replaced_id, body.reason,
                                    body.replacement_id, body.seed)


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
