"""Evidence: upload, download, transfer, archive retention, gc and verify, on the local store and on S3."""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import typer
import urllib3
from sqlmodel import Session, SQLModel, select
from typer.testing import CliRunner

from api.commands.storage import register
from documents.evidence.custody import (
    archive_retention,
    list_evidence,
    open_evidence_for_download,
    require_video_evidence,
    transfer_evidence,
    upload_evidence,
)
from documents.evidence.models import Evidence, EvidenceMeta, EvidenceType
from documents.models import IssuedDocument
from engine import record
from engine.db import get_engine, transaction
from engine.errors import Conflict, InvalidState, NotFound, StorageUnavailable, TooLarge, ValidationFailed
from engine.models import Actor, Agency, Case, ProcessVersion, Task
from engine.objects import LocalObjectStore, ObjectStore, S3ObjectStore, get_object_store
from engine.outbox import apply_outbox
from engine.settings import get_settings
from engine.vocab import AgencyKind, CaseStatus, Role, TaskStatus
from engine.work_items import failure_summary, failures

MiB = 1024 * 1024
THREE_MIB_SHA256 = "3bc08a274b0c1610a912688dab864ee2bd884da7dde5c86758f918368632da55"
PHOTO_SHA256 = "491fb8b6d17d30002cd8becd39a7aa0c8d7932fc1d9e1ae72bd407f496f8199c"
VIDEO_SHA256 = "6b3f0508f57ce7ca6d25c616a41dfa3bc55430cbcfc062bf3d2aeae1f32602ad"
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc)


def three_mib():
    for i in range(3):
        yield bytes([0x30 + i]) * MiB


@dataclass
class World:
    engine: sa.Engine
    store: ObjectStore
    case_a: int
    case_b: int
    archived_case: int
    seal_task: str
    officer: Actor  # township officer of the agency owning the cases
    county: Actor  # the county bureau above that township


def make_world(request, kind: str, tmp_path, monkeypatch) -> World:
    monkeypatch.setenv("ZHIFA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZHIFA_DATABASE_URL", f"sqlite:///{tmp_path / 'zhifa.db'}")
    if kind == "s3":
        for name, value in request.getfixturevalue("s3_env").items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    engine = get_engine(get_settings().resolved_database_url)
    SQLModel.metadata.create_all(engine)
    with transaction(engine) as s:
        county = Agency(code="360724", name="上犹县应急管理局", short_name="犹", kind=AgencyKind.county_bureau)
        s.add(county)
        s.flush()
        town = Agency(code="360724100", name="东山镇", short_name="东", kind=AgencyKind.township, parent_id=county.id)
        s.add(town)
        s.add(ProcessVersion(id="v" * 64, process_id="penalty", name="行政处罚", files={}, created_at=NOW))
        s.flush()
        cases = [
            Case(number=f"犹应急罚〔2026〕{n}号", kind="case", process_id="penalty", version_id="v" * 64,
                 agency_id=town.id, status=status, started_at=NOW, updated_at=NOW)
            for n, status in [(1, CaseStatus.investigating), (2, CaseStatus.investigating), (3, CaseStatus.archived)]
        ]
        s.add_all(cases)
        s.flush()
        s.add(Task(id="task-seal", case_id=cases[0].id, bpmn_id="seal_seize", name="查封扣押", role="county_officer",
                   agency_id=town.id, status=TaskStatus.ready, created_at=NOW))
    return World(
        engine=engine,
        store=get_object_store(get_settings()),
        case_a=cases[0].id,
        case_b=cases[1].id,
        archived_case=cases[2].id,
        seal_task="task-seal",
        officer=Actor(user_id=11, name="张三", role=Role.township_officer, agency_id=town.id),
        county=Actor(user_id=21, name="李四", role=Role.county_officer, agency_id=county.id),
    )


@pytest.fixture(params=["local", "s3"])
def world(request, tmp_path, monkeypatch) -> World:
    return make_world(request, request.param, tmp_path, monkeypatch)


@pytest.fixture
def s3_world(request, tmp_path, monkeypatch) -> World:
    return make_world(request, "s3", tmp_path, monkeypatch)


def meta(evidence_type: EvidenceType = EvidenceType.documentary, filename: str = "现场照片.jpg") -> EvidenceMeta:
    return EvidenceMeta(
        type=evidence_type,
        collected_by=["张三", "赵六"],
        collected_at=datetime(2026, 3, 2, 9, 15, tzinfo=timezone(timedelta(hours=8))),
        place="东山镇某化工厂仓库",
        gps_lat=25.98,
        gps_lon=114.34,
        device="执法记录仪 DSJ-01",
        description="仓库内违规存放的危险化学品",
        filename=filename,
        content_type="image/jpeg",
    )


