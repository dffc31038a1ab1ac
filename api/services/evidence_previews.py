"""Evidence seen in the page: image thumbnails and PDF previews.

A thumbnail is made on request from the stored image (Pillow), for images only, after the same
scope check as reading the case; it is not recorded: the case page shows every thumbnail on each
visit, and a thumbnail is not the evidence. Opening a PDF in the page shows the whole item, so it is
recorded as `evidence_downloaded` with `via: "preview"`. Both are streamed through the application
(a presigned S3 address would be another origin, which the pages' CSP does not allow to fetch).
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import select

from api import authz
from api.downloads import Download
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from documents.evidence.models import Evidence
from engine.db import read_session, transaction
from engine.errors import InvalidState, NotFound
from engine.objects import ObjectStore
from engine.record import append_event

THUMBNAIL_SIZE = (320, 320)
PDF = "application/pdf"
# what Pillow decodes without plugins; a phone's HEIC photo gets no thumbnail, only its download link
THUMBNAIL_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/tiff"}


def preview_kind(content_type: str) -> str | None:
    """"image" (a thumbnail), "pdf" (a preview in the page) or None."""
    if content_type in THUMBNAIL_TYPES:
        return "image"
    return "pdf" if content_type == PDF else None


def case_preview_kinds(engine: sa.Engine, user: User, case_id: int) -> dict[int, str]:
    """The case's evidence items that can be seen in the page, by id."""
    with read_session(engine) as session:
        authz.visible_case(session, user, case_id)
        rows = session.exec(select(Evidence.id, Evidence.content_type).where(Evidence.case_id == case_id)).all()
    return {evidence_id: kind for evidence_id, content_type in rows if (kind := preview_kind(content_type))}


def _visible_evidence(engine: sa.Engine, user: User, evidence_id: int, kind: str) -> Evidence:
    with read_session(engine) as session:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None:
            raise NotFound("证据不存在", details={"evidence_id": evidence_id})
        authz.visible_case(session, user, evidence.case_id)
    if preview_kind(evidence.content_type) != kind:
        raise NotFound("该证据没有可在页面中显示的预览", code="no_preview", details={"evidence_id": evidence_id})
    return evidence


def thumbnail(engine: sa.Engine, store: ObjectStore, user: User, evidence_id: int) -> bytes:
    """A JPEG no larger than THUMBNAIL_SIZE, turned upright by its EXIF orientation; not recorded."""
    evidence = _visible_evidence(engine, user, evidence_id, "image")
    with store.open(evidence.object_key) as stream:
        try:
            with Image.open(stream) as image:
                image = ImageOps.exif_transpose(image)
                image.thumbnail(THUMBNAIL_SIZE)
                out = io.BytesIO()
                image.convert("RGB").save(out, "JPEG", quality=80)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
            raise InvalidState("该图片无法生成缩略图, 请下载原件查看", code="thumbnail_failed",
                               details={"evidence_id": evidence_id}) from exc
    return out.getvalue()


def open_pdf(engine: sa.Engine, store: ObjectStore, user: User, evidence_id: int) -> Download:
    """The PDF streamed for the in-page preview; the reading is in the case record once this returns."""
    evidence = _visible_evidence(engine, user, evidence_id, "pdf")
    authz.read_case(engine, user, evidence.case_id)  # a supervisor's review read is recorded too
    stream = store.open(evidence.object_key)
    try:
        with transaction(engine) as session:
            append_event(session, case_id=evidence.case_id, kind="evidence_downloaded",
                         actor=actor_for(user, acting_role(user)),
                         inputs={"evidence_id": evidence.id, "via": "preview"},
                         outputs=[{"name": evidence.filename, "sha256": evidence.sha256}])
    except BaseException:
        stream.close()
        raise
    return Download(filename=evidence.filename, content_type=PDF, stream=stream)
