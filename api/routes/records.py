from typing import Annotated

from fastapi import APIRouter, Path

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import case_record

router = APIRouter(prefix="/cases/{case_id}/record", tags=["全过程记录"], responses=ERROR_RESPONSES)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=list[schemas.RecordEventOut], summary="案件全过程记录")
def events(case_id: CaseId, user: UserDep, runtime: RuntimeDep):
    return case_record.events(runtime, user, case_id)


@router.post("/verify", response_model=schemas.VerifyOut, summary="校验记录哈希链是否完整")
def verify(case_id: CaseId, user: UserDep, runtime: RuntimeDep):
    return case_record.verify(runtime, user, case_id)
