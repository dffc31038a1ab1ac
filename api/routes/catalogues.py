from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import form_choices

router = APIRouter(tags=["表单选项"], responses=ERROR_RESPONSES)
SearchText = Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00]*$")]


@router.get("/processes", response_model=list[schemas.ProcessOut], summary="本人可以发起的流程, 及其开始表单")
def processes(user: UserDep, runtime: RuntimeDep):
    return form_choices.startable_processes(runtime, user)


@router.get("/officers", response_model=list[schemas.OfficerOut],
            summary="可在表单「执法人员」中选择的执法人员: 本单位的, 或某案承办单位的及县局指派参与该案的")
def officers(user: UserDep, runtime: RuntimeDep,
             case_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="案件; 不填为本人所在单位")] = None):
    return form_choices.officers(runtime.engine, user, case_id)


@router.get("/violations", response_model=list[schemas.ViolationOut], summary="违法行为清单, 可按代码、关键词、条款查找")
def violations(user: UserDep, code: Annotated[SearchText, Query(description="代码开头, 如 SPL-099")] = None,
               q: Annotated[SearchText, Query(description="关键词: 名称、条款或说明中包含")] = None,
               article: Annotated[SearchText, Query(description="条款: 99、九十九 或 第九十九条")] = None):
    return form_choices.violations(form_choices.ViolationQuery(code=code, keyword=q, article=article))


@router.get("/violations/{code}", response_model=schemas.ViolationOut, summary="违法行为清单中的一项")
def violation(user: UserDep, code: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$")]):
    return form_choices.violation(code)


@router.get("/evidence-types", response_model=list[schemas.EvidenceTypeOut], summary="证据种类(行政处罚法第四十六条)")
def evidence_types(user: UserDep):
    return form_choices.evidence_types()
