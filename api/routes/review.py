from typing import Annotated

from fastapi import APIRouter, Path

from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import review_precheck

router = APIRouter(prefix="/cases/{case_id}/precheck", tags=["案卷评查"], responses=ERROR_RESPONSES)
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", summary="案卷评查自动预审: 各自动评查要点的得分、依据、否决项和等次")
def case_precheck(case_id: CaseId, user: UserDep, runtime: RuntimeDep) -> dict:
    return review_precheck.case_precheck(runtime, user, case_id)
