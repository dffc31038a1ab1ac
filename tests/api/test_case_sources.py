"""Issue 3: where a general-procedure case comes from (案件来源).

A case not found by an inspection is opened on a report (举报, by a grid member or a citizen) or an
assignment from a higher level; the start names which and its reference, and the 立案审批表 says so.
"""

import pytest
from sqlmodel import Session, select

from api.bootstrap import build_runtime
from documents.models import IssuedDocument
from engine.db import get_engine

PARTY = {"kind": "unit", "name": "遂川县某烟花爆竹经营部", "address": "遂川县泉江镇新华路12号", "legal_representative": "郭明"}


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def start(client, headers, data: dict):
    return client.post("/api/v1/cases", headers=headers, json={
        "process": "general_procedure", "party": PARTY, "title": "超量储存烟花爆竹", "data": data})


def task_named(client, headers, case_id: int, name: str) -> dict:
    [task] = [t for t in client.get("/api/v1/tasks", headers=headers).json() if t["case_id"] == case_id and t["name"] == name]
    return client.get(f"/api/v1/tasks/{task['id']}", headers=headers).json()


def complete(client, headers, task: dict, data: dict) -> dict:
    response = client.post(f"/api/v1/tasks/{task['task']['id']}/complete", headers=headers, json={"data": data})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_case_opened_on_a_report_names_the_report_on_its_filing_approval(client, auth, world, runtime):
    started = start(client, auth("c1"), {"case_source_kind": "report", "case_source_ref": "遂应急举〔2026〕7号"})
    assert started.status_code == 201, started.text
    case = started.json()["case"]
    assert case["number"] is None  # not filed yet: the 案号 comes with the filing approval

    filing = task_named(client, auth("c1"), case["id"], "填写立案审批表")
    assert filing["prefill"]["case_source"] == "举报：遂应急举〔2026〕7号"
    complete(client, auth("c1"), filing, {
        **filing["prefill"], "case_name": "遂川县某烟花爆竹经营部超量储存烟花爆竹案",
        "case_summary": "群众举报该经营部在门店超量储存烟花爆竹，经初步核实属实",
        "suspected_provisions": "《烟花爆竹安全管理条例》第三十六条", "officer_opinion": "建议立案调查",
        "officers": [world.officer("c1"), world.officer("c2")], "contact": "0796-6300001"})
    approval = task_named(client, auth("head"), case["id"], "审批立案")
    assert client.get(f"/api/v1/cases/{case['id']}", headers=auth("c1")).json()["case"]["number"] is None
    filed = complete(client, auth("head"), approval, {"filing_approved": True, "head_opinion": "同意立案",
                                                      "approved_on": "2026-03-02"})
    assert filed["case"]["number"] == "（遂）应急立〔2026〕1号"

    with Session(runtime.engine) as session:
        document = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case["id"],
                                                             IssuedDocument.doc_id == "filing_approval")).one()
    assert document.snapshot["fields"]["case_source"] == "举报：遂应急举〔2026〕7号"
    assert (document.number, document.snapshot["case"]["case_number"]) == ("（遂）应急立审〔2026〕1号", "（遂）应急立〔2026〕1号")


def test_a_case_returned_at_filing_stays_without_a_number(client, auth, world):
    case = start(client, auth("c1"), {"case_source_kind": "report", "case_source_ref": "遂应急举〔2026〕8号"}).json()["case"]
    filing = task_named(client, auth("c1"), case["id"], "填写立案审批表")
    complete(client, auth("c1"), filing, {
        **filing["prefill"], "case_name": "某经营部超量储存烟花爆竹案", "case_summary": "群众举报, 经初步核实不属实",
        "suspected_provisions": "《烟花爆竹安全管理条例》第三十六条", "officer_opinion": "建议立案调查",
        "officers": [world.officer("c1"), world.officer("c2")], "contact": "0796-6300001"})
    approval = task_named(client, auth("head"), case["id"], "审批立案")
    returned = complete(client, auth("head"), approval, {"filing_approved": False, "head_opinion": "证据不足, 退回",
                                                         "approved_on": "2026-03-02"})
    assert returned["case"]["number"] is None
    second = start(client, auth("c1"), {"case_source_kind": "report", "case_source_ref": "遂应急举〔2026〕9号"}).json()
    assert second["case"]["number"] is None


@pytest.mark.parametrize(("data", "message"), [
    ({}, "直接受理的案件应写明案件来源: 举报(report)或上级交办(assignment)"),
    ({"case_source_kind": "inspection", "case_source_ref": "（遂）应急检〔2026〕3号"},
     "直接受理的案件应写明案件来源: 举报(report)或上级交办(assignment)"),
    ({"case_source_kind": "report", "case_source_ref": "  "}, "案件来源为举报的, 应写明举报登记编号(不超过100字)"),
    ({"case_source_kind": "assignment"}, "案件来源为上级交办的, 应写明交办文件文号(不超过100字)"),
])
def test_a_case_opened_directly_must_name_a_report_or_an_assignment(client, auth, world, data, message):
    response = start(client, auth("c1"), data)
    assert (response.status_code, response.json()["code"], response.json()["message"]) == (
        422, "case_source_required", message)
    assert client.get("/api/v1/cases", headers=auth("c1")).json()["total"] == 0


def test_measures_and_simple_procedure_cases_are_numbered_in_their_own_series(client, auth, world):
    def number(username: str, process: str) -> str:
        response = client.post("/api/v1/cases", headers=auth(username), json={"process": process, "party": PARTY})
        assert response.status_code == 201, response.text
        return response.json()["case"]["number"]

    assert number("c1", "compulsory_measures") == "（遂）应急措〔2026〕1号"
    assert number("t1a", "simple_procedure_case") == "（遂泉）应急简〔2026〕1号"
    assert number("c1", "simple_procedure_case") == "（遂）应急简〔2026〕1号"
