"""Every page route: CSRF checked before the handler, errors shown as Chinese pages, security headers on every response.

Handlers raise the same errors as the services do for the API; here they become a page:
not signed in (or the session expired) → the login page, which returns to the page after login;
forbidden → the Chinese 403 page; anything else → an error page with its code.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from api.error_responses import error_response, status_for
from api.web.session import check_csrf, ensure_csrf_cookie, safe_next
from api.web.templating import render
from engine.errors import Unauthenticated, ZhifaError

SECURITY_HEADERS = {
    # bpmn-js sets style attributes on the diagram's SVG, and draws its watermark as a data: image
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def login_redirect(request: Request) -> Response:
    """To the login page, which returns to this page (for a form post: the page the form was on)."""
    if request.method == "GET":
        page = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    else:
        referer = urlsplit(request.headers.get("referer") or "/")
        page = referer.path + (f"?{referer.query}" if referer.query else "")
    page = safe_next(page)
    target = "/login" if page == "/" else f"/login?next={quote(page, safe='')}"
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, exc: ZhifaError) -> Response:
    """The Chinese error page; a page's script asking for JSON (the evidence upload) gets the API's error body."""
    status = status_for(exc)
    if "application/json" in request.headers.get("accept", ""):
        return error_response(status, exc.code, exc.message, exc.details)
    response = render(request, "error.html", status_code=status, status=status, code=exc.code, message=exc.message)
    if status == 429 and isinstance(exc.details, dict) and "retry_after_seconds" in exc.details:
        response.headers["Retry-After"] = str(exc.details["retry_after_seconds"])
    return response


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                await check_csrf(request)
                response = await handler(request)
            except Unauthenticated:
                response = login_redirect(request)
            except ZhifaError as exc:
                response = error_page(request, exc)
            except RequestValidationError:
                response = render(request, "error.html", status_code=400, status=400, code="bad_request",
                                  message="请求参数不正确, 请返回上一页重试")
            ensure_csrf_cookie(request, response)
            response.headers.update(SECURITY_HEADERS)
            return response

        return route


def page_router(**options) -> APIRouter:
    """A router whose routes are pages (not part of the API's OpenAPI description)."""
    return APIRouter(route_class=WebRoute, include_in_schema=False, **options)
