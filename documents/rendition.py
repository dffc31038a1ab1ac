"""Render issued documents to .docx (and PDF where LibreOffice runs), off the request path.

A pass claims one document at a time (engine.work_items: a lease taken with `FOR UPDATE SKIP
LOCKED` on PostgreSQL, so two workers never render one document twice), renders it from its stored
snapshot and writes the file to object storage with no transaction open (on SQLite a write
transaction would hold up every step for the length of a LibreOffice conversion), then records the
file in a short transaction. A document that fails is kept aside with its error and retried after a
backoff; the pass goes on with the others. A file rendered for an archived case gets its retention
through the outbox (engine.outbox), applied after the record commits.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import sqlalchemy as sa
from sqlmodel import Session

from documents.models import IssuedDocument
from documents.render import render_docx
from documents.signatures import stored_image
from engine import record
from engine.models import Actor, Case
from engine.objects import ObjectStore, StoredObject
from engine.outbox import enqueue_retention
from engine.vocab import CaseStatus
from engine.work_items import LeasedPass

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


def render_pending(engine: sa.Engine, store: ObjectStore, limit: int = 50, retain_until=None) -> int:
    """Render up to `limit` documents to .docx; returns how many were rendered."""
    images = partial(stored_image, store)
    return _rendition_pass(engine, store, "docx", DOCX_TYPE, lambda document: render_docx(document.snapshot, images=images),
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
    key_column = getattr(IssuedDocument, f"{fmt}_object_key")
    conditions = (key_column.is_(None), IssuedDocument.voided_at.is_(None)) + ((requires,) if requires is not None else ())

    def work(document: IssuedDocument) -> StoredObject:
        return store.put_stream(io.BytesIO(produce(document)), max_bytes=MAX_DOCUMENT_BYTES, content_type=content_type)

    return LeasedPass(fmt, IssuedDocument, work, partial(_record, fmt, retain_until), conditions).run(engine, limit)


def _record(fmt: str, retain_until, session: Session, document: IssuedDocument, stored: StoredObject) -> bool:
    """Record the file if the document still has none; a late duplicate is left unreferenced for gc."""
    key_column, sha_column = getattr(IssuedDocument, f"{fmt}_object_key"), getattr(IssuedDocument, f"{fmt}_sha256")
    won = session.execute(sa.update(IssuedDocument).where(IssuedDocument.id == document.id, key_column.is_(None))
                          .values({key_column: stored.key, sha_column: stored.sha256})).rowcount
    if not won:
        return False
    if retain_until is not None and session.get(Case, document.case_id).status == CaseStatus.archived:
        enqueue_retention(session, document.case_id, {stored.key: stored.sha256}, retain_until())
    suffix = " (PDF)" if fmt == "pdf" else ""
    record.append_event(session, case_id=document.case_id, kind="document_rendered", actor=Actor.system(),
                        inputs={"document_id": document.id, "format": fmt},
                        outputs=[{"name": f"{document.title} {document.number or ''}".strip() + suffix,
                                  "sha256": stored.sha256}])
    return True
