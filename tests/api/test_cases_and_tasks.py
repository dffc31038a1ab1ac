"""Cases and inboxes across agencies; the two-officer rule; reviewers who investigated; supervisors' reads."""

from sqlmodel import Session, select

from documents.evidence.models import Evidence
from documents.models import IssuedDocument
from engine.db import transaction
from engine.models import Case, RecordEvent
from engine.vocab import CaseStatus
from tests.api.conftest import start_inspection


def test_townships_see_only_their_own_cases_and_inboxes_the_county_sees_all(client, auth, world):
    t1 = start_inspection(client, auth("t1a"), world.agencies.township.id, data={"due_by": "2026-03-10"})
    start_inspection(client, auth("t1b"), world.agencies.township.id, data={"due_by": "2026-03-05"})
    t2 = start_inspection(client, auth("t2a"), world.agencies.other_township.id)
    assert t1["case"]["number"] == "（遂泉）应急检〔2026〕1号"
    assert t1["case"]["status_label"] == "检查中"

    inbox = client.get("/api/v1/tasks", headers=auth("t1b")).json()
    assert [(t["name"], t["due_on"], t["case_number"]) for t in inbox] == [
        ("现场检查", "2026-03-05", "（遂泉）应急检〔2026〕2号"),
        ("现场检查", "2026-03-10", "（遂泉）应急检〔2026〕1号"),
    ]
    assert [t["case_id"] for t in client.get("/api/v1/tasks", headers=auth("t2a")).json()] == [t2["case"]["id"]]
    assert client.get("/api/v1/tasks", headers=auth("c1")).json() == []

    def listed(username, **params):
        page = client.get("/api/v1/cases", params=params, headers=auth(username)).json()
        return page["total"], sorted(c["number"] for c in page["items"])

    assert listed("t2a") == (1, ["（遂雩）应急检〔2026〕1号"])
    assert listed("c1") == (3, ["（遂泉）应急检〔2026〕1号", "（遂泉）应急检〔2026〕2号", "（遂雩）应急检〔2026〕1号"])
    assert listed("c1", agency_id=world.agencies.other_township.id)[0] == 1
    assert listed("t2a", agency_id=world.agencies.township.id) == (0, [])
    assert listed("c1", party="家具")[0] == 3 and listed("c1", party="煤矿")[0] == 0
    assert listed("c1", page_size=2, page=2)[0] == 3
    assert len(client.get("/api/v1/cases", params={"page_size": 2, "page": 2}, headers=auth("c1")).json()["items"]) == 1
    assert listed("c1", started_from="2026-03-02", started_to="2026-03-02")[0] == 3
    assert listed("c1", started_from="2026-03-03")[0] == 0
    assert listed("supervisor") == (0, [])

    refused = client.get(f"/api/v1/cases/{t1['case']['id']}", headers=auth("t2a"))
    assert refused.status_code == 404  # as for a case that does not exist: ids reveal nothing
    assert refused.json() == {"code": "not_found", "message": "案件不存在或无权查看", "details": {"case_id": t1["case"]["id"]}}


def test_overdue_filter_finds_cases_with_a_task_past_its_deadline(client, auth, world, frozen_clock):
    from datetime import timedelta

    late = start_inspection(client, auth("t1a"), world.agencies.township.id, data={"due_by": "2026-03-03"})
    start_inspection(client, auth("t1a"), world.agencies.township.id, data={"due_by": "2026-03-20"})
    frozen_clock.at += timedelta(days=2)
    page = client.get("/api/v1/cases", params={"overdue": True}, headers=auth("t1a")).json()
    assert [c["id"] for c in page["items"]] == [late["case"]["id"]]
    assert client.get("/api/v1/cases", params={"overdue": False}, headers=auth("t1a")).json()["total"] == 1
    [task] = [t for t in client.get("/api/v1/tasks", headers=auth("t1a")).json() if t["case_id"] == late["case"]["id"]]
    assert task["overdue"] is True


