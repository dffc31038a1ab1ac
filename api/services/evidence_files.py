"""Evidence over HTTP: a streamed upload (see `evidence_upload_form`), the case's list, recorded downloads."""

from __future__ import annotations

from functools import partial

import sqlalchemy as sa
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from api import authz, schemas
from api.downloads import Download
from api.identity.models import User
from api.identity.service import acting_role, actor_for
from api.services.evidence_upload_form import StreamedForm, request_body, stream_into_store
from documents.evidence.custody import (
    evidence_target,
    list_evidence,
    open_evidence_for_download,
    record_evidence,
    record_evidence_download,
    store_evidence_file,
)
from documents.evidence.models import Evidence
from engine.db import read_session, transaction
from engine.errors import NotFound
from engine.objects import ObjectStore
from engine.settings import Settings


class EvidenceItemOut(schemas.EvidenceOut):
    """An evidence item with everything the collecting officer stated about it."""

    place: str
    gps_lat: float | None
    gps_lon: float | None
    device: str
    description: str
    content_type: str
    uploaded_by_name: str
    transferred_from_id: int | None


def item_out(evidence: Evidence) -> EvidenceItemOut:
    return EvidenceItemOut(
        id=evidence.id, type=evidence.type, type_label=evidence.type_label, filename=evidence.filename,
        size=evidence.size, sha256=evidence.sha256, collected_at=evidence.collected_at,
        collected_by=list(evidence.collected_by), task_id=evidence.task_id, created_at=evidence.created_at,
        place=evidence.place, gps_lat=evidence.gps_lat, gps_lon=evidence.gps_lon, device=evidence.device,
        description=evidence.description, content_type=evidence.content_type,
        uploaded_by_name=evidence.uploaded_by_name, transferred_from_id=evidence.transferred_from_id)


# ---- list and download ---------------------------------------------------------
def list_items(engine: sa.Engine, user: User, case_id: int) -> list[EvidenceItemOut]:
    authz.read_case(engine, user, case_id)
    with read_session(engine) as session:
        return [item_out(e) for e in list_evidence(session, case_id)]


def download(engine: sa.Engine, store: ObjectStore, user: User, evidence_id: int) -> Download:
    """Authorize, then a presigned URL (recorded now) or an open stream (recorded when the response starts)."""
    not_found = NotFound("证据不存在或无权查看", details={"evidence_id": evidence_id})
    with read_session(engine) as session:
        evidence = session.get(Evidence, evidence_id)
        if evidence is None:
            raise not_found
    with authz.hidden_as(not_found):
        authz.read_case(engine, user, evidence.case_id)
    actor = actor_for(user, acting_role(user))
    with read_session(engine) as session:
        opened = open_evidence_for_download(session, store, evidence_id, actor, record=False)

    def record_download() -> None:
        with transaction(engine) as session:
            record_evidence_download(session, opened, actor)

    if opened.url is not None:  # the redirect is the whole response
        record_download()
        return Download(filename=evidence.filename, content_type=evidence.content_type, url=opened.url)
    return Download(filename=evidence.filename, content_type=evidence.content_type, stream=opened.stream,
                    on_start=record_download)


# ---- upload --------------------------------------------------------------------
async def upload(request: Request, engine: sa.Engine, store: ObjectStore, settings: Settings, user: User,
                 case_id: int, *, alongside=None) -> EvidenceItemOut:
    """Authorize and check the case, read the fields, stream the file into the store, then record it."""
    await run_in_threadpool(_check_case, engine, user, case_id)
    form = StreamedForm(request.headers.get("content-type"))
    body = request_body(request)
    await form.read_fields(body)
    fields = form.upload_form()
    target = await run_in_threadpool(_check_target, engine, case_id, fields.task_id)
    put = partial(store_evidence_file, store, fields.meta, expected_sha256=fields.sha256, settings=settings)
    stored = await stream_into_store(form, body, put)
    actor = actor_for(user, acting_role(user))
    return await run_in_threadpool(_record, engine, user, target, fields.meta, stored, actor, alongside)


def _check_case(engine: sa.Engine, user: User, case_id: int) -> None:
    with read_session(engine) as session:
        authz.visible_case(session, user, case_id)
        evidence_target(session, case_id, None)


def _check_target(engine: sa.Engine, case_id: int, task_id: str | None):
    with read_session(engine) as session:
        return evidence_target(session, case_id, task_id)


def _record(engine, user, target, meta, stored, actor, alongside) -> EvidenceItemOut:
    with transaction(engine) as session:
        authz.visible_case(session, user, target.case_id)
        item = item_out(record_evidence(session, target, meta, stored, actor))
        if alongside is not None:
            alongside(session, item)
        return item
