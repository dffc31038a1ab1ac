"""The public's view of 行政执法公示: current publications, withdrawal notices and the power list, no login (DOMAIN.md §9).

Only the redacted text and the publication's own opaque `public_id` leave here: no case id, row id
or anything else that leads into the authenticated API. A withdrawn publication's text is never
returned; its withdrawal notice (title, date, published reason) is.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import select

from api import schemas
from api.services.form_choices import violation_out
from documents.publication.models import Publication
from engine.db import read_session
from engine.rules.violations import catalogue

MAX_PAGE_SIZE = 100
KIND_LABELS = {"penalty_decision": "行政处罚决定", "other_decision": "其他行政执法决定", "inspection_result": "随机抽查结果",
               "onsite_measures": "其他行政执法决定（现场处理措施）"}


class PublicationOut(BaseModel):
    public_id: str = Field(description="公示编号（不对应案件或内部编号）")
    kind: str
    kind_label: str
    title: str
    text: str = Field(description="依法隐去个人信息后的公示内容")
    sha256: str
    published_at: datetime


class WithdrawalOut(BaseModel):
    public_id: str
    title: str
    withdrawn_at: datetime
    reason: str = Field(description="撤回理由（公开说明）")


class PublicationPage(BaseModel):
    items: list[PublicationOut]
    total: int
    page: int
    page_size: int
    withdrawals: list[WithdrawalOut] = Field(description="已撤回的公示及撤回理由（不含原公示内容）")


def _matching(query, q: str | None, *columns):
    if not q:
        return query
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(sa.or_(*(column.like(pattern, escape="\\") for column in columns)))


def public_page(engine: sa.Engine, *, q: str | None = None, page: int = 1, page_size: int = 20) -> PublicationPage:
    """One page of current publications, newest first, and the withdrawal notices matching `q`."""
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    current = _matching(select(Publication).where(Publication.withdrawn_at.is_(None)), q,
                        Publication.title, Publication.text)
    withdrawn = _matching(select(Publication).where(Publication.withdrawn_at.is_not(None)), q,
                          Publication.title, Publication.withdrawal_reason)
    with read_session(engine) as session:
        total = session.exec(select(sa.func.count()).select_from(current.subquery())).one()
        rows = session.exec(current.order_by(Publication.published_at.desc(), Publication.id.desc())
                            .offset((page - 1) * page_size).limit(page_size)).all()
        notices = session.exec(withdrawn.order_by(Publication.withdrawn_at.desc()).limit(MAX_PAGE_SIZE)).all()
        items = [PublicationOut(public_id=row.public_id, kind=row.kind, kind_label=KIND_LABELS.get(row.kind, row.kind),
                                title=row.title, text=row.text, sha256=row.text_sha256, published_at=row.published_at)
                 for row in rows]
        withdrawals = [WithdrawalOut(public_id=row.public_id, title=row.title, withdrawn_at=row.withdrawn_at,
                                     reason=row.withdrawal_reason or "") for row in notices]
    return PublicationPage(items=items, total=total, page=page, page_size=page_size, withdrawals=withdrawals)


class PowerPage(BaseModel):
    """The published power list (行政处罚权责清单): the violation catalogue the agencies enforce."""

    items: list[schemas.ViolationOut]
    total: int
    page: int
    page_size: int


def public_powers(*, q: str | None = None, page: int = 1, page_size: int = 20) -> PowerPage:
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    powers = [violation for violation in catalogue().values()
              if not q or any(q in text for text in (violation.code, violation.title_zh, violation.violated_provision,
                                                      violation.penalty_provision))]
    shown = powers[(page - 1) * page_size:page * page_size]
    return PowerPage(items=[violation_out(v) for v in shown], total=len(powers), page=page, page_size=page_size)
