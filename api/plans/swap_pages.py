"""The case page's form replacing a drawn officer (更换抽取的执法人员); the work and the refusals are
api.plans.drawn_swap's, whose refusals show as the Chinese error page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from api.plans import drawn_swap
from api.web.routing import page_router
from api.web.session import WebUser

router = page_router()
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _id(value: str) -> int | None:
    return int(value) if value.isdigit() and int(value) < 2**31 else None


@router.post("/cases/{case_id}/drawn-replacements")
async def replace_drawn(request: Request, case_id: CaseId, user: WebUser):
    form = await request.form(max_files=0, max_fields=10)
    values = {name: str(form.get(name) or "").strip() for name in ("replaced_id", "reason", "replacement_id")}
    # the service checks who may, then the reason and the officers (an unreadable id names nobody drawn)
    await run_in_threadpool(drawn_swap.replace_drawn, request.app.state.runtime.engine, user, case_id,
                            _id(values["replaced_id"]) or 0, values["reason"], _id(values["replacement_id"]))
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
