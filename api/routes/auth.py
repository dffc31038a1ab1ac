from fastapi import APIRouter, Request

from api import schemas
from api.deps import RuntimeDep, SettingsDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import accounts

router = APIRouter(tags=["登录"], responses=ERROR_RESPONSES)


@router.post("/auth/login", response_model=schemas.TokenOut, summary="用户名密码登录, 取得令牌")
def login(body: schemas.LoginIn, request: Request, runtime: RuntimeDep, settings: SettingsDep):
    address = request.client.host if request.client else "unknown"
    return accounts.login(runtime.engine, settings, body.username, body.password, address)


@router.get("/me", response_model=schemas.MeOut, summary="当前用户")
def me(user: UserDep, runtime: RuntimeDep):
    return accounts.me(runtime.engine, user)


@router.get("/agencies", response_model=list[schemas.AgencyOut], summary="本县执法机构(县局、乡镇、园区)")
def agencies(user: UserDep, runtime: RuntimeDep):
    return accounts.agencies(runtime.engine, user)
