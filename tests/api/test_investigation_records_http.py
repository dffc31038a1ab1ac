"""Investigation records one by one over HTTP (issue 11.2), with the real models and the demo's people.

While 现场检查 (inspection) or 调查取证 (general procedure) is open, its officers make any number of 询问笔录 (one per
person questioned), 勘验笔录, 抽样取证凭证, 现场笔录 and 先行登记保存证据通知书, each its own document with its
ordinal or number, its two officers and its evidence, each a record event; the step's data keeps only references,
and the dossier lists them in archive order.
"""

from __future__ import annotations

from sqlmodel import Session, select

from api.demo import FOLLOW_LINKED, PARTY, SCRIPT, START, Step, simulated_time, step_data
from documents.dossier import archive_documents
from engine import clock
from engine.models import RecordEvent
from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)

INQUIRY = {"started_at": f"{START}T09:10:00+08:00", "ended_at": f"{START}T09:40:00+08:00", "place": "厂部办公室",
           "inquired_person": "王林峰", "inquired_person_details": "男，总经理，身份证号码360827197501010011",
           "recorder": "郭晓燕", "transcript": "问：你单位车间是否设置安全警示标志？答：没有设置。"}
SAMPLING = {"sampled_at": f"{START}T10:00:00+08:00", "place": "锯木车间",
            "samples": [{"name": "劳动防护用品发放台账", "quantity": "1本"}]}
ONSITE = {"started_at": f"{START}T09:00:00+08:00", "ended_at": f"{START}T10:30:00+08:00", "place": "锯木车间",
          "scene": "车间内未设置安全警示标志，三名作业人员未佩戴防护口罩。"}


def drive(http: HttpDriver, runtime, until: str) -> list[Step]:
    """Play the demo's story over HTTP up to (not including) the step named `until`; returns the steps from there."""
    clock.set_clock(lambda: simulated_time(START, 0))
    started = http.client.post("/api/v1/cases", headers=http.headers("quanjiang1"), json={
        "process": "inspection", "party": {"kind": "unit", **PARTY}, "title": "日常安全生产检查"})
    http.case_id = started.json()["case"]["id"]
    for tick, step in enumerate(SCRIPT, start=1):
        at = simulated_time(step.day, tick)
        clock.set_clock(lambda at=at: at)
        if step.task == until:
            return SCRIPT[tick - 1:]
        if step.task == FOLLOW_LINKED:
            [child] = http.get(f"/cases/{http.case_id}", "quanjiang1")["children"]
            http.case_id = child["id"]
        elif step.user is None:
            runtime.fire_due()
        else:
            http.complete(step)
    raise AssertionError(f"no step {until!r} in the story")


def post_record(http: HttpDriver, task_id: str, doc_id: str, data: dict, user: str = "quanjiang1"):
    return http.client.post(f"/api/v1/tasks/{task_id}/records/{doc_id}", json={"data": data}, headers=http.headers(user))


def task_named(http: HttpDriver, user: str, name: str) -> dict:
    [task] = [t for t in http.get("/tasks", user) if t["case_id"] == http.case_id and t["name"] == name]
    return task


def record_events(runtime, case_id: int) -> list[RecordEvent]:
    with Session(runtime.engine) as session:
        return list(session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id,
                                                           RecordEvent.kind == "record_issued").order_by(RecordEvent.seq)))


