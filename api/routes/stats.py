from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import enforcement_statistics

router = APIRouter(prefix="/statistics", tags=["执法统计"], responses=ERROR_RESPONSES)
EARLIEST, LATEST = date(1949, 10, 1), date(2999, 12, 31)  # a period outside these is a typing error


@router.get("", summary="执法统计: 按状态、程序、单位的案件数, 超期任务和案件, 罚款与加处罚款, 截至今日的欠缴罚款和应加处罚款(按单位), 移送及结果, 复议诉讼及结果, 听证与法制审核, 评查等次, 执法人员工作量与效能")
def statistics(
    user: UserDep, runtime: RuntimeDep,
    start: Annotated[date | None, Query(alias="from", ge=EARLIEST, le=LATEST, description="统计期间起(含)")] = None,
    end: Annotated[date | None, Query(alias="to", ge=EARLIEST, le=LATEST, description="统计期间止(含)")] = None,
    agency_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="单位; 不填为本人辖区全部单位")] = None,
) -> dict:
    return enforcement_statistics.statistics(runtime.engine, user, start, end, agency_id)
