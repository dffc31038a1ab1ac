"""The public pages of 行政执法公示 (/public/publications) and the power list (/public/powers): no login, read-only,
the same data as the JSON feeds."""

from __future__ import annotations

from fastapi import Depends, Query, Request

from api.rate_limit import public_rate_limit
from api.services import publications
from api.web.routing import page_router
from api.web.templating import render

router = page_router(dependencies=[Depends(public_rate_limit)])
PAGE_SIZE = 20


@router.get("/public/publications")
def public_publications(request: Request, q: str | None = Query(None, max_length=100), page: int = Query(1, ge=1, le=100000)):
    result = publications.public_page(request.app.state.runtime.engine, q=q, page=page, page_size=PAGE_SIZE)
    pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render(request, "public_publications.html", result=result, q=q or "", pages=pages)


@router.get("/public/powers")
def public_powers(request: Request, q: str | None = Query(None, max_length=100), page: int = Query(1, ge=1, le=100000)):
    result = publications.public_powers(q=q, page=page, page_size=PAGE_SIZE)
    pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render(request, "public_powers.html", result=result, q=q or "", pages=pages)
