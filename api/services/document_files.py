"""Issued documents over HTTP: the case's list and recorded downloads of the rendered files.

Documents are streamed through the application from either store (they are small), so the
response always carries the document's Chinese file name; a presigned S3 URL would serve the
bare object key.
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from sqlmodel import select

from api import authz, schemas
from api.downloads import Download
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from documents.evidence.models import sanitize_filename
from documents.models import IssuedDocument
from documents.pdf import pdf_status
from documents.rendition import DOCX_TYPE
from engine import record
from engine.db import read_session, transaction
from engine.errors import InvalidState, NotFound
from engine.objects import ObjectStore
from engine.settings import Settings

Format = Literal["docx", "pdf"]
CONTENT_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}


class DocumentFileOut(schemas.DocumentOut):
    """An issued document with the files the worker has rendered so far."""

    formats: list[Format]
    docx_sha256: str | None
    pdf_sha256: str | None


def _file(document: IssuedDocument, fmt: Format) -> tuple[str | None, str | None]:
    if fmt == "docx":
        return document.docx_object_key, document.docx_sha256
    return document.pdf_object_key, document.pdf_sha256


def document_out(document: IssuedDocument) -> DocumentFileOut:
    return DocumentFileOut(
        id=document.id, doc_id=document.doc_id, title=document.title, number=document.number,
        issued_at=document.issued_at, voided=document.voided_at is not None,
        revoked=document.revoked_at is not None, revoked_by=document.revoked_by,
        formats=[fmt for fmt in CONTENT_TYPES if _file(document, fmt)[0]],
        docx_sha256=document.docx_sha256, pdf_sha256=document.pdf_sha256)


def filename(document: IssuedDocument, fmt: Format) -> str:
    name = f"{document.title} {document.number}" if document.number else document.title
    return sanitize_filename(f"{name}.{fmt}")


def list_documents(engine: sa.Engine, user: User, case_id: int) -> list[DocumentFileOut]:
    authz.read_case(engine, user, case_id)
    with read_session(engine) as session:
        rows = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case_id).order_by(IssuedDocument.id))
        return [document_out(d) for d in rows]


def download(engine: sa.Engine, store: ObjectStore, settings: Settings, user: User, document_id: int,
             fmt: Format) -> Download:
    """Authorize and open the rendered file; the download (`document_downloaded`) is recorded when the response starts."""
    not_found = NotFound("文书不存在或无权查看", details={"document_id": document_id})
    with read_session(engine) as session:
        document = session.get(IssuedDocument, document_id)
        if document is None:
            raise not_found
    with authz.hidden_as(not_found):
        authz.read_case(engine, user, document.case_id)
    key, sha256 = _file(document, fmt)
    if key is None:
        raise _not_available(document, fmt, settings)
    name = filename(document, fmt)
    actor = actor_for(user, acting_role(user))

    def record_download() -> None:
        with transaction(engine) as session:
            record.append_event(session, case_id=document.case_id, kind="document_downloaded", actor=actor,
                                inputs={"document_id": document.id, "format": fmt},
                                outputs=[{"name": name, "sha256": sha256}])

    return Download(filename=name, content_type=CONTENT_TYPES[fmt], stream=store.open(key), on_start=record_download)


def _not_available(document: IssuedDocument, fmt: Format, settings: Settings) -> InvalidState:
    details = {"document_id": document.id, "format": fmt}
    if document.voided_at is not None:
        return InvalidState("该文书已作废, 未生成文件", code="document_voided", details=details)
    if fmt == "pdf" and not settings.pdf_rendition:
        return InvalidState("本系统未启用 PDF 转换, 请下载 Word(.docx)版本", code="pdf_unavailable", details=details)
    if fmt == "pdf" and not pdf_status(settings.uno_dir).available:
        return InvalidState("未安装 PDF 转换, 请下载 Word(.docx)版本(安装方法见 README「PDF 转换」)", code="pdf_unavailable",
                            details=details)
    label = "PDF" if fmt == "pdf" else "Word(.docx)"
    return InvalidState(f"文书的{label}文件尚未生成, 请稍后再试", code="not_rendered", details=details)