def upload(world: World, stream, *, case_id=None, task_id=None, evidence_type=EvidenceType.documentary,
           expected_sha256=None, actor=None, filename="现场照片.jpg") -> Evidence:
    with transaction(world.engine) as s:
        return upload_evidence(
            s, world.store, case_id=case_id or world.case_a, task_id=task_id,
            meta=meta(evidence_type, filename), stream=stream, expected_sha256=expected_sha256,
            actor=actor or world.officer,
        )


def stored_keys(world: World) -> list[str]:
    return list(world.store.iter_keys(older_than=datetime(2100, 1, 1, tzinfo=timezone.utc)))


def case_snapshot(world: World, case_id: int) -> tuple:
    with Session(world.engine) as s:
        case = s.get(Case, case_id)
        return case.status, case.revision, record.event_count(s, case_id), len(list_evidence(s, case_id))


def run_storage(*args: str):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, ["storage", *args])


def test_an_upload_records_the_item_and_a_custody_event(world):
    item = upload(world, three_mib(), task_id=world.seal_task, evidence_type=EvidenceType.audio_video,
                  expected_sha256=THREE_MIB_SHA256, filename="../../tmp/查封过程\x00录像.mp4")

    with Session(world.engine) as s:
        row = s.get(Evidence, item.id)
        events = record.events(s, world.case_a)
        assert record.verify(s, world.case_a) == []
    assert (row.type, row.type_label, row.size, row.sha256) == ("audio_video", "视听资料", 3 * MiB, THREE_MIB_SHA256)
    assert row.filename == "查封过程_录像.mp4"
    assert (row.collected_by, row.place, row.gps_lat, row.device) == (["张三", "赵六"], "东山镇某化工厂仓库", 25.98, "执法记录仪 DSJ-01")
    assert world.store.sha256_of(row.object_key) == (3 * MiB, THREE_MIB_SHA256)
    [event] = events
    assert (event.kind, event.actor_name, event.task_id, event.task_name) == ("evidence_uploaded", "张三", "task-seal", "查封扣押")
    assert event.inputs["type"] == "视听资料"
    assert event.inputs["gps"] == [25.98, 114.34]
    assert event.outputs == [{"name": "查封过程_录像.mp4", "sha256": THREE_MIB_SHA256}]


def test_size_limits_come_from_configuration_per_evidence_type(world, monkeypatch):
    monkeypatch.setenv("ZHIFA_EVIDENCE_MAX_BYTES_DEFAULT", str(2 * MiB))
    monkeypatch.setenv("ZHIFA_EVIDENCE_MAX_BYTES_BY_TYPE", '{"audio_video": 4194304}')
    get_settings.cache_clear()
    before = case_snapshot(world, world.case_a)

    with pytest.raises(TooLarge) as refused:
        upload(world, three_mib(), evidence_type=EvidenceType.documentary)
    assert refused.value.message == "文件超过大小上限(2 MB)"
    assert case_snapshot(world, world.case_a) == before
    assert stored_keys(world) == []

    video = upload(world, three_mib(), evidence_type=EvidenceType.audio_video)
    assert video.size == 3 * MiB


def test_a_hash_mismatch_leaves_neither_row_nor_object(world):
    before = case_snapshot(world, world.case_a)

    with pytest.raises(ValidationFailed) as refused:
        upload(world, three_mib(), expected_sha256=PHOTO_SHA256)

    assert refused.value.code == "hash_mismatch"
    assert case_snapshot(world, world.case_a) == before
    assert stored_keys(world) == []


def test_evidence_cannot_name_a_task_of_another_case_or_join_an_archived_case(world):
    with pytest.raises(NotFound):
        upload(world, [b"inspection photo"], case_id=world.case_b, task_id=world.seal_task)
    with pytest.raises(InvalidState) as refused:
        upload(world, [b"inspection photo"], case_id=world.archived_case)
    assert (refused.value.code, refused.value.message) == ("case_archived", "案件已归档,不能再添加证据")
    assert case_snapshot(world, world.case_b)[2:] == (0, 0)
    assert stored_keys(world) == []  # refused before anything streamed into the store


def test_download_is_recorded(world):
    item = upload(world, [b"inspection photo"])

    with transaction(world.engine) as s:
        download = open_evidence_for_download(s, world.store, item.id, world.county)

    if isinstance(world.store, S3ObjectStore):
        assert download.stream is None
        response = urllib3.request("GET", download.url)
        assert (response.status, response.data) == (200, b"inspection photo")
    else:
        assert download.url is None
        with download.stream:
            assert download.stream.read() == b"inspection photo"
    with Session(world.engine) as s:
        events = record.events(s, world.case_a)
    assert [(e.kind, e.actor_name) for e in events] == [("evidence_uploaded", "张三"), ("evidence_downloaded", "李四")]
    assert events[-1].outputs == [{"name": "现场照片.jpg", "sha256": PHOTO_SHA256}]


