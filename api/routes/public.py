"""The public JSON feed of 行政执法公示: no login, read-only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from api.deps import RuntimeDep
from api.error_responses import ERROR_RESPONSES
from api.rate_limit import public_rate_limit
from api.services import publications
from api.services.publications import MAX_PAGE_SIZE, PowerPage, PublicationPage

router = APIRouter(tags=["行政执法公示"], dependencies=[Depends(public_rate_limit)],
                   responses={429: ERROR_RESPONSES[429]})  # rate limited per client address


@router.get("/public/publications", response_model=PublicationPage, summary="行政执法公示（无需登录）")
def public_publications(runtime: RuntimeDep, q: str | None = Query(None, max_length=100, description="检索标题或内容"),
                        page: int = Query(1, ge=1, le=100000), page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE)):
    return publications.public_page(runtime.engine, q=q, page=page, page_size=page_size)


@router.get("/public/powers", response_model=PowerPage, summary="行政处罚权责清单（无需登录）")
def public_powers(q: str | None = Query(None, max_length=100, description="检索代码、违法行为或条款"),
                  page: int = Query(1, ge=1, le=100000), page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE)):
    return publications.public_powers(q=q, page=page, page_size=page_size)
