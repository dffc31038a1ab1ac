"""新建用户, 修改用户, 重置密码: an administrator's account forms over api/services/accounts.

The service authorizes (only the agencies the administrator manages), audits every change, and a
password reset, deactivation or a change of roles or agency ends the account's sessions. The edit
form sends only what was changed, so saving an unchanged form signs nobody out.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from api import schemas
from api.hazards.config import hazard_config
from api.identity import admin_permissions
from api.identity.models import StaffCategory
from api.services import accounts
from api.web import case_views
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from api.web.user_pages import ROLE_LABELS
from engine.db import read_session
from engine.errors import Conflict, Forbidden, ValidationFailed
from engine.vocab import Role

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FIELD_LABELS = {"username": "用户名", "display_name": "姓名", "password": "密码", "agency_id": "单位", "roles": "角色",
                "staff_category": "人员类别", "certificate_number": "执法证号", "certificate_expires": "执法证有效期至", "grid": "所在网格",
                "department": "所属部门"}
ROLES = [role for role in Role if role not in (Role.system, Role.citizen)]


def _choices(request: Request, admin) -> dict:
    with read_session(request.app.state.runtime.engine) as session:
        names = case_views.agency_names(session)
        managed = admin_permissions.managed_agency_ids(session, admin)  # refuses anyone but an administrator
    return {"agencies": {i: names[i] for i in managed}, "roles": [(r.value, ROLE_LABELS[r.value]) for r in ROLES],
            "categories": list(StaffCategory), "departments": hazard_config().all_departments(), "nav": "users"}


def _fields(form) -> dict:
    """The form as the API's body: blanks are absent, dates parsed later by the schema."""
    values = {name: str(form.get(name, "")).strip() for name in FIELD_LABELS if name not in ("roles", "password")}
    values["roles"] = [str(r) for r in form.getlist("roles")]
    values["password"] = str(form.get("password", ""))
    return values


def _field_errors(exc: Exception) -> dict[str, str]:
    """The API's refusal of one field (details.field), shown beside that field."""
    field = (getattr(exc, "details", None) or {}).get("field") if isinstance(exc, ValidationFailed) else None
    return {field: exc.message} if field in FIELD_LABELS else {}


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"「{FIELD_LABELS.get(str(e['loc'][0]), e['loc'][0])}」" + ("不能为空" if e["type"] in (
            "missing", "string_too_short", "too_short") else "不符合要求") for e in exc.errors())
    if isinstance(exc, ValidationFailed | Conflict):
        return exc.message
    return "「执法证有效期至」不是有效日期"


def _form(request: Request, admin, *, status_code: int = 200, errors: dict | None = None, **context):
    return render(request, "user_form.html", status_code=status_code, **_choices(request, admin), errors=errors or {},
                  **context)


@router.get("/admin/users/new")
def new_user_page(request: Request, user: WebUser):
    return _form(request, user, account=None, values={"staff_category": "officer", "roles": []}, problem=None)


@router.post("/admin/users/new")
async def create(request: Request, user: WebUser):
    admin_permissions.require_admin(user)
    values = _fields(await request.form())
    body = {k: v for k, v in values.items() if v not in ("", [])}
    try:
        created = await run_in_threadpool(accounts.create_user, request.app.state.runtime.engine, user,
                                          schemas.UserCreateIn(**body))
    except (ValidationError, ValidationFailed, Conflict) as exc:
        return _form(request, user, status_code=422, account=None, values=values, problem=_problem(exc),
                     errors=_field_errors(exc))
    return RedirectResponse(f"/admin/users?created={quote(created.username)}", status_code=303)


def _account(request: Request, admin, user_id: int) -> schemas.UserOut:
    found = [u for u in accounts.list_users(request.app.state.runtime.engine, admin) if u.id == user_id]
    if not found:
        raise Forbidden("不能管理其他单位的用户", details={"user_id": user_id})
    return found[0]


@router.get("/admin/users/{user_id}")
def edit_page(request: Request, user_id: DbId, user: WebUser):
    account = _account(request, user, user_id)
    return _form(request, user, account=account, values=account.model_dump(mode="json"), problem=None)


def _changes(account: schemas.UserOut, values: dict, active: bool) -> dict:
    current = account.model_dump(mode="json")
    submitted = {k: v for k, v in values.items() if k not in ("username", "password")}
    submitted["certificate_number"] = submitted["certificate_number"] or None
    submitted["certificate_expires"] = submitted["certificate_expires"] or None
    submitted["grid"] = submitted.get("grid") or None
    submitted["department"] = submitted.get("department") or None
    submitted["active"] = active
    changes = {k: v for k, v in submitted.items() if str(v) != str(current.get(k))}
    if "certificate_expires" in changes and changes["certificate_expires"]:
        changes["certificate_expires"] = date.fromisoformat(changes["certificate_expires"])
    return changes


@router.post("/admin/users/{user_id}")
async def update(request: Request, user_id: DbId, user: WebUser):
    engine = request.app.state.runtime.engine
    account = await run_in_threadpool(_account, request, user, user_id)
    form = await request.form()
    values = _fields(form)
    try:
        changes = _changes(account, values, form.get("active") == "on")
        if changes:
            await run_in_threadpool(accounts.update_user, engine, user, user_id, schemas.UserUpdateIn(**changes))
    except (ValueError, ValidationFailed, Conflict) as exc:  # pydantic's ValidationError is a ValueError
        shown = {**account.model_dump(mode="json"), **values, "username": account.username}
        return _form(request, user, status_code=422, account=account, values=shown, problem=_problem(exc),
                     errors=_field_errors(exc))
    return RedirectResponse(f"/admin/users?updated={quote(account.username)}", status_code=303)


@router.post("/admin/users/{user_id}/password")
async def reset_password(request: Request, user_id: DbId, user: WebUser):
    """A new password set by the administrator; the account's sessions end (the service bumps its token version)."""
    account = await run_in_threadpool(_account, request, user, user_id)
    password = str((await request.form()).get("password", ""))
    try:
        await run_in_threadpool(accounts.update_user, request.app.state.runtime.engine, user, user_id,
                                schemas.UserUpdateIn(password=password))
    except (ValidationError, ValidationFailed) as exc:
        return _form(request, user, status_code=422, account=account, values=account.model_dump(mode="json"),
                     problem=_problem(exc), password_problem=True)
    return RedirectResponse(f"/admin/users?reset={quote(account.username)}", status_code=303)