def test_transfer_attaches_the_same_object_to_another_case(world):
    item = upload(world, [b"inspection photo"])

    with transaction(world.engine) as s:
        moved = transfer_evidence(s, item.id, world.case_b, world.officer)
    with pytest.raises(Conflict):
        with transaction(world.engine) as s:
            transfer_evidence(s, item.id, world.case_b, world.officer)
    with pytest.raises(InvalidState):
        with transaction(world.engine) as s:
            transfer_evidence(s, item.id, world.archived_case, world.officer)

    assert (moved.case_id, moved.object_key, moved.sha256, moved.transferred_from_id) == (
        world.case_b, item.object_key, PHOTO_SHA256, item.id)
    assert stored_keys(world) == [item.object_key]
    with Session(world.engine) as s:
        out = record.events(s, world.case_a)[-1]
        into = record.events(s, world.case_b)[-1]
    assert (out.kind, out.inputs["to_case_number"]) == ("evidence_transferred_out", "犹应急罚〔2026〕2号")
    assert (into.kind, into.inputs["from_evidence_id"]) == ("evidence_transferred_in", item.id)
    assert into.outputs == [{"name": "现场照片.jpg", "sha256": PHOTO_SHA256}]


def test_an_outage_refuses_the_upload_leaves_the_case_unchanged_and_a_retry_succeeds(s3_world, s3_server):
    world = s3_world
    upload(world, [b"inspection photo"])
    before = case_snapshot(world, world.case_a)
    s3_server.stop()

    with pytest.raises(StorageUnavailable) as down:
        upload(world, three_mib())
    assert down.value.code == "storage_unavailable"
    assert case_snapshot(world, world.case_a) == before

    s3_server.start()
    retried = upload(world, three_mib(), expected_sha256=THREE_MIB_SHA256)
    assert world.store.sha256_of(retried.object_key) == (3 * MiB, THREE_MIB_SHA256)
    assert case_snapshot(world, world.case_a)[2:] == (before[2] + 1, before[3] + 1)


def test_archiving_locks_every_object_of_the_case_once_the_worker_applies_it(world):
    photo = upload(world, [b"inspection photo"])
    video = upload(world, [b"seal video"], evidence_type=EvidenceType.audio_video)
    other = upload(world, [b"inspection photo"], case_id=world.case_b)
    until = datetime(2056, 3, 2, tzinfo=timezone.utc)

    with transaction(world.engine) as s:
        keys = archive_retention(s, world.case_a, until)
    assert world.store.stat(photo.object_key).retain_until is None  # the step itself calls no store

    assert (apply_outbox(world.engine, world.store), apply_outbox(world.engine, world.store)) == (1, 0)
    assert sorted(keys) == sorted([photo.object_key, video.object_key])
    assert world.store.stat(photo.object_key).retain_until == until
    assert world.store.stat(other.object_key).retain_until is None
    with pytest.raises(InvalidState) as refused:
        world.store.delete(video.object_key)
    assert refused.value.code == "object_locked"
    with Session(world.engine) as s:
        event = record.events(s, world.case_a)[-1]
        assert record.verify(s) == []
    assert (event.kind, event.actor_name, event.inputs["count"]) == ("objects_retained", "系统", 2)
    assert {o["sha256"] for o in event.outputs} == {PHOTO_SHA256, VIDEO_SHA256}


def test_an_archiving_step_that_rolls_back_locks_nothing(world):
    photo = upload(world, [b"inspection photo"])
    with pytest.raises(RuntimeError):
        with transaction(world.engine) as s:
            archive_retention(s, world.case_a, datetime(2056, 3, 2, tzinfo=timezone.utc))
            raise RuntimeError("the step fails after the archiving hook")

    assert apply_outbox(world.engine, world.store) == 0
    assert world.store.stat(photo.object_key).retain_until is None
    world.store.delete(photo.object_key)  # not locked: gc could still remove it
    with Session(world.engine) as s:
        assert [e.kind for e in record.events(s, world.case_a)] == ["evidence_uploaded"]


