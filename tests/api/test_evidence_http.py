"""Evidence over HTTP: streamed upload, list and recorded download, on the local store and on S3."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from engine.db import transaction
from engine.models import Case
from engine.settings import get_settings
from engine.vocab import CaseStatus
from tests.api.conftest import start_inspection
from tests.test_evidence import PHOTO_SHA256, THREE_MIB_SHA256, MiB, three_mib

THREE_MIB = b"".join(three_mib())
PHOTO = b"inspection photo"
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def client(store_kind, runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


@pytest.fixture
def case_id(client, auth, world) -> int:
    return start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]


def upload(client, headers, case_id, content: bytes, *, filename="现场照片.jpg", extra_after_file=None, **fields):
    data = {"type": "documentary", "collected_by": ["用户t1a", "用户t1b"], "collected_at": "2026-03-02T08:15:00+08:00",
            "place": "泉江镇工业大道8号仓库", "gps": "26.33,114.50", "device": "执法记录仪 DSJ-01",
            "description": "仓库内违规存放的油漆", **fields}
    files = {"file": (filename, content, "image/jpeg"), **(extra_after_file or {})}
    return client.post(f"/api/v1/cases/{case_id}/evidence", data=data, files=files, headers=headers)


def stored_keys(client) -> list[str]:
    store = client.app.state.object_store
    return list(store.iter_keys(older_than=FAR_FUTURE))


def record_kinds(client, headers, case_id) -> list[tuple[str, str]]:
    events = client.get(f"/api/v1/cases/{case_id}/record", headers=headers).json()
    return [(e["kind"], e["actor_name"]) for e in events]


def case_state(client, headers, case_id) -> tuple:
    detail = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    return detail["case"]["status"], len(detail["timeline"]), detail["evidence"]


def test_upload_list_and_download_round_trip_with_custody_events(client, auth, world, case_id, store_kind):
    created = upload(client, auth("t1a"), case_id, THREE_MIB, sha256=THREE_MIB_SHA256.upper(),
                     filename="../查封过程:录像.mp4", type="audio_video")

    assert created.status_code == 201, created.text
    item = created.json()
    assert (item["type"], item["type_label"], item["size"], item["sha256"]) == ("audio_video", "视听资料", 3 * MiB, THREE_MIB_SHA256)
    assert (item["filename"], item["content_type"], item["uploaded_by_name"]) == ("查封过程_录像.mp4", "image/jpeg", "用户t1a")
    assert (item["collected_by"], item["gps_lat"], item["gps_lon"], item["place"]) == (
        ["用户t1a", "用户t1b"], 26.33, 114.5, "泉江镇工业大道8号仓库")

    listed = client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth("c1"))
    assert listed.status_code == 200
    assert [(e["id"], e["sha256"], e["device"]) for e in listed.json()] == [(item["id"], THREE_MIB_SHA256, "执法记录仪 DSJ-01")]

    response = client.get(f"/api/v1/evidence/{item['id']}/download", headers=auth("c1"), follow_redirects=False)
    if store_kind == "s3":
        assert response.status_code == 307
        response = httpx.get(response.headers["location"])  # presigned: no credentials needed
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"download.mp4\"; filename*=UTF-8''%E6%9F%A5%E5%B0%81%E8%BF%87%E7%A8%8B_%E5%BD%95%E5%83%8F.mp4")
    assert response.headers["content-type"] == "image/jpeg"
    content = response.content
    assert hashlib.sha256(content).hexdigest() == THREE_MIB_SHA256

    events = client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()
    assert [(e["kind"], e["actor_name"], e["role"]) for e in events[1:]] == [
        ("evidence_uploaded", "用户t1a", "township_officer"), ("evidence_downloaded", "用户c1", "county_officer")]
    assert events[1]["outputs"] == events[2]["outputs"] == [{"name": "查封过程_录像.mp4", "sha256": THREE_MIB_SHA256}]
    assert events[2]["inputs"]["via"] == ("presigned_url" if store_kind == "s3" else "stream")
    assert client.post(f"/api/v1/cases/{case_id}/record/verify", headers=auth("t1a")).json()["intact"] is True


def test_a_hash_mismatch_is_refused_and_nothing_is_kept(client, auth, case_id):
    before = case_state(client, auth("t1a"), case_id)

    refused = upload(client, auth("t1a"), case_id, THREE_MIB, sha256=PHOTO_SHA256)

    assert refused.status_code == 422
    assert refused.json()["code"] == "hash_mismatch"
    assert refused.json()["message"] == "文件的 SHA-256 与提供的值不一致,上传被拒绝"
    assert refused.json()["details"] == {"expected": PHOTO_SHA256, "actual": THREE_MIB_SHA256}
    assert case_state(client, auth("t1a"), case_id) == before
    assert stored_keys(client) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_size_limits_per_evidence_type_come_from_settings(runtime, world, auth, frozen_clock, monkeypatch):
    monkeypatch.setenv("ZHIFA_EVIDENCE_MAX_BYTES_DEFAULT", str(1 * MiB))
    monkeypatch.setenv("ZHIFA_EVIDENCE_MAX_BYTES_BY_TYPE", '{"audio_video": 4194304}')
    get_settings.cache_clear()
    with TestClient(create_app(runtime)) as client:
        case_id = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
        before = case_state(client, auth("t1a"), case_id)

        refused = upload(client, auth("t1a"), case_id, THREE_MIB)
        assert refused.status_code == 413
        assert refused.json() == {"code": "too_large", "message": "文件超过大小上限(1 MB)", "details": {"max_bytes": MiB}}
        assert case_state(client, auth("t1a"), case_id) == before
        assert stored_keys(client) == []

        video = upload(client, auth("t1a"), case_id, THREE_MIB, type="audio_video")
        assert video.status_code == 201 and video.json()["size"] == 3 * MiB


@pytest.mark.s3
@pytest.mark.parametrize("store_kind", ["s3"], indirect=True)
def test_a_store_outage_answers_503_leaves_the_case_unchanged_and_a_retry_succeeds(client, auth, case_id, s3_server):
    assert upload(client, auth("t1a"), case_id, PHOTO).status_code == 201
    before = case_state(client, auth("t1a"), case_id)
    s3_server.stop()

    down = upload(client, auth("t1a"), case_id, THREE_MIB, sha256=THREE_MIB_SHA256)

    assert down.status_code == 503
    assert (down.json()["code"], down.json()["message"]) == ("storage_unavailable", "对象存储暂时不可用,请稍后重试")
    assert case_state(client, auth("t1a"), case_id) == before
    s3_server.start()
    retried = upload(client, auth("t1a"), case_id, THREE_MIB, sha256=THREE_MIB_SHA256)
    assert retried.status_code == 201, retried.text
    status, events, evidence = case_state(client, auth("t1a"), case_id)
    assert (status, events, [e["sha256"] for e in evidence]) == (before[0], before[1] + 1, [PHOTO_SHA256, THREE_MIB_SHA256])


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_only_users_who_see_the_case_upload_list_or_download(client, auth, case_id):
    item = upload(client, auth("t1a"), case_id, PHOTO).json()
    before = case_state(client, auth("t1a"), case_id)
    hidden = {"code": "not_found", "message": "案件不存在或无权查看", "details": {"case_id": case_id}}
    hidden_item = {"code": "not_found", "message": "证据不存在或无权查看", "details": {"evidence_id": item["id"]}}

    for username in ("t2a", "supervisor"):
        assert upload(client, auth(username), case_id, THREE_MIB).json() == hidden
        assert client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth(username)).json() == hidden
        refused = client.get(f"/api/v1/evidence/{item['id']}/download", headers=auth(username))
        assert (refused.status_code, refused.json()) == (404, hidden_item)
    assert upload(client, {}, case_id, PHOTO).status_code == 401
    assert client.get("/api/v1/evidence/999999/download", headers=auth("t1a")).json()["code"] == "not_found"

    assert case_state(client, auth("t1a"), case_id) == before
    assert len(stored_keys(client)) == 1  # the refused uploads never reached the store


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_an_archived_case_refuses_uploads_and_its_assigned_supervisor_reads_it_on_record(client, auth, world, case_id):
    item = upload(client, auth("t1a"), case_id, PHOTO).json()
    with transaction(client.app.state.runtime.engine) as session:
        session.get(Case, case_id).status = CaseStatus.archived
    assigned = client.post(f"/api/v1/cases/{case_id}/reviewers", json={"user_id": world.id("supervisor")}, headers=auth("head"))
    assert assigned.status_code == 201, assigned.text

    refused = upload(client, auth("t1a"), case_id, PHOTO)
    assert (refused.status_code, refused.json()["code"], refused.json()["message"]) == (409, "case_archived", "案件已归档,不能再添加证据")
    assert upload(client, auth("supervisor"), case_id, PHOTO).json()["code"] == "case_archived"

    assert [e["id"] for e in client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth("supervisor")).json()] == [item["id"]]
    downloaded = client.get(f"/api/v1/evidence/{item['id']}/download", headers=auth("supervisor"))
    assert downloaded.content == PHOTO
    assert record_kinds(client, auth("t1a"), case_id)[-3:] == [
        ("supervisor_read", "用户supervisor"), ("supervisor_read", "用户supervisor"), ("evidence_downloaded", "用户supervisor")]
    assert len(stored_keys(client)) == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_malformed_forms_are_refused_and_never_stored(client, auth, world, case_id):
    url = f"/api/v1/cases/{case_id}/evidence"
    headers = auth("t1a")

    as_json = client.post(url, json={"type": "documentary"}, headers=headers)
    assert (as_json.status_code, as_json.json()["code"]) == (422, "multipart_required")

    field_after_file = upload(client, headers, case_id, THREE_MIB, extra_after_file={"place": (None, "仓库")})
    assert (field_after_file.status_code, field_after_file.json()["code"]) == (422, "multipart_order")
    file_first = client.post(url, files={"file": ("a.jpg", PHOTO), "type": (None, "documentary")}, headers=headers)
    assert (file_first.status_code, file_first.json()["message"]) == (422, "文件须是表单的最后一项, 证据信息应填在文件之前")
    no_type = upload(client, headers, case_id, PHOTO, type=[])
    assert (no_type.status_code, no_type.json()["message"]) == (422, "证据信息不符合要求: 「证据种类」缺少必填项(证据信息须填在文件之前)")

    boundary = "zhifa-test-boundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\ndocumentary\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"collected_by\"\r\n\r\n张三\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"collected_at\"\r\n\r\n2026-03-02T08:15:00+08:00\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n").encode()
    truncated = client.post(url, content=head + THREE_MIB, headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert (truncated.status_code, truncated.json()["code"]) == (422, "upload_incomplete")

    missing = upload(client, headers, case_id, PHOTO, type="照片", collected_at="昨天", gps="北纬26度")
    assert (missing.status_code, missing.json()["message"]) == (422, "GPS坐标应写作「纬度,经度」, 如 26.33,114.50")
    invalid = upload(client, headers, case_id, PHOTO, type="照片", collected_at="昨天")
    assert invalid.status_code == 422
    assert [d["field"] for d in invalid.json()["details"]] == ["type", "collected_at"]
    assert invalid.json()["message"].startswith("证据信息不符合要求: 「证据种类」不在可选范围内；「收集时间」")
    empty = upload(client, headers, case_id, b"")
    assert (empty.status_code, empty.json()["code"], empty.json()["message"]) == (422, "empty_file", "上传的文件为空")
    no_file = client.post(url, data={"type": "documentary"}, files={"place": (None, "仓库")}, headers=headers)
    assert (no_file.status_code, no_file.json()["code"]) == (422, "file_required")
    other_case_task = upload(client, headers, case_id, PHOTO, task_id="00000000-0000-0000-0000-000000000000")
    assert (other_case_task.status_code, other_case_task.json()["message"]) == (404, "该案件中不存在此环节")

    assert stored_keys(client) == []
    assert client.get(f"/api/v1/cases/{case_id}/evidence", headers=headers).json() == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("store_kind", ["local"], indirect=True)
def test_evidence_attached_to_a_task_names_it_in_the_record(client, auth, world):
    started = start_inspection(client, auth("t1a"), world.agencies.township.id)
    case_id, [task] = started["case"]["id"], started["tasks"]

    item = upload(client, auth("t1a"), case_id, PHOTO, task_id=task["id"], collected_by="用户t1a")

    assert (item.json()["task_id"], item.json()["collected_by"]) == (task["id"], ["用户t1a"])
    [event] = [e for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()
               if e["kind"] == "evidence_uploaded"]
    assert (event["task_id"], event["task_name"]) == (task["id"], task["name"])


def test_an_upload_retried_after_a_lost_answer_yields_one_item(client, auth, world, case_id):
    task_id = client.get(f"/api/v1/cases/{case_id}", headers=auth("t1a")).json()["tasks"][0]["id"]
    first = upload(client, auth("t1a"), case_id, PHOTO, task_id=task_id)
    retried = upload(client, auth("t1a"), case_id, PHOTO, task_id=task_id)  # the page sends the same file again

    assert first.status_code == retried.status_code == 201, retried.text
    assert retried.json() == first.json()
    assert [e["id"] for e in client.get(f"/api/v1/cases/{case_id}/evidence", headers=auth("t1a")).json()] == [first.json()["id"]]
    assert [kind for kind, _ in record_kinds(client, auth("t1a"), case_id)].count("evidence_uploaded") == 1

    other_step = upload(client, auth("t1a"), case_id, PHOTO)  # the same bytes outside that step: an item of its own
    other_case = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
    elsewhere = upload(client, auth("t1a"), other_case, PHOTO)
    assert len({first.json()["id"], other_step.json()["id"], elsewhere.json()["id"]}) == 3
