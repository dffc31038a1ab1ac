"""卷宗: an archived case's dossier read in the page (pdf.js), built by the one dossier builder (api.services.dossier_files)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request

from api.deps import get_store
from api.downloads import download_response
from api.services import dossier_files
from api.web import case_views
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.settings import get_settings

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/cases/{case_id}/dossier")
def dossier_page(request: Request, case_id: DbId, user: WebUser):
    """The page checks access without recording it; fetching the PDF is the recorded reading."""
    engine = request.app.state.runtime.engine
    case = dossier_files.archived_case(engine, user, case_id)
    with read_session(engine) as session:
        agency_name = case_views.agency_names(session).get(case.agency_id, "")
    return render(request, "dossier.html", case=case, agency_name=agency_name, nav="cases")


@router.get("/cases/{case_id}/dossier.pdf")
def dossier_pdf(request: Request, case_id: DbId, user: WebUser):
    engine = request.app.state.runtime.engine
    return download_response(dossier_files.open_dossier(engine, get_store(request), get_settings(), user, case_id))
