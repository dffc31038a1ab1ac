"""案件: the list with filters and search, the case page and its diagram."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from api import authz
from api.identity.service import today
from api.plans import drawn_swap
from api.services import case_handling as cases
from api.services import case_remedies, evidence_previews
from api.web import case_views
from api.web.deadline_badges import badge
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from documents.evidence.models import EvidenceType
from engine.case_events import message_start
from engine.errors import ZhifaError
from engine.models import Case, Task
from engine.vocab import CaseStatus

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 20


def _blank_none(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/cases")
def case_list(request: Request, user: WebUser,
              status: Annotated[str | None, Query(max_length=40)] = None,
              process: Annotated[str | None, Query(max_length=100)] = None,
              agency: Annotated[str | None, Query(max_length=12)] = None,
              started_from: Annotated[str | None, Query(max_length=10)] = None,
              started_to: Annotated[str | None, Query(max_length=10)] = None,
              party: Annotated[str | None, Query(max_length=100)] = None,
              q: Annotated[str | None, Query(max_length=100)] = None,
              page: Annotated[int, Query(ge=1, le=100000)] = 1):
    runtime = request.app.state.runtime
    status = status if status in set(CaseStatus) else None
    agency_id = int(agency) if agency and agency.isdigit() else None
    filters = cases.CaseFilters(status=status, process=_blank_none(process), agency_id=agency_id,
                                started_from=_day(started_from), started_to=_day(started_to),
                                party=_blank_none(party), search=_blank_none(q), page=page, page_size=PAGE_SIZE)
    result = cases.list_cases(runtime.engine, user, filters)
    with Session(runtime.engine) as session:
        names = case_views.agency_names(session)
        visible_agencies = authz.jurisdiction_ids(session, authz.agency_of(session, user))
    context = dict(result=result, filters=filters, statuses=list(CaseStatus), processes=case_views.process_names(runtime),
                   agencies={i: names[i] for i in visible_agencies}, agency_names=names,
                   pages=max(1, -(-result.total // PAGE_SIZE)), query=request.url.query, nav="cases")
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "case-results":
        return render(request, "_case_results.html", **context)
    return render(request, "case_list.html", **context)


def _case_officer(session: Session, user, case_id: int) -> bool:
    """Whether the user may record the case's events (a party's reconsideration or lawsuit)."""
    try:
        authz.case_officer_authorizer(user.id)(session, session.get(Case, case_id))
    except ZhifaError:
        return False
    return True


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: DbId, user: WebUser, done: Annotated[str | None, Query(max_length=36)] = None):
    runtime = request.app.state.runtime
    detail = cases.case_detail(runtime, user, case_id)  # authorizes and records a supervisor's reading
    with Session(runtime.engine) as session:
        names = case_views.agency_names(session)
        steps = case_views.diagram_steps(session, case_id)
        files = case_views.document_files(session, case_id)
        process = runtime.process_of(session, session.get(Case, case_id))
        remedies = message_start(process, case_remedies.REMEDY_FILED) is not None and _case_officer(session, user, case_id)
        just_done = session.get(Task, done) if done else None
        drawn_elsewhere = not authz.takes_officer_steps(session, user, case_id)  # a pair drawn for others
    previews = evidence_previews.case_preview_kinds(runtime.engine, user, case_id)
    drawn = drawn_swap.case_panel(runtime.engine, user, case_id)
    day = today()
    my_tasks = {t.id for t in detail.tasks if user.has_role(t.role) and t.agency_id == user.agency_id
                and not (drawn_elsewhere and t.role in authz.OFFICER_ROLES)}
    return render(request, "case.html", detail=detail, case=detail.case, agency_names=names, steps=steps,
                  documents=files, process_name=process.name, remedies=remedies, my_tasks=my_tasks,
                  just_done=just_done if just_done and just_done.case_id == case_id else None,
                  tasks=[(t, badge(t.due_on, day, t.due_at)) for t in detail.tasks], event_label=case_views.event_label,
                  role_label=case_views.role_label, evidence_types=list(EvidenceType), previews=previews, drawn=drawn,
                  nav="cases")


@router.get("/cases/{case_id}/diagram.bpmn")
def diagram(request: Request, case_id: DbId, user: WebUser):
    runtime = request.app.state.runtime
    with Session(runtime.engine) as session:
        case = authz.visible_case(session, user, case_id)
        xml = case_views.diagram_xml(runtime, session, case)
    return Response(xml, media_type="application/xml")
