"""Request dependencies: the runtime the app was built with, the settings and the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.identity.models import User
from api.identity.security import user_id_from_token
from api.identity.service import active_user
from engine.errors import Unauthenticated
from engine.runtime import Runtime
from engine.settings import Settings, get_settings

bearer = HTTPBearer(auto_error=False, description="POST /api/v1/auth/login 取得的令牌")


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


def current_user(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    if credentials is None:
        raise Unauthenticated("请先登录")
    user_id = user_id_from_token(credentials.credentials, get_settings())
    with Session(get_runtime(request).engine) as session:
        return active_user(session, user_id)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
UserDep = Annotated[User, Depends(current_user)]
