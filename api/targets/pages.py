"""Web pages of the target register: the list (/targets) and a unit's file (一企一档, /targets/{id})."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request

from api.targets import service
from api.targets.vocabulary import ASSIGNED_LEVELS
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render

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
    return render(request, "target_file.html", file=file, history=service.history(engine, user, target_id),
                  levels=ASSIGNED_LEVELS, nav="targets")
