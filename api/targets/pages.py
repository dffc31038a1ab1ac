"""Web pages of the target register: the list (/targets) and a unit's file (一企一档, /targets/{id})."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from api.targets import credit_events, service, target_permissions
from api.targets.fields import LABELS
from api.targets.vocabulary import ASSIGNED_LEVELS
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.errors import Forbidden, ValidationFailed

router = page_router()
TargetId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/targets")
def target_list(request: Request, user: WebUser, q: Annotated[str | None, Query(max_length=100)] = None):
    targets = service.list_targets(request.app.state.runtime.engine, user, q=q or None)
    return render(request, "target_list.html", targets=targets, q=q or "", nav="targets")


@router.get("/targets/{target_id}")
def target_file(request: Request, target_id: TargetId, user: WebUser):
    engine = request.app.state.runtime.engine
    file = service.unit_file(engine, user, target_id)
    return render(request, "target_file.html", file=file, history=service.history(engine, user, target_id), labels=LABELS,
                  levels=ASSIGNED_LEVELS, may_repair=_may_repair(engine, user, file["target"]["township_id"]),
                  nav="targets")


def _may_repair(engine, user, township_id: int) -> bool:
    with read_session(engine) as session:
        try:
            target_permissions.require_register_editor(session, user, township_id)
        except Forbidden:
            return False
    return True


@router.post("/targets/{target_id}/credit-repairs")
async def record_credit_repair(request: Request, target_id: TargetId, user: WebUser):
    form = await request.form(max_files=0, max_fields=10)
    values = {name: str(form.get(name) or "").strip() for name in ("publication_id", "repaired_on", "basis")}
    return await run_in_threadpool(_record_credit_repair, request, user, target_id, values)


def _record_credit_repair(request: Request, user, target_id: int, values: dict):
    engine = request.app.state.runtime.engine
    with read_session(engine) as session:
        credit_events.require_repairer(session, user, target_id)
    try:
        publication_id, repaired_on = int(values["publication_id"]), date.fromisoformat(values["repaired_on"])
    except ValueError:
        raise ValidationFailed("请填写修复日期", code="repaired_on_required", details={"field": "repaired_on"}) from None
    if not values["basis"] or len(values["basis"]) > 500:
        raise ValidationFailed("请填写修复依据和理由(500字以内)", code="basis_required", details={"field": "basis"})
    credit_events.record_repair(engine, user, target_id, publication_id, repaired_on, values["basis"])
    return RedirectResponse(f"/targets/{target_id}#credit-events", status_code=303)
