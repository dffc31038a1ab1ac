"""Issue 10: a refused form names every field that failed, at once, by its JSON path and Chinese title."""

import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.procedure.inspection_steps import assessment, record

PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
         "legal_representative": "王林峰"}


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def onsite_task(client, headers) -> str:
    started = client.post("/api/v1/cases", headers=headers, json={"process": "inspection", "party": PARTY})
    assert started.status_code == 201, started.text
    return started.json()["tasks"][0]["id"]


def complete(client, headers, task_id: str, data: dict):
    return client.post(f"/api/v1/tasks/{task_id}/complete", headers=headers, json={"data": data})


def test_every_problem_of_a_submission_comes_back_at_once_named_by_path_and_title(client, auth, world):
    task_id = onsite_task(client, auth("t1a"))
    refused = complete(client, auth("t1a"), task_id, {
        "party": {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "3608271234"},
        "officers": [world.officer("t1a")], "problems": [], "unit_signature": "refused"})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "validation_failed"
    assert [(d["path"], d["title"]) for d in body["details"]] == [
        ("$.place", "检查场所"),
        ("$.started_at", "检查开始时间"),
        ("$.ended_at", "检查结束时间"),
        ("$.site_responsible", "现场负责人"),
        ("$.unit_attendees", "被检查单位在场人员"),
        ("$.checked_items", "检查内容"),
        ("$.findings", "检查情况"),
        ("$.handling", "处理情况"),
        ("$.party.credit_code", "统一社会信用代码"),
        ("$.signature_refused", "拒绝签字情况"),
        ("$.officers", "执法人员"),
    ]
    by_path = {d["path"]: d for d in body["details"]}
    assert by_path["$.handling"]["message"] == "缺少必填项「处理情况」"
    assert by_path["$.party.credit_code"]["message"] == "「统一社会信用代码」格式不正确"
    assert by_path["$.officers"]["code"] == "two_officers_required"
    assert by_path["$.party.credit_code"]["field"] == "party.credit_code"
    assert "缺少必填项「检查场所」" in body["message"] and "两名以上执法人员" in body["message"]


def test_a_violation_code_not_in_the_catalogue_is_refused(client, auth, world):
    task_id = onsite_task(client, auth("t1a"))
    officers = [world.officer("t1a"), world.officer("t1b")]
    unknown = {"description": "作业场所未设置安全警示标志", "provision": "《安全生产法》第三十五条", "violation_code": "SPL-999-1"}
    data = record("2026-03-02", [unknown], party=PARTY) | {"officers": officers}
    refused = complete(client, auth("t1a"), task_id, data)
    assert refused.status_code == 422
    assert [(d["path"], d["message"]) for d in refused.json()["details"]] == [
        ("$.problems[0].violation_code", "「违法行为代码」不在违法行为清单中")]

    known = {**unknown, "violation_code": "SPL-099-1-01"}
    done = complete(client, auth("t1a"), task_id, data | {"problems": [known]})
    assert done.status_code == 200, done.text
    [opinion] = [t for t in done.json()["tasks"] if t["name"] == "违法行为处理意见"]
    refused = complete(client, auth("t1a"), opinion["id"], assessment(violation_code="SPL-999-1"))
    assert refused.status_code == 422
    assert refused.json()["details"][0]["path"] == "$.violation_code"
    listed = client.get("/api/v1/cases", headers=auth("c1")).json()
    assert listed["total"] == 1  # nothing was reported up to the county
