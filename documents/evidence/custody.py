"""Evidence operations; each appends a record event, so the record is the chain of custody.

Authorization is not checked here: callers (the HTTP API through `api.authz`) decide who may
act on the case before calling. These functions keep the domain rules: the case accepts new
evidence, a task belongs to its case, a transfer goes to another case.

Transactions: every function works inside the caller's session and never commits. An upload is
three steps, `evidence_target` (checks), `store_evidence_file` (the stream, no database) and
`record_evidence` (row and custody event, re-checking the target); `upload_evidence` runs them in
one session. A caller streaming a large file runs them in two short transactions around the
stream instead, so no transaction (nor SQLite's write lock) is held during the upload. An object
stored before a failed commit is unreferenced and `zhifa storage gc` removes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO

from sqlmodel import Session, select

from documents.evidence.models import OBJECT_REFERENCES, Evidence, EvidenceMeta, EvidenceType, sanitize_filename
from engine import casestore, clock
from engine.errors import Conflict, InvalidState, NotFound, ValidationFailed
from engine.models import Actor, Case, Task
from engine.objects import ObjectStore, Readable, StoredObject
from engine.outbox import enqueue_retention
from engine.record import append_event
from engine.settings import Settings, get_settings
from engine.vocab import CaseStatus

DOWNLOAD_URL_LIFETIME = timedelta(minutes=5)
CLOSED_TO_NEW_EVIDENCE = {CaseStatus.archived, CaseStatus.cancelled}


@dataclass(frozen=True)
class EvidenceDownload:
    """Either a short-lived URL to redirect to (S3) or an open stream to send (local store)."""

    evidence: Evidence
    url: str | None
    stream: BinaryIO | None


def max_upload_bytes(evidence_type: EvidenceType, settings: Settings | None = None) -> int:
    settings = settings or get_settings()
    return settings.evidence_max_bytes_by_type.get(evidence_type.value, settings.evidence_max_bytes_default)


@dataclass(frozen=True)
class EvidenceTarget:
    """Where a new item goes: a case open to evidence and optionally one of its tasks."""

    case_id: int
    task_id: str | None
    task_name: str | None


def evidence_target(session: Session, case_id: int, task_id: str | None) -> EvidenceTarget:
    """Check the case accepts new evidence and the task (if any) is one of its steps."""
    _check_open(_case(session, case_id))
    return EvidenceTarget(case_id=case_id, task_id=task_id, task_name=_task_name(session, case_id, task_id))


def store_evidence_file(
    store: ObjectStore,
    meta: EvidenceMeta,
    stream: Readable | Iterable[bytes],
    *,
    expected_sha256: str | None,
    settings: Settings | None = None,
) -> StoredObject:
    """Stream the file into the store under the size limit of its evidence type, checking the hash."""
    return store.put_stream(
        stream,
        max_bytes=max_upload_bytes(meta.type, settings),
        expected_sha256=expected_sha256,
        content_type=meta.content_type,
    )


def record_evidence(
    session: Session,
    target: EvidenceTarget,
    meta: EvidenceMeta,
    stored: StoredObject,
    actor: Actor,
) -> Evidence:
    """Add the row for a stored file and its `evidence_uploaded` custody event.

    The target is checked again: the case may have been archived while the file streamed. An upload
    retried after its answer was lost (the connection dropped) sends the same bytes again: the item
    that has the same SHA-256 on the same case and step is answered instead of a second one (see
    `same_upload`); the second object stays unreferenced and `zhifa storage gc` removes it.
    """
    target = evidence_target(session, target.case_id, target.task_id)
    casestore.lock_case(session, target.case_id)  # concurrent uploads of one case queue here, so a retry sees the first
    earlier = same_upload(session, target, stored.sha256)
    if earlier is not None:
        return earlier
    evidence = Evidence(
        case_id=target.case_id,
        task_id=target.task_id,
        type=meta.type,
        collected_by=list(meta.collected_by),
        collected_at=meta.collected_at,
        place=meta.place,
        gps_lat=meta.gps_lat,
        gps_lon=meta.gps_lon,
        device=meta.device,
        description=meta.description,
        object_key=stored.key,
        size=stored.size,
        sha256=stored.sha256,
        content_type=meta.content_type,
        filename=sanitize_filename(meta.filename),
        uploaded_by=actor.user_id,
        uploaded_by_name=actor.name,
        created_at=clock.now(),
    )
    session.add(evidence)
    session.flush()
    append_event(
        session,
        case_id=target.case_id,
        kind="evidence_uploaded",
        actor=actor,
        task_id=target.task_id,
        task_name=target.task_name,
        inputs={
            "evidence_id": evidence.id,
            "type": meta.type.label,
            "collected_by": list(meta.collected_by),
            "collected_at": meta.collected_at.isoformat(),
            "place": meta.place,
            "gps": [meta.gps_lat, meta.gps_lon] if meta.gps_lat is not None and meta.gps_lon is not None else None,
            "device": meta.device,
            "description": meta.description,
            "size": stored.size,
        },
        outputs=[{"name": evidence.filename, "sha256": stored.sha256}],
    )
    return evidence


def same_upload(session: Session, target: EvidenceTarget, sha256: str) -> Evidence | None:
    """The item already holding these bytes on this case and step.

    Deduplicating by content rather than by an upload id needs nothing from the client and survives a
    page reload between the attempts. The step is part of the key: the same file attached to another
    step (e.g. the video a coercive step requires) is that step's own item.
    """
    on_task = Evidence.task_id == target.task_id if target.task_id is not None else Evidence.task_id.is_(None)
    return session.exec(select(Evidence).where(Evidence.case_id == target.case_id, Evidence.sha256 == sha256, on_task)
                        .order_by(Evidence.id)).first()


def upload_evidence(
    session: Session,
    store: ObjectStore,
    *,
    case_id: int,
    task_id: str | None,
    meta: EvidenceMeta,
    stream: Readable | Iterable[bytes],
    expected_sha256: str | None,
    actor: Actor,
) -> Evidence:
    """Check the target, stream the file into the store, then add the row: all in the caller's session.

    The session's transaction stays open while the file streams; see the module docstring for
    large files.
    """
    target = evidence_target(session, case_id, task_id)
    stored = store_evidence_file(store, meta, stream, expected_sha256=expected_sha256)
    return record_evidence(session, target, meta, stored, actor)


def open_evidence_for_download(
    session: Session,
    store: ObjectStore,
    evidence_id: int,
    actor: Actor,
    *,
    expires: timedelta = DOWNLOAD_URL_LIFETIME,
    record: bool = True,
) -> EvidenceDownload:
    """A presigned URL (S3) or an open stream (local) for an item the caller was authorized to read.

    The download event is appended only once the store has answered; the caller commits before it
    redirects or starts sending. With `record=False` the caller appends it (`record_evidence_download`) itself,
    e.g. when the response actually starts.
    """
    evidence = _evidence(session, evidence_id)
    url = store.presigned_get(evidence.object_key, expires, filename=evidence.filename, content_type=evidence.content_type)
    stream = None if url is not None else store.open(evidence.object_key)
    download = EvidenceDownload(evidence=evidence, url=url, stream=stream)
    if record:
        record_evidence_download(session, download, actor)
    return download


def record_evidence_download(session: Session, download: EvidenceDownload, actor: Actor) -> None:
    evidence = download.evidence
    append_event(
        session,
        case_id=_case(session, evidence.case_id).id,
        kind="evidence_downloaded",
        actor=actor,
        inputs={"evidence_id": evidence.id, "via": "presigned_url" if download.url else "stream"},
        outputs=[{"name": evidence.filename, "sha256": evidence.sha256}],
    )


def transfer_evidence(session: Session, evidence_id: int, to_case_id: int, actor: Actor) -> Evidence:
    """Attach an item to another case by reference (a new row naming the same object)."""
    source = _evidence(session, evidence_id)
    from_case = _case(session, source.case_id)
    to_case = _case(session, to_case_id)
    _check_open(to_case)
    if to_case.id == from_case.id:
        raise ValidationFailed("证据已属于该案件", code="same_case")
    already = session.exec(
        select(Evidence.id).where(Evidence.case_id == to_case.id, Evidence.object_key == source.object_key)
    ).first()
    if already is not None:
        raise Conflict("该证据已在目标案件中", details={"evidence_id": already})
    kept = set(Evidence.model_fields) - {"id", "case_id", "task_id", "transferred_from_id", "created_at"}
    copy = Evidence(
        **{name: getattr(source, name) for name in kept},
        case_id=to_case.id,
        task_id=None,
        transferred_from_id=source.id,
        created_at=clock.now(),
    )
    session.add(copy)
    session.flush()
    output = [{"name": source.filename, "sha256": source.sha256}]
    append_event(
        session,
        case_id=from_case.id,
        kind="evidence_transferred_out",
        actor=actor,
        inputs={"evidence_id": source.id, "to_case_id": to_case.id, "to_case_number": to_case.number},
        outputs=output,
    )
    append_event(
        session,
        case_id=to_case.id,
        kind="evidence_transferred_in",
        actor=actor,
        inputs={"evidence_id": copy.id, "from_case_id": from_case.id, "from_case_number": from_case.number,
                "from_evidence_id": source.id},
        outputs=output,
    )
    return copy


def archive_retention(session: Session, case_id: int, until: datetime) -> list[str]:
    """Ask for COMPLIANCE retention on every object of the case (evidence and any registered table).

    Only an outbox entry is written here, in the caller's transaction: the worker applies it once
    that transaction has committed (engine.outbox) and records `objects_retained` in the case's record.
    """
    _case(session, case_id)
    objects: dict[str, str] = {}
    for ref in OBJECT_REFERENCES:
        key_col, sha_col = getattr(ref.model, ref.key), getattr(ref.model, ref.sha256)
        of_case = select(key_col, sha_col).where(getattr(ref.model, ref.case) == case_id, key_col.is_not(None))
        for key, sha256 in session.exec(of_case):
            objects[key] = sha256
    enqueue_retention(session, case_id, objects, until)
    return list(objects)


def list_evidence(session: Session, case_id: int) -> list[Evidence]:
    return list(session.exec(select(Evidence).where(Evidence.case_id == case_id).order_by(Evidence.id)))


def require_video_evidence(session: Session, case_id: int, task_id: str) -> None:
    """The audio-video gate (DOMAIN.md §8): a coercive step needs a 视听资料 item attached to it."""
    found = session.exec(
        select(Evidence.id).where(
            Evidence.case_id == case_id, Evidence.task_id == task_id, Evidence.type == EvidenceType.audio_video
        )
    ).first()
    if found is None:
        raise ValidationFailed("该环节须全程音像记录:请先上传视听资料证据", code="video_required",
                               details={"case_id": case_id, "task_id": task_id})


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("案件不存在", details={"case_id": case_id})
    return case


def _evidence(session: Session, evidence_id: int) -> Evidence:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound("证据不存在", details={"evidence_id": evidence_id})
    return evidence


def _check_open(case: Case) -> None:
    status = CaseStatus(case.status)
    if status in CLOSED_TO_NEW_EVIDENCE:
        raise InvalidState(f"案件{status.label},不能再添加证据", code=f"case_{status.value}",
                           details={"case_id": case.id})


def _task_name(session: Session, case_id: int, task_id: str | None) -> str | None:
    if task_id is None:
        return None
    task = session.get(Task, task_id)
    if task is None or task.case_id != case_id:
        raise NotFound("该案件中不存在此环节", details={"task_id": task_id})
    return task.name
