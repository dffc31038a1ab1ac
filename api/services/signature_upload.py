"""The party's signature drawn on the task page, stored as a PNG evidence item of the case (documents.signatures).

The page posts the canvas as the request body (`image/png`) when the form is submitted, then submits the form
with the item's id. The body is read up to the signature's size limit and must be a PNG of sensible
dimensions, so what the document renderer later embeds is an image it can place. A retry of the same
drawing (its answer lost on a dropped connection) is answered with the item the first attempt made
(custody.record_evidence deduplicates by SHA-256).
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from api import authz
from api.identity.models import User
from api.identity.service import actor_for
from documents.evidence.custody import EvidenceTarget, evidence_target, record_evidence
from documents.evidence.models import EvidenceMeta, EvidenceType
from documents.signatures import SIGNATURE_MAX_BYTES, SIGNATURE_TYPE
from engine import clock
from engine.db import read_session, transaction
from engine.errors import TooLarge, ValidationFailed
from engine.objects import ObjectStore
from engine.vocab import Role

MAX_PIXELS = (3000, 1500)  # a phone's canvas at three device pixels per CSS pixel fits


class SignatureOut(BaseModel):
    evidence_id: int
    sha256: str


async def upload(request: Request, engine: sa.Engine, store: ObjectStore, user: User, task_id: str) -> SignatureOut:
    target = await run_in_threadpool(_target, engine, user, task_id)
    png = _checked_png(await _body(request))
    meta = EvidenceMeta(type=EvidenceType.electronic_data, collected_by=[user.display_name], collected_at=clock.now(),
                        device="执法终端签名板", description=f"当事人签名({target.task_name})",
                        filename="当事人签名.png", content_type=SIGNATURE_TYPE)
    stored = await run_in_threadpool(lambda: store.put_stream(io.BytesIO(png), max_bytes=SIGNATURE_MAX_BYTES,
                                                              content_type=SIGNATURE_TYPE))
    return await run_in_threadpool(_record, engine, user, task_id, target, meta, stored)


def _target(engine: sa.Engine, user: User, task_id: str) -> EvidenceTarget:
    """Only an officer who may complete the task collects its party's signature."""
    with read_session(engine) as session:
        task, case = authz.visible_task(session, user, task_id)
        authz.task_authorizer(user.id)(session, case, task)
        return evidence_target(session, case.id, task.id)


async def _body(request: Request) -> bytes:
    if request.headers.get("content-type", "").split(";")[0].strip() != SIGNATURE_TYPE:
        raise ValidationFailed("签名须以 PNG 图片上传", code="signature_not_png")
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > SIGNATURE_MAX_BYTES:
                raise TooLarge(f"签名图片不能超过 {SIGNATURE_MAX_BYTES // 1024} KB", code="signature_too_large")
    except ClientDisconnect:
        raise ValidationFailed("签名上传不完整(连接中断), 请再次提交", code="upload_incomplete") from None
    return bytes(body)


def _checked_png(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            fits = image.format == "PNG" and image.width <= MAX_PIXELS[0] and image.height <= MAX_PIXELS[1]
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        fits = False
    if not fits:
        raise ValidationFailed("签名图片不是有效的 PNG 图片", code="signature_not_png")
    return data


def _record(engine: sa.Engine, user: User, task_id: str, target: EvidenceTarget, meta: EvidenceMeta, stored) -> SignatureOut:
    with transaction(engine) as session:
        task, case = authz.visible_task(session, user, task_id)
        authz.task_authorizer(user.id)(session, case, task)
        evidence = record_evidence(session, target, meta, stored, actor_for(user, Role(task.role)))
        return SignatureOut(evidence_id=evidence.id, sha256=evidence.sha256)
