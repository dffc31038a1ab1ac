"""Hostile input (issue 18, items 3-5 and 9): every JSON route answers 4xx in the error model, never 5xx.

Each JSON route gets its ordinary body with one leaf at a time replaced by a hostile value: a lone surrogate,
a NUL character, NaN, Infinity, an id of 2^63 and beyond. Runs on SQLite and PostgreSQL (NUL fails only there).
"""

import io
import json
import stat

import anyio
import pytest
from sqlmodel import Session, select
from starlette.requests import ClientDisconnect

from api.downloads import download_response
from api.services import evidence_files
from engine.db import get_engine, transaction
from engine.models import Case, RecordEvent
from engine.objects.local import LocalObjectStore
from engine.settings import get_settings
from engine.vocab import CaseStatus
from tests.api.conftest import PARTY, start_inspection
from tests.api.test_access_matrix import power_item, register_entry, request_for, review_ids
from tests.api.test_cases_and_tasks import _county_case_under_review

# who sends each JSON route's ordinary body (someone the route lets through)
SENDERS = {
    "POST /api/v1/users": "admin",
    "PATCH /api/v1/users/{user_id}": "admin",
    "POST /api/v1/cases/{case_id}/members": "head",
    "POST /api/v1/cases/{case_id}/reviewers": "head",
    "POST /api/v1/review-plans": "supervisor",
    "PUT /api/v1/review-plans/{plan_id}": "supervisor",
    "POST /api/v1/review-plans/{plan_id}/approve": "head",
    "PUT /api/v1/review-samples/{sample_id}/score": "reviewer",
    "POST /api/v1/powers/{agency_id}/items": "c1",
    "POST /api/v1/powers/items/{item_id}/end": "c1",
}
ROUTE_BODIES = {
    "POST /api/v1/tasks/{task_id}/complete": "onsite",
    "POST /api/v1/tasks/{task_id}/records/{doc_id}": "onsite_record",
    "POST /api/v1/decisions/{table}": {"inputs": {"party_type": "organization", "fine_amount": 20000,
                                                  "penalty_kinds": ["fine"]}},
}
NAN, INFINITY = float("nan"), float("inf")
HOSTILE_TEXT = ["\ud800", "前\x00后"]
HOSTILE_NUMBERS = [2**63, 2**64 + 1, -(2**63) - 1, NAN, INFINITY, -INFINITY]


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _must_refuse(path, bad) -> bool:
    """Unstorable text, numbers JSON lacks and ids no column holds; a huge fine in a decision preview is a number."""
    return not isinstance(bad, int) or str(path[-1]).endswith("id")


def _names(details, path) -> bool:
    """The problem names the field, or the list entry holding it (an officer named by an impossible id)."""
    fields = [_dotted(path), _dotted(path[1:])]  # form data is checked relative to `data`
    return isinstance(details, list) and any(d.get("field") and f.startswith(d["field"]) for d in details for f in fields)


def _dotted(path) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


def _send(client, method, url, body, headers):
    return client.request(method, url, content=json.dumps(body, allow_nan=True),
                          headers={**headers, "content-type": "application/json"})


def _json_routes(client) -> list[str]:
    paths = client.get("/openapi.json").json()["paths"]
    return sorted(f"{method.upper()} {path}" for path, methods in paths.items() for method, op in methods.items()
                  if "application/json" in (op.get("requestBody") or {}).get("content", {})
                  and not path.endswith("/login"))  # login's argon2 check is slow; its body is two bounded strings