def test_two_officer_task_refuses_auxiliary_staff_expired_certificates_and_other_townships(client, auth, world):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    task_id = case["tasks"][0]["id"]
    detail = client.get(f"/api/v1/tasks/{task_id}", headers=auth("t1a")).json()
    assert detail["two_officers"] is True and detail["form"]["properties"]["officers"]["title"] == "执法人员"

    def complete(officers, username="t1a"):
        return client.post(f"/api/v1/tasks/{task_id}/complete", headers=auth(username),
                           json={"data": {"officers": officers, "findings": "消防通道堵塞"}})

    alone = complete([world.officer("t1a")])
    assert (alone.status_code, alone.json()["code"]) == (422, "two_officers_required")
    with_aux = complete([world.officer("t1a"), world.officer("t1aux")])
    assert (with_aux.status_code, with_aux.json()["code"]) == (422, "officer_not_eligible")
    assert with_aux.json()["message"] == "用户t1aux为辅助人员, 不能作为执法人员"
    expired = complete([world.officer("t1a"), world.officer("t1expired")])
    assert expired.json()["message"] == "用户t1expired的行政执法证未登记或已过期"
    forged = complete([world.officer("t1a"), {**world.officer("t1b"), "certificate_no": "赣36080000"}])
    assert (forged.status_code, forged.json()["code"]) == (422, "officer_not_eligible")
    assert forged.json()["message"].endswith("的执法证号与登记不符")
    sibling = complete([world.officer("t1a"), world.officer("t2a")])
    assert sibling.json()["message"] == "用户t2a不属于本案承办单位, 也未经县局指派参与本案"
    by_aux = complete([world.officer("t1a"), world.officer("t1b")], username="t1aux")
    assert (by_aux.status_code, by_aux.json()["code"]) == (403, "auxiliary_staff")
    by_other_township = complete([world.officer("t2a"), world.officer("t2b")], username="t2a")
    assert by_other_township.status_code == 404  # the task of a case the township does not see

    # nothing above changed the case
    assert client.get(f"/api/v1/cases/{case['case']['id']}", headers=auth("t1a")).json()["tasks"][0]["id"] == task_id

    added = client.post(f"/api/v1/cases/{case['case']['id']}/members", json={"user_id": world.id("t2a")}, headers=auth("c1"))
    assert added.status_code == 201
    done = complete([world.officer("t1a"), world.officer("t2a")])
    assert done.status_code == 200, done.text
    assert [(t["name"], t["role"]) for t in done.json()["tasks"]] == [("决定", "agency_head")]


def _county_case_under_review(client, auth, world) -> tuple[int, str]:
    start = client.post("/api/v1/cases", headers=auth("c1"), json={
        "process": "case_api", "party": {"kind": "unit", "name": "遂川县某煤矿"}, "title": "立案调查"})
    assert start.status_code == 201 and start.json()["case"]["kind"] == "case"
    case_id, task_id = start.json()["case"]["id"], start.json()["tasks"][0]["id"]
    done = client.post(f"/api/v1/tasks/{task_id}/complete", headers=auth("c_reviewer"),
                       json={"data": {"officers": [world.officer("c_reviewer"), world.officer("c1")], "findings": "超员作业"}})
    assert done.status_code == 200, done.text
    return case_id, done.json()["tasks"][0]["id"]


def test_a_legal_reviewer_who_investigated_the_case_may_not_review_it(client, auth, world):
    case_id, review_id = _county_case_under_review(client, auth, world)
    # the review is not in the investigator's inbox, but it is in an impartial reviewer's
    assert review_id not in [t["id"] for t in client.get("/api/v1/tasks", headers=auth("c_reviewer")).json()]
    assert review_id in [t["id"] for t in client.get("/api/v1/tasks", headers=auth("reviewer")).json()]
    refused = client.post(f"/api/v1/tasks/{review_id}/complete", headers=auth("c_reviewer"), json={"data": {"opinion": "同意"}})
    assert refused.status_code == 403
    assert refused.json()["code"] == "investigator_excluded"
    assert refused.json()["message"] == "用户c_reviewer参与了本案调查, 不能担任法制审核人员"
    assert client.post(f"/api/v1/tasks/{review_id}/complete", headers=auth("c1"),
                       json={"data": {"opinion": "同意"}}).status_code == 403  # not a legal reviewer
    accepted = client.post(f"/api/v1/tasks/{review_id}/complete", headers=auth("reviewer"), json={"data": {"opinion": "同意"}})
    assert accepted.status_code == 200
    assert accepted.json()["case"]["status"] == "deciding"


def test_supervisor_reads_only_assigned_archived_cases_and_each_read_is_recorded(client, auth, world, runtime):
    case_id, _ = _county_case_under_review(client, auth, world)
    url = f"/api/v1/cases/{case_id}"
    assigned = client.post(f"{url}/reviewers", json={"user_id": world.id("supervisor")}, headers=auth("head"))
    assert assigned.status_code == 201
    assert client.get(url, headers=auth("supervisor")).status_code == 404  # not archived yet: not to be seen
    with transaction(runtime.engine) as session:
        case = session.get(Case, case_id)
        case.status = CaseStatus.archived
        session.add(case)
    assert client.get(url, headers=auth("supervisor")).status_code == 200
    assert client.get(f"{url}/record", headers=auth("supervisor")).status_code == 200
    assert client.get(url, headers=auth("head")).status_code == 200
    with Session(runtime.engine) as session:
        reads = session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id, RecordEvent.kind == "supervisor_read")).all()
    assert [(e.actor_name, e.role) for e in reads] == [("用户supervisor", "supervisor")] * 2
    verified = client.post(f"{url}/record/verify", headers=auth("supervisor")).json()
    # started, investigated, reviewer assigned, two reads, the verification's own read
    assert verified["intact"] is True and verified["events"] == 6
    listed = client.get("/api/v1/cases", headers=auth("supervisor")).json()
    assert [c["id"] for c in listed["items"]] == [case_id]


