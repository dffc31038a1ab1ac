from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import schemas
from api.deps import RuntimeDep, UserDep
from api.error_responses import ERROR_RESPONSES
from api.services import accounts

router = APIRouter(prefix="/users", tags=["用户管理"], responses=ERROR_RESPONSES)
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("", response_model=list[schemas.UserOut], summary="本县用户列表(管理员)")
def list_users(user: UserDep, runtime: RuntimeDep):
    return accounts.list_users(runtime.engine, user)


@router.post("", response_model=schemas.UserOut, status_code=201, summary="新建用户(管理员)")
def create_user(body: schemas.UserCreateIn, user: UserDep, runtime: RuntimeDep):
    return accounts.create_user(runtime.engine, user, body)


@router.patch("/{user_id}", response_model=schemas.UserOut, summary="修改用户: 角色、证件、停用、重设密码(管理员)")
def update_user(user_id: UserId, body: schemas.UserUpdateIn, user: UserDep, runtime: RuntimeDep):
    return accounts.update_user(runtime.engine, user, user_id, body)


@router.get("/events", response_model=list[schemas.AccountEventOut], summary="账号变更与锁定记录(执法监督、管理员)")
def account_events(user: UserDep, runtime: RuntimeDep, limit: Annotated[int, Query(ge=1, le=500)] = 100,
                   offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0):
    return accounts.account_events(runtime.engine, user, limit, offset)
