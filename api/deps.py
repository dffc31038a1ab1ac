"""Request dependencies: the request's cache, the runtime the app was built with, its object store, the signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api import request_cache as cache
from api.idempotency.replay import Idempotency
from api.identity.models import User
from api.identity.security import token_claims
from api.identity.service import active_user
from engine.db import read_session
from engine.errors import Unauthenticated
from engine.objects import ObjectStore, get_object_store
from engine.runtime import Runtime
from engine.settings import Settings, get_settings

bearer = HTTPBearer(auto_error=False, description="POST /api/v1/auth/login 取得的令牌")


async def request_cache() -> None:
    """An empty cache for each request (api.request_cache), installed on the app before every other dependency.

    Async on purpose: it runs in the request's own context, which the sync routes' thread-pool copies share."""
    cache.start()


def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


# The dependencies below do no I/O, so they are async: FastAPI runs a sync dependency in the thread
# pool, one hand-off (and a GIL round trip) per dependency per request.
async def runtime_dependency(request: Request) -> Runtime:
    return get_runtime(request)


async def store_dependency(request: Request) -> ObjectStore:
    return get_store(request)


async def settings_dependency() -> Settings:
    return get_settings()


def get_store(request: Request) -> ObjectStore:
    """The app's object store, made from the settings on first use."""
    state = request.app.state
    if getattr(state, "object_store", None) is None:
        state.object_store = get_object_store(get_settings())
    return state.object_store


def current_user(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> User:
    if credentials is None:
        raise Unauthenticated("请先登录")
    claims = token_claims(credentials.credentials, get_settings())
    with read_session(get_runtime(request).engine) as session:
        return active_user(session, claims.user_id, claims.version)


RuntimeDep = Annotated[Runtime, Depends(runtime_dependency)]
SettingsDep = Annotated[Settings, Depends(settings_dependency)]
StoreDep = Annotated[ObjectStore, Depends(store_dependency)]
UserDep = Annotated[User, Depends(current_user)]


async def idempotency(request: Request, user: UserDep, runtime: RuntimeDep, key: Annotated[str | None, Header(
        alias="Idempotency-Key", description="可选: 客户端生成的唯一键; 以同一键重试的请求只生效一次, 并返回首次的结果")] = None,
) -> Idempotency:
    return Idempotency.from_header(runtime.engine, user.id, key, scope=f"{request.method} {request.url.path}")


IdempotencyDep = Annotated[Idempotency, Depends(idempotency)]
