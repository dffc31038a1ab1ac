from fastapi import APIRouter

from api import schemas
from api.deps import RuntimeDep
from api.error_responses import ERROR_RESPONSES
from api.services import readiness

router = APIRouter(tags=["运行状态"])


@router.get("/health", response_model=schemas.HealthOut, summary="进程存活")
def alive():
    return schemas.HealthOut(status="ok")


@router.get("/ready", response_model=schemas.ReadyOut, responses={503: ERROR_RESPONSES[401]}, summary="数据库可用且流程已加载")
def ready(runtime: RuntimeDep):
    return readiness.ready(runtime)