def test_hostile_values_in_every_json_route_are_refused_with_422_naming_the_field(client, auth, world):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    ids = {"case_id": case["case"]["id"], "task_id": case["tasks"][0]["id"], "user_id": world.id("t1b"),
           "table": "hearing_eligible", "township": world.agencies.township.id, "supervisor": world.id("supervisor"),
           "agency_id": world.agencies.township.id, "doc_id": "onsite_record",
           **review_ids(client.app.state.runtime.engine, world, case["case"]["id"]),
           "target_id": register_entry(client, auth("c1"), world.agencies.township.id),
           "item_id": power_item(client, auth("c1"), world.agencies.township.id),
           "annual_plan_id": 1}
    onsite = {"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "findings": "消防通道堵塞"}}
    onsite_record = {"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "place": "仓库",
                              "started_at": "2026-03-02T08:00:00+08:00", "ended_at": "2026-03-02T08:30:00+08:00",
                              "scene": "消防通道堵塞", "evidence_ids": [1]}}
    routes = _json_routes(client)
    assert "POST /api/v1/cases" in routes and "POST /api/v1/tasks/{task_id}/complete" in routes
    problems = []
    for route in routes:
        method, url, body = request_for(route, "hostile", ids)
        body = ROUTE_BODIES.get(route, body)
        body = {"onsite": onsite, "onsite_record": onsite_record}.get(body, body) if isinstance(body, str) else body
        headers = auth(SENDERS.get(route, "t1a"))
        for path, value in _leaves(body):
            hostile = HOSTILE_TEXT if isinstance(value, str) else HOSTILE_NUMBERS if type(value) is int else []
            for bad in hostile:
                response = _send(client, method, url, _replaced(body, path, bad), headers)
                answer = response.json()
                if response.status_code >= 500 or (response.status_code >= 400 and
                                                   set(answer) != {"code", "message", "details"}):
                    problems.append(f"{route} {path}={bad!r}: {response.status_code} {response.text[:160]}")
                elif _must_refuse(path, bad) and (response.status_code != 422 or not _names(answer["details"], path)):
                    problems.append(f"{route} {path}={bad!r}: {response.status_code} {response.text[:160]}")
    assert not problems, "\n".join(problems)
    # nothing hostile reached the case: its step is still the first one
    assert client.get(f"/api/v1/cases/{ids['case_id']}", headers=auth("t1a")).json()["tasks"][0]["id"] == ids["task_id"]


def test_nan_and_infinity_are_refused_at_parsing_even_where_any_value_is_accepted(client, auth, world):
    decided = _send(client, "POST", "/api/v1/decisions/hearing_eligible", {"inputs": {"party_type": "person", "fine_amount": NAN, "penalty_kinds": ["fine"]}}, auth("c1"))
    assert decided.status_code == 422
    assert decided.json()["details"][0]["field"] == "inputs.fine_amount"
    assert "NaN" in decided.json()["details"][0]["message"]
    untyped = client.post("/api/v1/decisions/hearing_eligible", headers=auth("c1"),  # read as JSON all the same
                          content=b'{"inputs": {"party_type": "person", "fine_amount": Infinity, "penalty_kinds": ["fine"]}}')
    assert untyped.status_code == 422 and untyped.json()["details"][0]["field"] == "inputs.fine_amount"
    nested = client.post("/api/v1/decisions/hearing_eligible", headers=auth("c1"), content=b"[" * 100_000)
    assert (nested.status_code, nested.json()["details"][0]["message"]) == (422, "请求体嵌套层次过深")


@pytest.mark.parametrize("officers", [5, True, 1.5, "t1a", [{"user_id": 2**63}, {"user_id": 2**31}]])
def test_officers_of_the_wrong_kind_are_a_form_problem(client, auth, world, officers):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    if isinstance(officers, list):
        officers = [world.officer("t1a"), *officers]
    response = client.post(f"/api/v1/tasks/{case['tasks'][0]['id']}/complete", headers=auth("t1a"),
                           json={"data": {"officers": officers, "findings": "消防通道堵塞"}})
    assert response.status_code == 422, response.text
    assert any(d["field"].startswith("officers") for d in response.json()["details"])


