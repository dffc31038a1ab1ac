"""用户管理 for an administrator: the accounts of the agencies they manage, certificates expiring within 30 days first."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Query, Request
from sqlmodel import Session

from api.identity.service import today
from api.services import accounts as users
from api.web import case_views
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.vocab import LANE_LABELS

router = page_router()
EXPIRY_WARNING_DAYS = 30
ROLE_LABELS = {**{lane.value: label for lane, label in LANE_LABELS.items()}, "grid_member": "网格员", "admin": "系统管理员"}


@router.get("/admin/users")
def user_list(request: Request, user: WebUser, created: Annotated[str | None, Query(max_length=64)] = None,
              updated: Annotated[str | None, Query(max_length=64)] = None,
              reset: Annotated[str | None, Query(max_length=64)] = None):
    engine = request.app.state.runtime.engine
    accounts = users.list_users(engine, user)  # refuses anyone but an administrator
    with Session(engine) as session:
        names = case_views.agency_names(session)
    day = today()
    horizon = day + timedelta(days=EXPIRY_WARNING_DAYS)
    expiring = [u for u in accounts if u.certificate_expires and day <= u.certificate_expires <= horizon]
    return render(request, "users.html", accounts=accounts, expiring=expiring, agency_names=names,
                  role_labels=ROLE_LABELS, created=created, updated=updated, reset=reset, nav="users")