def test_case_detail_shows_tasks_timeline_members_links_documents_and_evidence(client, auth, world, runtime, frozen_clock):
    parent = start_inspection(client, auth("t1a"), world.agencies.township.id)
    child = start_inspection(client, auth("t1a"), world.agencies.township.id, parent_case_id=parent["case"]["id"])
    client.post(f"/api/v1/cases/{parent['case']['id']}/members", json={"user_id": world.id("c2")}, headers=auth("head"))
    detail = client.get(f"/api/v1/cases/{parent['case']['id']}", headers=auth("t1a")).json()
    assert [t["name"] for t in detail["tasks"]] == ["现场检查"]
    assert [(e["seq"], e["kind"], e["actor_name"]) for e in detail["timeline"]] == [
        (1, "case_started", "用户t1a"), (2, "officer_assigned", "用户head")]
    assert [(m["display_name"], m["purpose"]) for m in detail["members"]] == [("用户c2", "officer")]
    assert [c["id"] for c in detail["children"]] == [child["case"]["id"]]
    child_detail = client.get(f"/api/v1/cases/{child['case']['id']}", headers=auth("t1a")).json()
    assert child_detail["parent"]["number"] == parent["case"]["number"]
    assert detail["documents"] == [] and detail["evidence"] == []

    with transaction(runtime.engine) as session:
        session.add(IssuedDocument(case_id=parent["case"]["id"], doc_id="inspection_record", title="现场检查记录",
                                   number="（遂泉）应急检记〔2026〕1号", issuer="遂泉", snapshot={}, issued_at=frozen_clock()))
        session.add(Evidence(case_id=parent["case"]["id"], type="audio_video", collected_by=["用户t1a"],
                             object_key="k" * 64, size=2048, sha256="a" * 64, filename="现场.mp4",
                             created_at=frozen_clock()))
    detail = client.get(f"/api/v1/cases/{parent['case']['id']}", headers=auth("c1")).json()
    assert [(d["title"], d["number"], d["voided"]) for d in detail["documents"]] == [
        ("现场检查记录", "（遂泉）应急检记〔2026〕1号", False)]
    assert [(e["type_label"], e["filename"], e["size"]) for e in detail["evidence"]] == [("视听资料", "现场.mp4", 2048)]


def test_errors_share_one_model(client, auth, world):
    headers = auth("t1a")
    missing = client.get("/api/v1/cases/999", headers=headers)
    assert (missing.status_code, missing.json()["code"], missing.json()["message"]) == (404, "not_found", "案件不存在或无权查看")
    no_route = client.get("/api/v1/nothing-here", headers=headers)
    assert no_route.json() == {"code": "not_found", "message": "请求的接口不存在", "details": None}
    wrong_method = client.delete("/api/v1/cases", headers=headers)
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
    malformed = client.post("/api/v1/cases", headers=headers, json={"process": "inspection_api", "party": {"kind": "unit"}})
    assert malformed.status_code == 422
    assert malformed.json()["code"] == "validation_failed"
    assert malformed.json()["details"] == [
        {"path": "$.party.name", "field": "party.name", "title": "当事人名称或姓名", "message": "缺少必填项「当事人名称或姓名」"}]
    not_json = client.post("/api/v1/cases", headers={**headers, "content-type": "application/json"}, content=b"{")
    assert (not_json.status_code, not_json.json()["code"]) == (422, "validation_failed")
    unknown_process = client.post("/api/v1/cases", headers=headers, json={"process": "nope", "party": {"kind": "unit", "name": "某厂"}})
    assert (unknown_process.status_code, unknown_process.json()["message"]) == (404, "流程 nope 不存在")
    case = start_inspection(client, headers, world.agencies.township.id)
    task_id = case["tasks"][0]["id"]
    data = {"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "findings": "无"}}
    assert client.post(f"/api/v1/tasks/{task_id}/complete", json=data, headers=headers).status_code == 200
    again = client.post(f"/api/v1/tasks/{task_id}/complete", json=data, headers=headers)
    assert (again.status_code, again.json()["code"]) == (409, "task_conflict")
    form_error = client.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {}}, headers=headers)
    assert form_error.status_code == 409  # the task is done; the state is checked before the form
