"""Issue 6: a task's form comes with what the case already knows (`prefill`), so nobody retypes it.

A township inspects and orders rectification; the reinspection form arrives with the order's number and the
officers, and the county case the inspection reports opens its filing form with the source already named.
Only the form's own top-level fields are prefilled, and only with values valid for them.
"""

import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.procedure.inspection_steps import assessment, record

ORDER_NUMBER = "（遂）应急责改〔2026〕1号"
PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
         "legal_representative": "王林峰"}
PROBLEM = {"description": "作业场所未设置安全警示标志", "provision": "《安全生产法》第三十五条", "violation_code": "SPL-099-1-01"}
ORDER = {"inspection_date": "2026-03-02", "rectification_items": [
    {"problem": "作业场所未设置安全警示标志", "provision": "《安全生产法》第三十五条",
     "requirement": "在锯木车间设置明显的安全警示标志", "deadline": "2026-03-12"}]}


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def task_detail(client, headers, case_id: int, name: str) -> dict:
    [task] = [t for t in client.get("/api/v1/tasks", headers=headers).json() if t["case_id"] == case_id and t["name"] == name]
    response = client.get(f"/api/v1/tasks/{task['id']}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def complete(client, headers, detail: dict, data: dict) -> dict:
    response = client.post(f"/api/v1/tasks/{detail['task']['id']}/complete", headers=headers, json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def test_forms_come_prefilled_with_what_the_case_already_knows(client, auth, world):
    officers = [world.officer("t1a"), world.officer("t1b")]
    started = client.post("/api/v1/cases", headers=auth("t1a"), json={
        "process": "inspection", "party": PARTY, "title": "日常检查"})
    assert started.status_code == 201, started.text
    inspection_id = started.json()["case"]["id"]

    onsite = task_detail(client, auth("t1a"), inspection_id, "现场检查")
    assert onsite["prefill"] == {"party": PARTY}  # the party named at the start
    complete(client, auth("t1a"), onsite, record("2026-03-02", [PROBLEM], party=PARTY, order_rectification=True)
             | {"officers": officers, "unit_attendees": [{"role": "principal", "name": "王林峰", "post": "厂长"}],
                "site_responsible": "王林峰"})
    order = task_detail(client, auth("t1a"), inspection_id, "责令限期整改")
    assert order["prefill"] == {"officers": officers}  # the officers of the inspection carry over
    complete(client, auth("t1a"), order, ORDER | {"officers": officers})
    complete(client, auth("t1a"), task_detail(client, auth("t1a"), inspection_id, "登记单位提前申请复查"),
             {"applied_on": "2026-03-02", "applicant": "王林峰"})

    reinspection = task_detail(client, auth("t1a"), inspection_id, "整改复查")
    assert reinspection["prefill"] == {"order_number": ORDER_NUMBER, "officers": officers}
    complete(client, auth("t1a"), reinspection, reinspection["prefill"] | {
        "reinspection_date": "2026-03-13", "opinion": "经复查，你单位逾期未改正。", "penalty_needed": True,
        "reinspection_results": [{"problem": "作业场所未设置安全警示标志", "rectified": False, "result": "未整改"}]})
    complete(client, auth("t1a"), task_detail(client, auth("t1a"), inspection_id, "违法行为处理意见"),
             assessment(penalised_party="unit", violation_code="SPL-099-1-01", facts="作业场所未设置安全警示标志，逾期未改正"))

    [county_case] = [c for c in client.get("/api/v1/cases", headers=auth("c1")).json()["items"]
                     if c["parent_case_id"] == inspection_id]
    filing = task_detail(client, auth("c1"), county_case["id"], "填写立案审批表")
    # the source is cited by a number a document carries: the inspection record's, not the inspection's case number;
    # the inspected unit is offered as the party; the officers confirm it or name the person fined instead
    assert filing["prefill"] == {"case_source": "检查发现：现场检查记录（遂）应急检记〔2026〕1号",
                                 "party": {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35XXXX1K",
                                           "address": "遂川县泉江镇工业大道8号", "legal_representative": "王林峰"}}


def test_an_approval_starts_blank_not_with_the_previous_approval_s_date_and_opinion(client, auth, world):
    started = client.post("/api/v1/cases", headers=auth("c1"), json={
        "process": "general_procedure", "party": PARTY, "title": "未设置安全警示标志",
        "data": {"case_source_kind": "report", "case_source_ref": "遂应急举〔2026〕9号"}})
    assert started.status_code == 201, started.text
    case_id = started.json()["case"]["id"]
    officers = [world.officer("c1"), world.officer("c2")]
    filing = task_detail(client, auth("c1"), case_id, "填写立案审批表")
    complete(client, auth("c1"), filing, filing["prefill"] | {
        "case_name": "遂川县林峰木业有限公司未设置安全警示标志案", "case_summary": "群众举报锯木车间未设置安全警示标志",
        "suspected_provisions": "《安全生产法》第三十五条", "officer_opinion": "建议立案调查", "officers": officers,
        "contact": "0796-6300001"})
    complete(client, auth("head"), task_detail(client, auth("head"), case_id, "审批立案"),
             {"filing_approved": True, "head_opinion": "同意立案", "approved_on": "2026-03-02"})

    investigation = task_detail(client, auth("c1"), case_id, "调查取证")
    assert investigation["prefill"] == {"officers": officers}  # the officers named on the filing
    complete(client, auth("c1"), investigation, investigation["prefill"] | {
        "evidence": "现场照片6张、询问笔录1份", "preservation_needed": False})
    complete(client, auth("c1"), task_detail(client, auth("c1"), case_id, "制作案件调查报告和处理呈批表"), {
        "facts": "锯木车间未设置安全警示标志", "violated_provisions": "《安全生产法》第三十五条",
        "penalty_basis": "《安全生产法》第九十九条第一项", "discretion": "首次违法", "proposal": "建议给予警告",
        "proposed_penalty": "警告", "penalty_kinds": ["warning"], "fine_amount": 0,
        "confiscation_value": 0, "public_interest": False, "complex_case": False, "daily_fine": False,
        "catalogue_item": None})

    handling = task_detail(client, auth("head"), case_id, "审批处理意见")
    assert handling["prefill"] == {}  # not the filing approval's 2 March and 同意立案
