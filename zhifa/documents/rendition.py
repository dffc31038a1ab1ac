"""Render issued documents to .docx (and PDF where LibreOffice runs), off the request path.

The worker claims documents not yet rendered (`FOR UPDATE SKIP LOCKED`, so
several workers share them), renders each from its stored snapshot, writes the
file to object storage and records its SHA-256 in a record event.
"""

from __future__ import annotations

import io
import logging

import sqlalchemy as sa
from sqlmodel import select

from zhifa.documents.models import IssuedDocument
from zhifa.documents.render import render_docx
from zhifa.engine import record
from zhifa.engine.db import transaction
from zhifa.engine.models import Actor, Case
from zhifa.engine.objects import ObjectStore
from zhifa.vocab import CaseStatus

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def _claim(session, column, *conditions):
    query = (select(IssuedDocument).where(column.is_(None), IssuedDocument.voided_at.is_(None), *conditions)
             .order_by(IssuedDocument.id).limit(1).with_for_update(skip_locked=True))
    return session.exec(query).first()


def _store(session, store: ObjectStore, document: IssuedDocument, content: bytes, content_type: str, retain_until):
    """Write a rendition; a document of an already archived case is locked at once like the rest of its file."""
    stored = store.put_stream(io.BytesIO(content), max_bytes=MAX_DOCUMENT_BYTES, content_type=content_type)
    case = session.get(Case, document.case_id)
    if retain_until is not None and case.status == CaseStatus.archived:
        store.set_retention(stored.key, retain_until())
    return stored


def render_pending(engine: sa.Engine, store: ObjectStore, limit: int = 50, retain_until=None) -> int:
    """Render up to `limit` documents to .docx; returns how many were rendered."""
    done = 0
    for _ in range(limit):
        with transaction(engine) as session:
            document = _claim(session, IssuedDocument.docx_object_key)
            if document is None:
                break
            stored = _store(session, store, document, render_docx(document.snapshot), DOCX_TYPE, retain_until)
            document.docx_object_key, document.docx_sha256 = stored.key, stored.sha256
            session.add(document)
            record.append_event(session, case_id=document.case_id, kind="document_rendered", actor=Actor.system(),
                                inputs={"document_id": document.id, "format": "docx"},
                                outputs=[{"name": f"{document.title} {document.number or ''}".strip(), "sha256": stored.sha256}])
        done += 1
    return done


def convert_pending(engine: sa.Engine, store: ObjectStore, converter, limit: int = 10, retain_until=None) -> int:
    """Convert rendered .docx files to PDF through a running LibreOffice; returns how many were converted."""
    done = 0
    for _ in range(limit):
        with transaction(engine) as session:
            document = _claim(session, IssuedDocument.pdf_object_key, IssuedDocument.docx_object_key.is_not(None))
            if document is None:
                break
            with store.open(document.docx_object_key) as source:
                pdf = converter.convert(source.read())
            stored = _store(session, store, document, pdf, "application/pdf", retain_until)
            document.pdf_object_key, document.pdf_sha256 = stored.key, stored.sha256
            session.add(document)
            record.append_event(session, case_id=document.case_id, kind="document_rendered", actor=Actor.system(),
                                inputs={"document_id": document.id, "format": "pdf"},
                                outputs=[{"name": f"{document.title} {document.number or ''} (PDF)".strip(), "sha256": stored.sha256}])
        done += 1
    return done
