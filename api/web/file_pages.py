"""Evidence upload from the case page, document / evidence downloads (each recorded by the services),
and what the page shows of evidence: image thumbnails (not recorded) and PDF previews (recorded)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import Response

from api.deps import get_store
from api.downloads import download_response
from api.services import document_files as documents
from api.services import evidence_files as uploads
from api.services import evidence_previews as previews
from api.web.routing import page_router
from api.web.session import WebUser
from engine.settings import get_settings

router = page_router()
DbId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post("/cases/{case_id}/evidence", status_code=201)
async def upload(request: Request, case_id: DbId, user: WebUser):
    """The streamed multipart upload of the API; the page's script sends the CSRF token as a header."""
    state = request.app.state
    return await uploads.upload(request, state.runtime.engine, get_store(request), get_settings(), user, case_id)


@router.get("/documents/{document_id}/download")
def document_download(request: Request, document_id: DbId, user: WebUser,
                      format: Annotated[documents.Format, Query()] = "docx"):
    state = request.app.state
    return download_response(documents.download(state.runtime.engine, get_store(request), get_settings(), user,
                                                document_id, format))


@router.get("/evidence/{evidence_id}/download")
def evidence_download(request: Request, evidence_id: DbId, user: WebUser):
    return download_response(uploads.download(request.app.state.runtime.engine, get_store(request), user, evidence_id))


@router.get("/evidence/{evidence_id}/thumbnail")
def evidence_thumbnail(request: Request, evidence_id: DbId, user: WebUser):
    image = previews.thumbnail(request.app.state.runtime.engine, get_store(request), user, evidence_id)
    return Response(image, media_type="image/jpeg")


@router.get("/evidence/{evidence_id}/preview.pdf")
def evidence_pdf(request: Request, evidence_id: DbId, user: WebUser):
    """The PDF for pdf.js in the page (inline, same origin)."""
    return download_response(previews.open_pdf(request.app.state.runtime.engine, get_store(request), user, evidence_id))
