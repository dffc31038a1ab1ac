"""The browser session: a signed login token (the API's JWT) in an HttpOnly, SameSite=Strict cookie, and CSRF tokens.

A CSRF token is an HMAC of a random per-browser value kept in its own HttpOnly cookie: a page from
another site can neither read the cookie nor compute the token, so a form it submits is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response

from api.identity.models import User
from api.identity.security import secret_key, token_claims
from api.identity.service import active_user
from engine.db import read_session
from engine.errors import Forbidden, Unauthenticated
from engine.settings import get_settings

SESSION_COOKIE = "zhifa_session"
CSRF_COOKIE = "zhifa_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
FORM_TYPES = ("application/x-www-form-urlencoded",)


def _cookie_options(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https", "path": "/"}


def set_session(request: Request, response: Response, token: str) -> None:
    """A browser-session cookie: the token inside expires by the engine clock, the cookie when the browser closes."""
    response.set_cookie(SESSION_COOKIE, token, **_cookie_options(request))


def clear_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, **_cookie_options(request))


def web_user(request: Request) -> User:
    """The signed-in user of the cookie session; Unauthenticated sends the browser to the login page."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise Unauthenticated("请先登录")
    claims = token_claims(token, get_settings())
    with read_session(request.app.state.runtime.engine) as session:
        user = active_user(session, claims.user_id, claims.version)
    request.state.user = user
    return user


# ---- CSRF --------------------------------------------------------------------
def csrf_seed(request: Request) -> str:
    """The browser's CSRF seed, made on its first visit (`ensure_csrf_cookie` stores it)."""
    if not hasattr(request.state, "csrf_seed"):
        request.state.csrf_seed = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return request.state.csrf_seed


def csrf_token(request: Request) -> str:
    key = secret_key(get_settings()).encode()
    return hmac.new(key, csrf_seed(request).encode(), hashlib.sha256).hexdigest()


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    if request.cookies.get(CSRF_COOKIE) != csrf_seed(request):
        response.set_cookie(CSRF_COOKIE, csrf_seed(request), **_cookie_options(request))


async def check_csrf(request: Request) -> None:
    """A state-changing request carries the token in the X-CSRF-Token header or the form's csrf_token field."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not request.cookies.get(CSRF_COOKIE) or not sent or not hmac.compare_digest(sent, csrf_token(request)):
        raise Forbidden("页面已失效或请求来源不明(缺少安全令牌), 请刷新页面后重试", code="csrf_failed")


def safe_next(target: str | None) -> str:
    """Only a path on this site is a place to return to after login."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


WebUser = Annotated[User, Depends(web_user)]
