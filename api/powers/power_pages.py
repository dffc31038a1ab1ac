"""Web pages of the power lists (执法事项清单): each township's or park's list as in force on a day, with its
changes; the county bureau's officers and head add items, end them from a date and upload the entrustment letter.

The same service and authorization as /api/v1/powers (api.powers.service).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from api.powers import service
from api.targets import target_permissions
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.errors import Forbidden, NotFound, TooLarge, ValidationFailed
from engine.models import Agency
from engine.objects import get_object_store
from engine.powers.models import PowerItem
from engine.powers.power_list import MODES
from engine.rules.penalty_tiers import KIND_LABELS
from engine.settings import get_settings
from engine.vocab import AgencyKind

router = page_router()
AgencyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ItemId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ITEM_FIELDS = ("item_code", "name", "mode", "violation_codes", "valid_from", "valid_until")
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _store(request: Request):
    state = request.app.state
    if getattr(state, "object_store", None) is None:
        state.object_store = get_object_store(get_settings())
    return state.object_store


def _require_keeper(engine, user) -> None:
    """Checked before the form is read, so a caller without the right learns that first."""
    with Session(engine) as session:
        target_permissions.require_county_head_or_officer(session, user, "执法人员或负责人维护执法事项清单")


def _may_keep(engine, user) -> bool:
    try:
        _require_keeper(engine, user)
    except Forbidden:
        return False
    return True


@router.get("/powers")
def power_agencies(request: Request, user: WebUser):
    engine = request.app.state.runtime.engine
    with Session(engine) as session:
        ids = target_permissions.register_agency_ids(session, user)
        agencies = session.exec(select(Agency).where(Agency.id.in_(ids), Agency.kind != AgencyKind.county_bureau)
                                .order_by(Agency.id)).all()
    if len(agencies) == 1:
        return RedirectResponse(f"/powers/{agencies[0].id}", status_code=303)
    return render(request, "power_agencies.html", agencies=agencies, nav="powers")


def _page(request: Request, user, agency_id: int, on: date | None = None, *, values: dict | None = None,
          message: str | None = None, errors: dict | None = None, status_code: int = 200):
    engine = request.app.state.runtime.engine
    listing = service.list_powers(engine, user, agency_id, on)
    return render(request, "power_list.html", status_code=status_code, listing=listing, may_keep=_may_keep(engine, user),
                  modes=MODES, kinds=KIND_LABELS, values=values or {}, message=message, errors=errors or {},
                  today=date.today().isoformat(), nav="powers")


@router.get("/powers/{agency_id}")
def power_list_page(request: Request, agency_id: AgencyId, user: WebUser,
                    on: Annotated[date | None, Query()] = None):
    return _page(request, user, agency_id, on)


@router.post("/powers/{agency_id}/items")
async def add_item(request: Request, agency_id: AgencyId, user: WebUser):
    form = await request.form(max_files=0, max_fields=40)
    values = {name: str(form.get(name) or "").strip() for name in ITEM_FIELDS}
    values["penalty_kinds"] = [k for k in form.getlist("penalty_kinds") if isinstance(k, str)]
    return await run_in_threadpool(_add_item, request, user, agency_id, values)


def _add_item(request: Request, user, agency_id: int, values: dict):
    _require_keeper(request.app.state.runtime.engine, user)
    body = {**{k: v for k, v in values.items() if v}, "penalty_kinds": values["penalty_kinds"],
            "violation_codes": [c for c in CODE_SEPARATORS.split(values["violation_codes"]) if c]}
    try:
        item = service.PowerItemIn(**body)
        service.add_item(request.app.state.runtime.engine, user, agency_id, item)
    except ValidationError as exc:
        fields = {str(e["loc"][0]) for e in exc.errors() if e.get("loc")}
        errors = {name: "请按要求填写" for name in fields}
        return _page(request, user, agency_id, values=values, errors=errors, status_code=422,
                     message="请填写事项编码、名称、方式、违法行为代码、处罚种类和生效日期")
    except ValidationFailed as exc:
        problems = exc.details if isinstance(exc.details, list) else []
        errors = {p["field"]: p["message"] for p in problems if isinstance(p, dict) and "field" in p}
        return _page(request, user, agency_id, values=values, errors=errors, message=exc.message, status_code=422)
    return RedirectResponse(f"/powers/{agency_id}", status_code=303)


def _agency_of_item(engine, user, item_id: int) -> int:
    with Session(engine) as session:
        item = session.get(PowerItem, item_id)
        if item is None or item.agency_id not in target_permissions.register_agency_ids(session, user):
            raise NotFound("执法事项不存在或无权查看", code="power_item_not_found", details={"item_id": item_id})
        return item.agency_id


@router.post("/powers/items/{item_id}/end")
async def end_item(request: Request, item_id: ItemId, user: WebUser):
    form = await request.form(max_files=0, max_fields=10)
    raw = str(form.get("effective_on") or "")
    return await run_in_threadpool(_end_item, request, user, item_id, raw)


def _end_item(request: Request, user, item_id: int, raw: str):
    engine = request.app.state.runtime.engine
    _require_keeper(engine, user)
    agency_id = _agency_of_item(engine, user, item_id)
    try:
        body = service.PowerEndIn(effective_on=raw)
    except ValidationError:
        raise ValidationFailed("请填写取消委托(赋权)的日期", code="power_end_date_required",
                               details={"item_id": item_id}) from None
    service.end_item(engine, user, item_id, body)
    return RedirectResponse(f"/powers/{agency_id}", status_code=303)


@router.post("/powers/items/{item_id}/letter")
async def attach_letter(request: Request, item_id: ItemId, user: WebUser):
    engine = request.app.state.runtime.engine
    await run_in_threadpool(_require_keeper, engine, user)
    await run_in_threadpool(_agency_of_item, engine, user, item_id)
    form = await request.form(max_files=1, max_fields=5)
    upload = form.get("letter")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed("请选择委托书文件(PDF)", code="power_letter_empty")
    content = await upload.read(service.MAX_LETTER_BYTES + 1)
    if len(content) > service.MAX_LETTER_BYTES:
        raise TooLarge("委托书文件不能超过20 MB", details={"limit": service.MAX_LETTER_BYTES})
    if not content.startswith(b"%PDF-"):
        raise ValidationFailed("委托书应为 PDF 文件", code="power_letter_type")
    name = re.sub(r"[/\\\x00-\x1f]", "_", upload.filename)[:200]
    return await run_in_threadpool(_attach, request, user, item_id, content, name)


def _attach(request: Request, user, item_id: int, content: bytes, name: str):
    engine = request.app.state.runtime.engine
    agency_id = _agency_of_item(engine, user, item_id)
    service.attach_letter(engine, _store(request), user, item_id, content, name)
    return RedirectResponse(f"/powers/{agency_id}", status_code=303)
