"""One error model for every failure: `{"code", "message", "details"}` with a Chinese message."""

from __future__ import annotations

import logging
from typing import get_args

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.authz import Hidden
from api.schemas import ErrorBody
from engine import forms
from engine.errors import (
    CalendarUnknownYear,
    Conflict,
    Forbidden,
    InvalidState,
    ModelError,
    NotFound,
    StorageUnavailable,
    TooLarge,
    TooManyAttempts,
    Unauthenticated,
    ValidationFailed,
    ZhifaError,
)

logger = logging.getLogger(__name__)

DATABASE_RETRY_SECONDS = 5
STATUS_BY_ERROR: list[tuple[type[ZhifaError], int]] = [
    (NotFound, 404),
    (ValidationFailed, 422),
    (CalendarUnknownYear, 422),
    (Conflict, 409),
    (InvalidState, 409),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (TooLarge, 413),
    (TooManyAttempts, 429),
    (StorageUnavailable, 503),
    (ModelError, 500),
]
HTTP_MESSAGES = {
    400: ("bad_request", "请求体无法解析, 请检查格式与编码"),
    404: ("not_found", "请求的接口不存在"),
    405: ("method_not_allowed", "该接口不支持此请求方法"),
}
PYDANTIC_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "json_invalid": "请求体不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为是/否",
    "bool_parsing": "应为是/否",
    "date_type": "应为日期 YYYY-MM-DD",
    "date_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
    "date_from_datetime_inexact": "应为日期 YYYY-MM-DD",
    "literal_error": "不在可选范围内",
    "enum": "不在可选范围内",
    "string_too_short": "长度不足",
    "string_too_long": "过长",
    "too_short": "项数不足",
    "too_long": "项数过多",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_pattern_mismatch": "格式不正确",
}
ERROR_RESPONSES = {status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 413, 422, 429)}


def status_for(error: ZhifaError) -> int:
    return next((status for cls, status in STATUS_BY_ERROR if isinstance(error, cls)), 400)


def error_response(status: int, code: str, message: str, details=None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status in (429, 503) and isinstance(details, dict) and "retry_after_seconds" in details:
        headers = {"Retry-After": str(details["retry_after_seconds"])}
    return JSONResponse(status_code=status, content={"code": code, "message": message, "details": details}, headers=headers)


def _body_model(request: Request) -> type[BaseModel] | None:
    field = getattr(request.scope.get("route"), "body_field", None)
    return _model_in(getattr(getattr(field, "field_info", None), "annotation", None))


def _model_in(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _title(model: type[BaseModel] | None, parts: list) -> str | None:
    """The Chinese `title` a request model gives the field at `parts`, if it gives one."""
    title = None
    for part in parts:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            return None
        title, model = info.title, _model_in(info.annotation)
    return title


def _describe(error: dict, body: type[BaseModel] | None) -> dict:
    location = list(error.get("loc", ()))
    parts = [p for p in location if p not in ("body", "query", "path", "header")]
    title = (_title(body, parts) if location[:1] == ["body"] else None) or ".".join(map(str, parts)) or "请求体"
    text = PYDANTIC_MESSAGES.get(error.get("type"), "不符合要求")
    return forms.problem(parts, title, f"{text}「{title}」" if error.get("type") == "missing" else f"「{title}」{text}")


def install(app: FastAPI) -> None:
    @app.exception_handler(ZhifaError)
    async def zhifa_error(_request: Request, exc: ZhifaError) -> JSONResponse:
        if isinstance(exc, Hidden):
            exc = exc.not_found  # the API tells a hidden object from a missing one by nothing (api.authz)
        status = status_for(exc)
        if status >= 500:
            logger.error("%s: %s %s", exc.code, exc.message, exc.details)
        return error_response(status, exc.code, exc.message, exc.details)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        body = _body_model(request)
        details = [_describe(e, body) for e in exc.errors()]
        message = "请求数据不符合要求: " + "；".join(d["message"] for d in details[:5])
        return error_response(422, "validation_failed", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = HTTP_MESSAGES.get(exc.status_code, (f"http_{exc.status_code}", "请求无法处理"))
        return error_response(exc.status_code, code, message)

    @app.exception_handler(sa.exc.OperationalError)
    @app.exception_handler(sa.exc.InterfaceError)
    async def database_down(request: Request, exc: sa.exc.DBAPIError) -> JSONResponse:
        """The database refused or dropped the connection (restarting, or SQLite's lock held too long): a
        transaction that failed this way rolled back, so the client may send the request again."""
        logger.error("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
        return error_response(503, "database_unavailable", "数据库暂时不可用, 请稍后重试",
                              {"retry_after_seconds": DATABASE_RETRY_SECONDS})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(500, "internal_error", "服务器内部错误, 请稍后重试或联系管理员")
