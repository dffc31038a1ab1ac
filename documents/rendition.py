"""Render issued documents to .docx (and PDF where LibreOffice runs), off the request path.

A pass picks a document not yet rendered, renders it from its stored snapshot
and writes the file to object storage with no transaction open (on SQLite a
write transaction would hold up every step for the length of a LibreOffice
conversion), then records the file in a short transaction that succeeds only
if the document still has none. A worker that loses that race leaves its
object unreferenced for `zhifa storage gc` and moves on.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import select

from documents.models import IssuedDocument
from documents.render import render_docx
from engine import record
from engine.db import read_session, transaction
from engine.models import Actor, Case
from engine.objects import ObjectStore
from engine.vocab import CaseStatus

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def render_pending(engine: sa.Engine, store: ObjectStore, limit: int = 50, retain_until=None) -> int:
    """Render up to `limit` documents to .docx; returns how many were rendered."""
    return _rendition_pass(engine, store, "docx", DOCX_TYPE, lambda document: render_docx(document.snapshot),
                           limit=limit, retain_until=retain_until)


def convert_pending(engine: sa.Engine, store: ObjectStore, converter, limit: int = 10, retain_until=None) -> int:
    """Convert rendered .docx files to PDF through a running LibreOffice; returns how many were converted."""

    def produce(document: IssuedDocument) -> bytes:
        with store.open(document.docx_object_key) as source:
            return converter.convert(source.read())

    return _rendition_pass(engine, store, "pdf", "application/pdf", produce, limit=limit, retain_until=retain_until,
                           requires=IssuedDocument.docx_object_key.is_not(None))


def _rendition_pass(engine: sa.Engine, store: ObjectStore, fmt: str, content_type: str,
                    produce: Callable[[IssuedDocument], bytes], *, limit: int, retain_until, requires=None) -> int:
    key_column, sha_column = getattr(IssuedDocument, f"{fmt}_object_key"), getattr(IssuedDocument, f"{fmt}_sha256")
    done, lost = 0, []
    for _ in range(limit):
        with read_session(engine) as session:
            query = select(IssuedDocument).where(key_column.is_(None), IssuedDocument.voided_at.is_(None),
                                                 IssuedDocument.id.not_in(lost or [0]))
            if requires is not None:
                query = query.where(requires)
            document = session.exec(query.order_by(IssuedDocument.id).limit(1)).first()
        if document is None:
            break
        stored = store.put_stream(io.BytesIO(produce(document)), max_bytes=MAX_DOCUMENT_BYTES, content_type=content_type)
        with transaction(engine) as session:
            won = session.execute(sa.update(IssuedDocument)
                                  .where(IssuedDocument.id == document.id, key_column.is_(None))
                                  .values({key_column: stored.key, sha_column: stored.sha256})).rowcount
            if not won:
                lost.append(document.id)
                continue
            if retain_until is not None and session.get(Case, document.case_id).status == CaseStatus.archived:
                store.set_retention(stored.key, retain_until())  # an archived file's objects are locked at once
            suffix = " (PDF)" if fmt == "pdf" else ""
            record.append_event(session, case_id=document.case_id, kind="document_rendered", actor=Actor.system(),
                                inputs={"document_id": document.id, "format": fmt},
                                outputs=[{"name": f"{document.title} {document.number or ''}".strip() + suffix,
                                          "sha256": stored.sha256}])
        done += 1
    return done
