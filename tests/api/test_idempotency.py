"""Idempotency-Key: a client that retries a start, a completion or an upload gets one effect and the first answer."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, func, select

from documents.evidence.models import Evidence
from engine.models import Case, RecordEvent
from tests.api.conftest import PARTY

START = {"process": "inspection_api", "party": PARTY, "title": "日常检查"}


def _cases(client) -> int:
    with Session(client.app.state.runtime.engine) as session:
        return session.exec(select(func.count()).select_from(Case)).one()


def test_a_retried_start_opens_one_case_and_answers_the_first_answer_again(client, auth, world):
    headers = {**auth("t1a"), "Idempotency-Key": "start-0001"}
    body = {**START, "agency_id": world.agencies.township.id}
    first = client.post("/api/v1/cases", json=body, headers=headers)
    again = client.post("/api/v1/cases", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert _cases(client) == 1
    # the same key for another request is refused, and nothing is started
    other = client.post("/api/v1/cases", json={**body, "title": "另一次检查"}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    # another user's key space is their own
    mine = client.post("/api/v1/cases", json=body, headers={**auth("t1b"), "Idempotency-Key": "start-0001"})
    assert mine.status_code == 201 and mine.json()["case"]["id"] != first.json()["case"]["id"]
    assert _cases(client) == 2
    # without a key, a repeat is a new case, as before
    assert client.post("/api/v1/cases", json=body, headers=auth("t1a")).status_code == 201
    assert _cases(client) == 3


def test_a_retried_completion_takes_effect_once(client, auth, world):
    started = client.post("/api/v1/cases", json={**START, "agency_id": world.agencies.township.id}, headers=auth("t1a"))
    case_id, task_id = started.json()["case"]["id"], started.json()["tasks"][0]["id"]
    body = {"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "findings": "消防通道堵塞"}}
    headers = {**auth("t1a"), "Idempotency-Key": "complete-7f3a"}
    first = client.post(f"/api/v1/tasks/{task_id}/complete", json=body, headers=headers)
    again = client.post(f"/api/v1/tasks/{task_id}/complete", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and [t["name"] for t in again.json()["tasks"]] == ["决定"]
    # a retry without the key is told the task is done (what happened before this feature)
    bare = client.post(f"/api/v1/tasks/{task_id}/complete", json=body, headers=auth("t1a"))
    assert (bare.status_code, bare.json()["code"]) == (409, "task_conflict")
    with Session(client.app.state.runtime.engine) as session:
        completions = session.exec(select(func.count()).select_from(RecordEvent).where(
            RecordEvent.case_id == case_id, RecordEvent.kind == "task_completed")).one()
    assert completions == 1


def test_concurrent_twins_with_one_key_start_one_case(client, auth, world):
    headers = {**auth("t1a"), "Idempotency-Key": "twins-42"}
    body = {**START, "agency_id": world.agencies.township.id}
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: client.post("/api/v1/cases", json=body, headers=headers), range(4)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["case"]["id"] for a in answers}) == 1
    assert _cases(client) == 1


def test_a_retried_upload_is_stored_once(client, auth, world):
    case_id = client.post("/api/v1/cases", json={**START, "agency_id": world.agencies.township.id},
                          headers=auth("t1a")).json()["case"]["id"]
    data = {"type": "documentary", "collected_by": ["用户t1a", "用户t1b"], "collected_at": "2026-03-02T08:15:00+08:00",
            "place": "泉江镇工业大道8号仓库", "description": "仓库内违规存放的油漆"}
    headers = {**auth("t1a"), "Idempotency-Key": "upload-photo-1"}

    def send():
        return client.post(f"/api/v1/cases/{case_id}/evidence", data=data, headers=headers,
                           files={"file": ("现场照片.jpg", b"inspection photo", "image/jpeg")})

    first, again = send(), send()
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    with Session(client.app.state.runtime.engine) as session:
        assert session.exec(select(func.count()).select_from(Evidence).where(Evidence.case_id == case_id)).one() == 1


def test_a_malformed_key_is_refused_before_anything_happens(client, auth, world):
    body = {**START, "agency_id": world.agencies.township.id}
    for bad in ("", "含中文的键", "x" * 201):
        answer = client.post("/api/v1/cases", json=body, headers={**auth("t1a"), "Idempotency-Key": bad.encode()})
        assert (answer.status_code, answer.json()["code"]) == (422, "idempotency_key_invalid"), bad
    assert _cases(client) == 0
