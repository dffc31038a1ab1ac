"""Login and logout pages."""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from api.services import accounts as users
from api.web.routing import page_router
from api.web.session import WebUser, clear_session, safe_next, set_session
from api.web.templating import render
from engine.errors import TooManyAttempts, Unauthenticated
from engine.settings import get_settings

router = page_router()
MAX_INPUT = 200


@router.get("/login")
def login_page(request: Request, next: str | None = None, signed_out: bool = False):
    return render(request, "login.html", next=safe_next(next), error=None, username="", signed_out=signed_out)


@router.post("/login")
async def login(request: Request):
    form = await request.form()
    username, password = str(form.get("username", ""))[:MAX_INPUT], str(form.get("password", ""))[:MAX_INPUT]
    target = safe_next(str(form.get("next", "")))
    runtime = request.app.state.runtime
    try:
        token = await run_in_threadpool(users.login, runtime.engine, get_settings(), username, password,
                                       request.client.host if request.client else "unknown")
    except (Unauthenticated, TooManyAttempts) as exc:
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        return render(request, "login.html", status_code=status, next=target, error=exc.message, username=username,
                      signed_out=False)
    response = RedirectResponse(target, status_code=303)
    set_session(request, response, token.access_token)
    return response


@router.post("/logout")
def logout(request: Request, user: WebUser):
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session(request, response)
    return response