def test_the_onsite_inspection_issues_records_one_by_one_each_numbered_with_its_officers_and_evidence(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    clock.set_clock(lambda: simulated_time(START, 0))
    started = client.post("/api/v1/cases", headers=http.headers("quanjiang1"), json={
        "process": "inspection", "party": {"kind": "unit", **PARTY}, "title": "日常安全生产检查"})
    http.case_id = started.json()["case"]["id"]
    task = task_named(http, "quanjiang1", "现场检查")
    detail = http.get(f"/tasks/{task['id']}", "quanjiang1")
    assert [(k["doc_id"], k["title"]) for k in detail["records"]] == [
        ("inquiry_record", "询问笔录"), ("site_survey_record", "勘验笔录"), ("sampling_voucher", "抽样取证凭证"),
        ("onsite_record", "现场笔录"), ("preservation_notice", "先行登记保存证据通知书")]
    officers = http.officers("quanjiang1", "quanjiang2")
    photo = client.post(f"/api/v1/cases/{http.case_id}/evidence", headers=http.headers("quanjiang1"),
                        data={"type": "documentary", "collected_by": ["刘建华", "郭晓燕"], "description": "车间现场照片",
                              "collected_at": f"{START}T08:20:00+08:00", "place": "锯木车间"},
                        files={"file": ("scene.jpg", b"\xff\xd8\xff\xe0 scene", "image/jpeg")})
    assert photo.status_code == 201, photo.text
    photo_id = photo.json()["id"]

    first = post_record(http, task["id"], "inquiry_record", {**INQUIRY, "officers": officers, "evidence_ids": [photo_id]})
    second = post_record(http, task["id"], "inquiry_record", {**INQUIRY, "inquired_person": "李安",
                                                              "inquired_person_details": "男，安全员", "officers": officers})
    sampling = post_record(http, task["id"], "sampling_voucher", {**SAMPLING, "officers": officers})
    onsite = post_record(http, task["id"], "onsite_record", {**ONSITE, "officers": officers})
    assert [r.status_code for r in (first, second, sampling, onsite)] == [201] * 4, second.text
    assert [(r.json()["title"], r.json()["ordinal"]) for r in (first, second, sampling, onsite)] == [
        ("询问笔录", 1), ("询问笔录", 2), ("抽样取证凭证", 1), ("现场笔录", 1)]
    assert sampling.json()["number"] == "（遂）应急抽〔2026〕1号" and first.json()["number"] is None

    # each record is its own event, naming its two officers and the evidence it cites
    events = record_events(runtime, http.case_id)
    assert [e.outputs[0]["name"] for e in events] == ["询问笔录", "询问笔录", "抽样取证凭证", "现场笔录"]
    assert events[0].outputs[0]["evidence_ids"] == [photo_id]
    assert [o["name"] for o in events[0].inputs["officers"]] == [o["name"] for o in officers]
    documents = {d["id"]: d for d in http.get(f"/cases/{http.case_id}/documents", "quanjiang1")}
    assert documents[second.json()["document_id"]]["title"] == "询问笔录"

    # the task is still open, and its form lists what was made on it
    detail = http.get(f"/tasks/{task['id']}", "quanjiang1")
    assert [r["ordinal"] for r in detail["records"][0]["issued"]] == [1, 2]

    # completing the step keeps references, not content, in the case data
    step = SCRIPT[0]
    data = step_data(step, http.case_data("quanjiang1"), http.officers)
    done = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=http.headers("quanjiang1"))
    assert done.status_code == 200, done.text
    with Session(runtime.engine) as session:
        case_data = runtime.get_case(http.case_id).data
        in_order = [(d.title, d.doc_id) for d in archive_documents(session, http.case_id)]
    assert [(r["title"], r["ordinal"]) for r in case_data["issued_records"]] == [
        ("询问笔录", 1), ("询问笔录", 2), ("抽样取证凭证", 1), ("现场笔录", 1)]
    assert "transcript" not in str(case_data["issued_records"])
    # dossier order: 询问 → 抽样 → 检查记录 → 现场笔录 (DOMAIN.md §7 archive order)
    assert [title for title, _ in in_order] == ["询问笔录", "询问笔录", "抽样取证凭证", "现场检查记录", "现场笔录"]

    # once the step is done, no more records on it
    late = post_record(http, task["id"], "onsite_record", {**ONSITE, "officers": officers})
    assert (late.status_code, late.json()["code"]) == (409, "task_conflict")


def test_a_record_is_refused_with_a_clear_code_when_it_does_not_belong_or_lacks_two_officers(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    clock.set_clock(lambda: simulated_time(START, 0))
    started = client.post("/api/v1/cases", headers=http.headers("quanjiang1"), json={
        "process": "inspection", "party": {"kind": "unit", **PARTY}, "title": "日常安全生产检查"})
    http.case_id = started.json()["case"]["id"]
    task = task_named(http, "quanjiang1", "现场检查")
    officers = http.officers("quanjiang1", "quanjiang2")

    wrong_kind = post_record(http, task["id"], "penalty_decision", {"officers": officers})
    assert (wrong_kind.status_code, wrong_kind.json()["code"]) == (422, "record_not_allowed")
    alone = post_record(http, task["id"], "onsite_record", {**ONSITE, "officers": officers[:1]})
    assert alone.status_code == 422 and "two_officers_required" in alone.text
    missing = post_record(http, task["id"], "inquiry_record", {"officers": officers, "place": "办公室"})
    assert missing.status_code == 422 and "询问内容" in missing.text
    foreign = post_record(http, task["id"], "onsite_record", {**ONSITE, "officers": officers, "evidence_ids": [999]})
    assert foreign.status_code == 422 and "不是本案的证据" in foreign.text
    other_township = post_record(http, task["id"], "onsite_record", {**ONSITE, "officers": officers}, user="yutian1")
    assert other_township.status_code == 404
    assert record_events(runtime, http.case_id) == []  # nothing refused left a trace or took a number


def test_the_county_investigation_issues_several_inquiry_records_before_it_completes(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    [step, *_] = drive(http, runtime, until="调查取证")
    task = task_named(http, "county1", "调查取证")
    officers = http.officers("county1", "county2")
    made = [post_record(http, task["id"], "inquiry_record", {**INQUIRY, "inquired_person": person, "officers": officers},
                        user="county1") for person in ("王林峰", "李安", "张三")]
    assert [r.status_code for r in made] == [201] * 3, made[0].text
    assert [r.json()["ordinal"] for r in made] == [1, 2, 3]
    http.complete(step)
    case_data = runtime.get_case(http.case_id).data
    assert [r["document_id"] for r in case_data["issued_records"]] == [r.json()["document_id"] for r in made]
    assert [e.task_name for e in record_events(runtime, http.case_id)] == ["调查取证"] * 3