def test_json_bodies_are_limited_in_size_and_every_text_in_length(client, auth, world, monkeypatch):
    headers = auth("t1a")
    huge = client.post("/api/v1/cases", headers=headers, json={
        "process": "inspection_api", "party": PARTY, "title": "大" * (2 * 1024**2)})
    assert (huge.status_code, huge.json()["code"]) == (413, "too_large")
    assert huge.json()["details"] == {"max_bytes": 1024**2}

    monkeypatch.setenv("ZHIFA_MAX_JSON_BYTES", "200")
    get_settings.cache_clear()
    small = client.post("/api/v1/cases", headers=headers, json={"process": "inspection_api", "party": PARTY,
                                                                "title": "日常检查" * 30})
    assert small.status_code == 413 and "200" in small.json()["message"]
    monkeypatch.delenv("ZHIFA_MAX_JSON_BYTES")
    get_settings.cache_clear()

    # the start form's due_by sets no maxLength: the default bound applies
    long_text = client.post("/api/v1/cases", headers=headers, json={
        "process": "inspection_api", "party": PARTY, "data": {"due_by": "1" * 10_001}})
    assert long_text.status_code == 422
    assert "「检查期限」不能超过 10000 个字" in [d["message"] for d in long_text.json()["details"]]


def test_the_api_answers_a_hidden_case_exactly_as_a_missing_one(client, auth, world, runtime):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    case_id, task_id = case["case"]["id"], case["tasks"][0]["id"]
    form = {"type": "documentary", "collected_by": "用户t1a", "collected_at": "2026-03-02T08:15:00+08:00"}
    evidence_id = client.post(f"/api/v1/cases/{case_id}/evidence", data=form, files={"file": ("照片.jpg", b"photo")},
                              headers=auth("t1a")).json()["id"]
    sibling = auth("t2a")
    pairs = [(f"/api/v1/cases/{case_id}", f"/api/v1/cases/{case_id + 1000}"),
             (f"/api/v1/cases/{case_id}/record", f"/api/v1/cases/{case_id + 1000}/record"),
             (f"/api/v1/tasks/{task_id}", "/api/v1/tasks/00000000-0000-0000-0000-000000000000"),
             (f"/api/v1/evidence/{evidence_id}/download", f"/api/v1/evidence/{evidence_id + 1000}/download")]
    for existing, missing in pairs:
        hidden, absent = client.get(existing, headers=sibling), client.get(missing, headers=sibling)
        assert (hidden.status_code, absent.status_code) == (404, 404), existing
        assert hidden.json()["code"] == absent.json()["code"] == "not_found"
        assert hidden.json()["message"] == absent.json()["message"]
        assert hidden.json()["message"].endswith("不存在或无权查看")
        assert list(hidden.json()["details"]) == list(absent.json()["details"])  # the id asked for, nothing more
    assert client.get(f"/api/v1/cases/{case_id}", headers=sibling).json()["details"] == {"case_id": case_id}
    # the page keeps its Chinese 403 (the user following a link learns why)
    page = client.get(f"/cases/{case_id}", headers=sibling, follow_redirects=False)
    assert page.status_code in (403, 303)


def test_every_response_carries_security_headers_and_api_answers_are_not_cached(client, auth, world):
    for url in ("/api/v1/cases", "/api/v1/cases/999", "/openapi.json", "/api/v1/health"):
        response = client.get(url, headers=auth("t1a"))
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], url
    assert client.get("/api/v1/cases", headers=auth("t1a")).headers["cache-control"] == "no-store"


def test_supervisor_list_and_verify_reads_are_recorded(client, auth, world, runtime):
    case_id, _ = _county_case_under_review(client, auth, world)
    assert client.post(f"/api/v1/cases/{case_id}/reviewers", json={"user_id": world.id("supervisor")},
                       headers=auth("head")).status_code == 201
    with transaction(runtime.engine) as session:
        case = session.get(Case, case_id)
        case.status = CaseStatus.archived
        session.add(case)
    assert client.post(f"/api/v1/cases/{case_id}/record/verify", headers=auth("supervisor")).status_code == 200
    assert [c["id"] for c in client.get("/api/v1/cases", headers=auth("supervisor")).json()["items"]] == [case_id]
    client.get("/api/v1/cases", headers=auth("head"))  # the bureau's own reads are not review reads
    with Session(runtime.engine) as session:
        reads = session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id,
                                                       RecordEvent.kind == "supervisor_read")).all()
    assert [e.inputs.get("view") for e in reads] == ["核验全过程记录", "案件列表"]


