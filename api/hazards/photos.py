"""Hazard photos: uploaded by the reporter (a grid member, or a citizen with the receipt code) into the case's
evidence, each size-limited and hashed as it is stored; read back streamed from the object store, never whole.

Each read is a download of the case's evidence on its record, as evidence downloads are (api.services.evidence_files).
"""

from __future__ import annotations

from typing import BinaryIO

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import select

from api import authz
from api.downloads import Download
from api.hazards.models import HazardReport
from api.hazards.reports import CITIZEN, by_receipt, find_report
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from documents.evidence.custody import EvidenceDownload, evidence_target, record_evidence, record_evidence_download
from documents.evidence.models import Evidence, EvidenceMeta, EvidenceType
from engine import clock
from engine.db import read_session, transaction
from engine.errors import NotFound, ValidationFailed
from engine.models import Actor
from engine.objects import ObjectStore
from engine.runtime import Runtime
from engine.vocab import Role

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}
MAX_PHOTO_BYTES = 10 * 1024**2
MAX_PHOTOS = 9


class PhotoOut(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int
    sha256: str = Field(description="照片文件的 SHA-256(上传时计算)")


# ---- upload ----------------------------------------------------------------------
def add_grid_photo(runtime: Runtime, store: ObjectStore, user: User, report_id: int, filename: str,
                   content_type: str, stream: BinaryIO, sha256: str | None = None) -> PhotoOut:
    with read_session(runtime.engine) as session:
        report = find_report(session, report_id)
        if report.reporter_user_id != user.id:
            raise NotFound("隐患报告不存在或无权查看", details={"report_id": report_id})
    return _add(runtime, store, report, actor_for(user, Role.grid_member), filename, content_type, stream, sha256)


def add_citizen_photo(runtime: Runtime, store: ObjectStore, receipt_code: str, filename: str, content_type: str,
                      stream: BinaryIO, sha256: str | None = None) -> PhotoOut:
    with read_session(runtime.engine) as session:
        report = by_receipt(session, receipt_code)
    return _add(runtime, store, report, CITIZEN, filename, content_type, stream, sha256)


def _add(runtime: Runtime, store: ObjectStore, report: HazardReport, actor: Actor, filename: str,
         content_type: str, stream: BinaryIO, sha256: str | None) -> PhotoOut:
    if content_type not in PHOTO_TYPES:
        raise ValidationFailed("只能上传照片(JPEG、PNG、WebP 或 HEIC)", code="hazard_photo_type",
                               details={"content_type": content_type[:80]})
    with read_session(runtime.engine) as session:
        count = session.exec(select(sa.func.count(Evidence.id)).where(Evidence.case_id == report.case_id)).one()
        if count >= MAX_PHOTOS:
            raise ValidationFailed(f"每个隐患报告最多上传 {MAX_PHOTOS} 张照片", code="hazard_photo_count")
        evidence_target(session, report.case_id, None)
    meta = EvidenceMeta(type=EvidenceType.electronic_data, collected_by=[actor.name], collected_at=clock.now(),
                        place=report.place, gps_lat=report.gps_lat, gps_lon=report.gps_lon,
                        description="隐患现场照片", filename=filename, content_type=content_type)
    stored = store.put_stream(stream, max_bytes=MAX_PHOTO_BYTES, expected_sha256=sha256, content_type=content_type)
    with transaction(runtime.engine) as session:
        return _out(record_evidence(session, evidence_target(session, report.case_id, None), meta, stored, actor))


# ---- reading ---------------------------------------------------------------------
def list_photos(runtime: Runtime, user: User, report_id: int) -> list[PhotoOut]:
    report, _actor = _readable(runtime, user, report_id)
    with read_session(runtime.engine) as session:
        rows = session.exec(select(Evidence).where(Evidence.case_id == report.case_id).order_by(Evidence.id))
        return [_out(row) for row in rows]


def open_photo(runtime: Runtime, store: ObjectStore, user: User, report_id: int, photo_id: int) -> Download:
    """The photo streamed from the store (read in chunks as the response goes out); the read is recorded when the
    response starts."""
    report, actor = _readable(runtime, user, report_id)
    with read_session(runtime.engine) as session:
        photo = session.get(Evidence, photo_id)
        if photo is None or photo.case_id != report.case_id:
            raise NotFound("照片不存在或无权查看", details={"photo_id": photo_id})
        session.expunge(photo)
    stream = store.open(photo.object_key)

    def record_read() -> None:
        with transaction(runtime.engine) as session:
            record_evidence_download(session, EvidenceDownload(evidence=photo, url=None, stream=stream), actor)

    return Download(filename=photo.filename, content_type=photo.content_type, stream=stream, on_start=record_read)


def _readable(runtime: Runtime, user: User, report_id: int) -> tuple[HazardReport, Actor]:
    """The report's own grid member, or whoever may read its case (the township, the county, summoned departments)."""
    with read_session(runtime.engine) as session:
        report = find_report(session, report_id)
    if report.reporter_user_id is not None and report.reporter_user_id == user.id:
        return report, actor_for(user, Role.grid_member)
    with authz.hidden_as(NotFound("隐患报告不存在或无权查看", details={"report_id": report_id})):
        authz.read_case(runtime.engine, user, report.case_id)
    return report, actor_for(user, acting_role(user))


def _out(evidence: Evidence) -> PhotoOut:
    return PhotoOut(id=evidence.id, filename=evidence.filename, content_type=evidence.content_type,
                    size=evidence.size, sha256=evidence.sha256)
