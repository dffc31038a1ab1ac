"""Request-body limits applied before any route sees the body (issue 18, items 3 and 4).

A JSON body larger than `ZHIFA_MAX_JSON_BYTES` is refused with 413 while it arrives (the server never holds
more than the limit), and one carrying NaN or ±Infinity, which Python's `json` accepts but JSON does not,
is refused with 422: such a number would otherwise pass as a fine and land in the record. So is text holding
NUL or a lone surrogate (no database stores it), in any field of any JSON route, with the field's path.
Every response also gets the security headers; API responses are never cached (they carry case data).
Multipart uploads are not JSON and keep their own per-type limits (api.services.evidence_upload_form).
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.error_responses import error_response
from engine import forms
from engine.settings import get_settings

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# pages set their own, stricter policy (api.web's WebRoute); this one covers everything else
DEFAULT_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
# Swagger UI's page at /docs starts itself with an inline script
DOCS_CSP = "frame-ancestors 'none'"


class _NonFinite:
    """Where the JSON text had NaN or ±Infinity."""


def _non_finite(value, parts: list) -> list[dict]:
    if isinstance(value, _NonFinite):
        name = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".") or "请求体"
        return [forms.problem(parts, name, f"「{name}」应为有限的数字(JSON 不允许 NaN、Infinity)")]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _non_finite(item, parts + [key])]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _non_finite(item, parts + [index])]
    return []


def body_problems(body: bytes) -> list[dict]:
    """The numbers JSON does not have (NaN, ±Infinity) and the text no database stores (NUL, lone surrogates),
    each with its path. A body that is not JSON at all is left to the route (its own 422)."""
    try:
        parsed = json.loads(body, parse_constant=lambda _name: _NonFinite())
    except ValueError:
        return []
    except RecursionError:
        return [forms.problem([], "请求体", "请求体嵌套层次过深")]
    return _non_finite(parsed, []) + forms.unstorable_text(parsed)


class BodyGuard:
    """ASGI middleware: JSON size and non-finite numbers checked, security headers added."""

    def __init__(self, app: ASGIApp, api_prefix: str):
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope, send)
        headers = Headers(scope=scope)
        content_type = headers.get("content-type")
        # FastAPI reads a body without a content type as JSON too
        if (content_type and "json" not in content_type) or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        limit = get_settings().max_json_bytes
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._too_large(limit)(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await self._too_large(limit)(scope, receive, send)
                return
            more = message.get("more_body", False)
        problems = body_problems(bytes(body))
        if problems:
            message = "请求数据不符合要求: " + "；".join(p["message"] for p in problems[:5])
            await error_response(422, "validation_failed", message, problems)(scope, receive, send)
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    @staticmethod
    def _too_large(limit: int):
        return error_response(413, "too_large", f"请求体过大(上限 {limit} 字节)", {"max_bytes": limit})

    def _with_headers(self, scope: Scope, send: Send) -> Send:
        path = scope.get("path", "")
        is_api = path.startswith(self.api_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", DOCS_CSP if path.startswith("/docs") else DEFAULT_CSP)
                if is_api:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        return send_with_headers


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the client's own messages (a disconnect, when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