def test_archiving_during_a_storage_outage_is_applied_when_the_store_is_back(s3_world, s3_server, frozen_clock):
    world = s3_world
    photo = upload(world, [b"inspection photo"])
    until = datetime(2056, 3, 2, tzinfo=timezone.utc)
    s3_server.stop()
    try:
        with transaction(world.engine) as s:  # the step commits although the store is down
            archive_retention(s, world.case_a, until)
        assert apply_outbox(world.engine, world.store) == 0
    finally:
        s3_server.start()
    with Session(world.engine) as s:
        [failure] = failures(s)
    assert (failure.pass_name, failure.attempts, failure.failed_at) == ("outbox", 1, None)
    assert failure.last_error.startswith("[storage_unavailable]")
    assert failure_summary(failure) == (f"对象保留期设置: 待办存储操作 {failure.item_id}(案件 {world.case_a}) "
                                        "已失败 1 次, 将于 2026-03-02 09:01:00 重试")

    assert apply_outbox(world.engine, world.store) == 0  # not before its next attempt
    frozen_clock.advance(minutes=1)
    assert apply_outbox(world.engine, world.store) == 1
    assert world.store.stat(photo.object_key).retain_until == until
    with Session(world.engine) as s:
        assert failures(s) == []
        assert record.events(s, world.case_a)[-1].kind == "objects_retained"


def test_gc_removes_only_unreferenced_objects_older_than_the_grace_period(world):
    kept = upload(world, [b"inspection photo"])
    with pytest.raises(RuntimeError):  # the database commit fails after the object was written
        with transaction(world.engine) as s:
            upload_evidence(s, world.store, case_id=world.case_a, task_id=None, meta=meta(),
                            stream=[b"seal video"], expected_sha256=None, actor=world.officer)
            raise RuntimeError("commit failed")
    [orphan] = [k for k in stored_keys(world) if k != kept.object_key]
    rendered = world.store.put_stream([b"rendered docx"], max_bytes=MiB)  # a document's file
    with transaction(world.engine) as s:
        s.add(IssuedDocument(case_id=world.case_a, doc_id="inspection_record", title="现场检查记录", issuer="犹",
                             snapshot={}, issued_at=NOW, docx_object_key=rendered.key, docx_sha256=rendered.sha256))
    time.sleep(1.1)  # S3 modification times have one-second resolution

    young = run_storage("gc", "--grace-hours", "1")
    assert (young.exit_code, young.output) == (0, "共删除 0 个无引用对象\n")

    old = run_storage("gc", "--grace-hours", "0")
    assert (old.exit_code, old.output) == (0, f"已删除 {orphan}\n共删除 1 个无引用对象\n")
    assert stored_keys(world) == sorted([kept.object_key, rendered.key])
    assert world.store.sha256_of(kept.object_key) == (16, PHOTO_SHA256)


def test_verify_names_an_object_altered_behind_the_applications_back(world, request):
    photo = upload(world, [b"inspection photo"])
    video = upload(world, [b"seal video"], evidence_type=EvidenceType.audio_video)

    clean = run_storage("verify")
    assert (clean.exit_code, clean.output) == (0, "校验 2 个对象,全部一致\n")

    if isinstance(world.store, LocalObjectStore):
        path = world.store.root / video.object_key[:2] / video.object_key
        os.chmod(path, 0o644)
        path.write_bytes(b"edited video")
    else:
        raw = request.getfixturevalue("s3_server").client()
        raw.put_object(world.store.bucket, video.object_key, io.BytesIO(b"edited video"), 12)

    altered = run_storage("verify")
    assert altered.exit_code == 1
    assert altered.output.splitlines() == [
        f"哈希不一致: evidence #{video.id}(案件 {world.case_a})对象 {video.object_key} "
        f"记录 {VIDEO_SHA256},实际 4e630d82ee7eac966de3f065748342f1a6334c165d68b8eb8746af33f91cb706",
        "校验 2 个对象,1 个不一致",
    ]
    sampled = run_storage("verify", "--sample", "1")
    assert sampled.output.splitlines()[-1] in ("校验 1 个对象,全部一致", "校验 1 个对象,1 个不一致")
    assert run_storage("verify", "--sample", "5").output.splitlines()[-1] == "校验 2 个对象,1 个不一致"
    assert photo.object_key in stored_keys(world)


def test_the_video_gate_needs_audio_video_evidence_on_that_step(world):
    with Session(world.engine) as s:
        with pytest.raises(ValidationFailed) as refused:
            require_video_evidence(s, world.case_a, world.seal_task)
    assert refused.value.code == "video_required"

    upload(world, [b"inspection photo"], task_id=world.seal_task, evidence_type=EvidenceType.documentary)
    upload(world, [b"seal video"], evidence_type=EvidenceType.audio_video)  # not attached to the step
    with Session(world.engine) as s:
        with pytest.raises(ValidationFailed):
            require_video_evidence(s, world.case_a, world.seal_task)

    upload(world, [b"seal video"], task_id=world.seal_task, evidence_type=EvidenceType.audio_video)
    with Session(world.engine) as s:
        require_video_evidence(s, world.case_a, world.seal_task)
        assert [e.type for e in s.exec(select(Evidence).where(Evidence.task_id == world.seal_task))] == [
            "documentary", "audio_video"]
