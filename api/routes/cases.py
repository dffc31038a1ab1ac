from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import schemas
from api.deps import IdempotencyDep, RuntimeDep, SettingsDep, StoreDep, UserDep
from api.downloads import BINARY, STORAGE_DOWN, download_response
from api.error_responses import ERROR_RESPONSES
from api.idempotency.replay import fingerprint
from api.services import case_handling, case_remedies, dossier_files
from api.services.presenters import step_out
from engine.vocab import CaseStatus

router = APIRouter(prefix="/cases", tags=["案件"], responses=ERROR_RESPONSES)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("", response_model=schemas.CaseStepOut, status_code=201, summary="发起检查, 或由报告发起案件")
def start_case(body: schemas.CaseStartIn, user: UserDep, runtime: RuntimeDep, once: IdempotencyDep):
    return once.run(lambda alongside: step_out(case_handling.start_case(runtime, user, body, alongside=alongside)),
                    asked=fingerprint(body), answer=step_out, status_code=201)


@router.get("", response_model=schemas.CasePage, summary="案件列表(仅本人有权查看的案件)")
def list_cases(
    user: UserDep, runtime: RuntimeDep,
    status: Annotated[CaseStatus | None, Query(description="案件状态")] = None,
    agency_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    overdue: Annotated[bool | None, Query(description="有超期未办的任务")] = None,
    started_from: Annotated[date | None, Query(description="发起日期起")] = None,
    started_to: Annotated[date | None, Query(description="发起日期止")] = None,
    party: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$", description="当事人名称包含")] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    filters = case_handling.CaseFilters(status=status, agency_id=agency_id, overdue=overdue, started_from=started_from,
                                started_to=started_to, party=party, page=page, page_size=page_size)
    return case_handling.list_cases(runtime.engine, user, filters)


@router.get("/{case_id}", response_model=schemas.CaseDetail, summary="案件详情: 状态、当前任务、全过程记录、关联案件")
def case_detail(case_id: CaseId, user: UserDep, runtime: RuntimeDep):
    return case_handling.case_detail(runtime, user, case_id)


@router.post("/{case_id}/members", response_model=schemas.MemberOut, status_code=201,
             summary="县局指派执法人员参与本案")
def add_member(case_id: CaseId, body: schemas.MemberIn, user: UserDep, runtime: RuntimeDep):
    return case_handling.add_officer(runtime.engine, user, case_id, body.user_id)


@router.post("/{case_id}/reviewers", response_model=schemas.MemberOut, status_code=201,
             summary="指定执法监督人员评查本案卷")
def assign_reviewer(case_id: CaseId, body: schemas.MemberIn, user: UserDep, runtime: RuntimeDep):
    return case_handling.assign_reviewer(runtime.engine, user, case_id, body.user_id)


@router.get("/{case_id}/dossier", summary="案件卷宗: 归档PDF, 或含文书原件(.docx)与哈希清单的压缩包(每次下载记入全过程记录)",
            responses={200: {"content": {media: BINARY for media in dossier_files.CONTENT_TYPES.values()},
                             "description": "卷宗文件"}, **STORAGE_DOWN})
def dossier(case_id: CaseId, user: UserDep, runtime: RuntimeDep, settings: SettingsDep, store: StoreDep,
            format: Annotated[dossier_files.Format, Query(description="pdf: 卷宗PDF; zip: 文书原件、证据清单和哈希清单")] = "pdf"):
    return download_response(dossier_files.dossier_file(runtime.engine, store, settings, user, case_id, format))


@router.post("/{case_id}/remedies", response_model=schemas.CaseStepOut, status_code=201,
             summary="登记当事人申请行政复议或者提起行政诉讼(决定书送达后随时登记, 结果在其后的任务中登记)")
def record_remedy(case_id: CaseId, body: schemas.CompleteIn, user: UserDep, runtime: RuntimeDep):
    return step_out(case_remedies.record_remedy(runtime, user, case_id, body.data))
