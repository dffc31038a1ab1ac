from fastapi import APIRouter

from zhifa.api import schemas
from zhifa.api.deps import RuntimeDep
from zhifa.api.errors import ERROR_RESPONSES
from zhifa.api.services import health

router = APIRouter(tags=["运行状态"])


@router.get("/health", response_model=schemas.HealthOut, summary="进程存活")
def alive():
    return schemas.HealthOut(status="ok")


@router.get("/ready", response_model=schemas.ReadyOut, responses={503: ERROR_RESPONSES[401]}, summary="数据库可用且流程已加载")
def ready(runtime: RuntimeDep):
    return health.ready(runtime)
