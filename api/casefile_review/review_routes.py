"""The case-file review API: plans, the draw and its replay, scoring forms, findings and rectification, reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlmodel import select

from api import authz
from api.casefile_review import review_findings, review_inbox, review_plans, review_procedure, review_report, review_scoring
from api.casefile_review.models import ReviewPlan
from api.casefile_review.review_workbook import report_xlsx as report_workbook
from api.deps import RuntimeDep, UserDep
from api.downloads import BINARY
from api.error_responses import ERROR_RESPONSES
from engine.db import read_session
from engine.objects import content_disposition

router = APIRouter(tags=["案卷评查"], responses=ERROR_RESPONSES)
PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _view(runtime, user, plan_id: int) -> dict:
    """The plan, and the step of its workflow (bpmn/case_file_review.bpmn) it waits at, with the lane that acts."""
    with read_session(runtime.engine) as session:
        plan = review_plans.get_plan(session, plan_id)
        return review_plans.plan_view(session, user, plan) | {"waiting": review_procedure.waiting_step(runtime, plan)}


@router.post("/review-plans", status_code=201, summary="起草评查方案(县局执法监督人员)")
def create_plan(body: review_plans.PlanDraft, user: UserDep, runtime: RuntimeDep) -> dict:
    plan = review_plans.create_plan(runtime, user, body)
    return _view(runtime, user, plan.id)


@router.get("/review-inbox", summary="本人的评查待办: 待审批的评查方案、退回修改的方案、本单位待整改的问题(逾期标记)")
def review_todo(user: UserDep, runtime: RuntimeDep) -> list[dict]:
    authz.require_case_user(user)
    return review_inbox.review_items(runtime.engine, user)


@router.get("/review-plans", summary="评查方案列表")
def list_plans(user: UserDep, runtime: RuntimeDep) -> list[dict]:
    with read_session(runtime.engine) as session:
        authz.require_case_user(user)
        county = authz.agency_of(session, user)
        agency_id = county.parent_id or county.id
        plans = session.exec(select(ReviewPlan).where(ReviewPlan.agency_id == agency_id).order_by(ReviewPlan.id.desc()))
        return [review_plans.plan_view(session, user, plan) for plan in plans]


@router.get("/review-plans/{plan_id}", summary="评查方案: 抽取规则、随机种子、抽取的案卷和评查人员")
def get_plan(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict:
    return _view(runtime, user, plan_id)


@router.post("/review-plans/{plan_id}/approve", summary="负责人审批评查方案(不批准的退回修改, 须写明意见)")
def approve_plan(plan_id: PlanId, user: UserDep, runtime: RuntimeDep, body: review_plans.Approval | None = None) -> dict:
    review_plans.approve_plan(runtime, user, plan_id, body)
    return _view(runtime, user, plan_id)


@router.put("/review-plans/{plan_id}", summary="修改退回的评查方案并重新报批")
def revise_plan(plan_id: PlanId, body: review_plans.PlanDraft, user: UserDep, runtime: RuntimeDep) -> dict:
    review_plans.revise_plan(runtime, user, plan_id, body)
    return _view(runtime, user, plan_id)


@router.post("/review-plans/{plan_id}/draw", summary="随机抽取案卷并交叉指派评查人员(记录随机种子和抽取依据)")
def draw_plan(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict:
    review_plans.draw_plan(runtime, user, plan_id)
    return _view(runtime, user, plan_id)


@router.get("/review-plans/{plan_id}/redraw", summary="按记录的种子和依据重新抽取, 核对是否一致")
def redraw_plan(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict:
    _view(runtime, user, plan_id)
    return review_plans.redraw(runtime, plan_id)


SampleId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FindingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/review-samples/{sample_id}", summary="评查评分表: 自动预审结果(可修正)、人工评分项、卷宗链接、已保存的评分")
def scoring_form(sample_id: SampleId, user: UserDep, runtime: RuntimeDep) -> dict:
    return review_scoring.scoring_form(runtime, user, sample_id)


@router.put("/review-samples/{sample_id}/score", summary="保存评分: 各项得分和意见、否决项、等次; 扣分和否决项生成整改任务")
def submit_score(sample_id: SampleId, body: review_scoring.ScoreIn, user: UserDep, runtime: RuntimeDep) -> dict:
    return review_scoring.submit_score(runtime, user, sample_id, body)


@router.get("/review-plans/{plan_id}/findings", summary="评查发现的问题、责任人员和整改情况(逾期未整改的标记)")
def plan_findings(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> list[dict]:
    return review_findings.plan_findings(runtime.engine, user, plan_id)


@router.post("/review-findings/{finding_id}/rectification", summary="被评查单位报告整改情况")
def report_rectification(finding_id: FindingId, body: review_findings.RectificationIn, user: UserDep,
                         runtime: RuntimeDep) -> dict:
    return review_findings.report_rectification(runtime.engine, user, finding_id, body)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/review-plans/{plan_id}/report", summary="评查情况通报(数据): 各单位和总体的等次、常见问题、否决项、责任人员")
def report(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict:
    return review_report.load_report(runtime.engine, user, plan_id)


@router.get("/review-plans/{plan_id}/report.docx", summary="下载评查情况通报(.docx)", response_class=Response,
            responses={200: {"content": {DOCX: BINARY}, "description": "评查情况通报"}})
def report_docx(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> Response:
    data = review_report.load_report(runtime.engine, user, plan_id)
    return Response(review_report.report_docx(data), media_type=DOCX,
                    headers={"Content-Disposition": content_disposition(f"{data['title']}.docx")})


@router.get("/review-plans/{plan_id}/report.xlsx", summary="下载评查情况汇总表(.xlsx, 每个单位一个工作表)", response_class=Response,
            responses={200: {"content": {XLSX: BINARY}, "description": "评查情况汇总表"}})
def report_xlsx(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> Response:
    data = review_report.load_report(runtime.engine, user, plan_id)
    return Response(report_workbook(data), media_type=XLSX,
                    headers={"Content-Disposition": content_disposition(f"{data['title']}.xlsx")})


@router.post("/review-plans/{plan_id}/report", summary="通报评查结果(全部案卷评查完毕后)")
def mark_reported(plan_id: PlanId, user: UserDep, runtime: RuntimeDep) -> dict:
    review_report.mark_reported(runtime, user, plan_id)
    return _view(runtime, user, plan_id)