def _multipart(boundary: str, file_headers: str, filename: str, collected_at: str = "2026-03-02T08:15:00+08:00") -> bytes:
    fields = {"type": "documentary", "collected_by": "用户t1a", "collected_at": collected_at}
    parts = "".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                    for name, value in fields.items())
    return (parts + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"{file_headers}\r\n\r\n").encode() + b"photo" + f"\r\n--{boundary}--\r\n".encode()


def test_uploads_get_a_safe_content_type_and_file_name_and_no_future_collection_time(client, auth, world, runtime):
    case_id = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
    url, boundary = f"/api/v1/cases/{case_id}/evidence", "hostile-boundary"
    headers = {**auth("t1a"), "Content-Type": f"multipart/form-data; boundary={boundary}"}
    injected = client.post(url, headers=headers, content=_multipart(
        boundary, "Content-Type: text/plain\nX-Injected: 1", "照片\u202egpj.exe"))
    assert injected.status_code == 201, injected.text
    item = injected.json()
    assert (item["content_type"], item["filename"]) == ("application/octet-stream", "照片gpj.exe")

    downloaded = client.get(f"/api/v1/evidence/{item['id']}/download", headers=auth("t1a"))
    assert downloaded.status_code == 200 and downloaded.content == b"photo"
    assert "x-injected" not in downloaded.headers
    assert downloaded.headers["content-type"] == "application/octet-stream"
    kinds = [e["kind"] for e in client.get(f"/api/v1/cases/{case_id}/record", headers=auth("t1a")).json()]
    assert kinds.count("evidence_downloaded") == 1

    future = client.post(url, headers=headers, content=_multipart(
        boundary, "Content-Type: image/jpeg", "a.jpg", collected_at="2026-03-03T09:00:00+08:00"))  # the clock: 03-02 09:00
    assert (future.status_code, future.json()["code"]) == (422, "collected_in_future")
    assert future.json()["message"] == "「收集时间」不能晚于现在"


def test_a_download_is_recorded_when_its_response_starts(client, auth, world, runtime):
    case_id = start_inspection(client, auth("t1a"), world.agencies.township.id)["case"]["id"]
    form = {"type": "documentary", "collected_by": "用户t1a", "collected_at": "2026-03-02T08:15:00+08:00"}
    item = client.post(f"/api/v1/cases/{case_id}/evidence", data=form, files={"file": ("照片.jpg", b"photo", "image/jpeg")},
                       headers=auth("t1a")).json()
    user = world.users["t1a"]
    download = evidence_files.download(runtime.engine, client.app.state.object_store, user, item["id"])

    def downloads() -> int:
        with Session(runtime.engine) as session:
            return len(session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id,
                                                              RecordEvent.kind == "evidence_downloaded")).all())

    assert downloads() == 0  # authorized and opened, but nothing sent yet

    async def broken_connection(message):
        raise OSError("connection closed before the headers went out")

    with pytest.raises(ClientDisconnect):  # how Starlette reports the failed send
        _send_response(download_response(download), broken_connection)
    assert downloads() == 0

    sent = []

    async def connection(message):
        sent.append(message)

    again = evidence_files.download(runtime.engine, client.app.state.object_store, user, item["id"])
    _send_response(download_response(again), connection)
    assert b"".join(m.get("body", b"") for m in sent) == b"photo" and downloads() == 1


def _send_response(response, send) -> None:
    async def receive():
        return {"type": "http.disconnect"}

    anyio.run(response, {"type": "http", "asgi": {"spec_version": "2.4"}, "method": "GET"}, receive, send)


def test_only_the_service_account_reads_the_data_directory_database_and_objects(zhifa_env):
    data_dir = zhifa_env
    engine = get_engine(f"sqlite:///{data_dir / 'zhifa.db'}")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE probe (id INTEGER)")
    engine.dispose()
    stored = LocalObjectStore(data_dir / "objects").put_stream(io.BytesIO(b"photo"), max_bytes=100)
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "zhifa.db").stat().st_mode) == 0o600
    objects = data_dir / "objects"
    assert {stat.S_IMODE(p.stat().st_mode) for p in (objects, objects / stored.key[:2])} == {0o700}
    assert stat.S_IMODE((objects / stored.key[:2] / stored.key).stat().st_mode) == 0o400
