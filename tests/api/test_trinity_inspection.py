"""Issue 15, the 三位一体 inspection (启动会 + 现场执法检查 + 总结会) over HTTP: started with the flag, the case runs a
kickoff meeting, the on-site inspection and a summary meeting; each meeting issues its record (the unit's principal,
safety manager and operators present, the experts with their qualifications), the summary record reads back the
problems found on site, and an expert's written opinion is attached to the summary step as evidence. An inspection
started without the flag goes straight to the on-site inspection as before."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import object_store
from documents.rendition import render_pending
from tests.api.conftest import PARTY
from tests.api.test_documents_http import docx_text
from tests.engine.test_inspection_stage import PROBLEM, record_data

ATTENDEES = [{"role": "principal", "name": "王林峰", "post": "厂长"},
             {"role": "safety_manager", "name": "李安", "post": "安全员"}, {"role": "operator", "name": "赵平"}]
EXPERT = {"name": "陈思远", "employer": "江西省安全生产专家库", "qualification": "注册安全工程师(化工)"}


@pytest.fixture
def runtime(app_runtime):
    return app_runtime


@pytest.fixture
def client(store_kind, runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


def start(client, auth, world, **data) -> dict:
    response = client.post("/api/v1/cases", headers=auth("t1a"), json={
        "process": "inspection", "agency_id": world.agencies.township.id, "party": PARTY, "title": "三位一体检查",
        "data": data})
    assert response.status_code == 201, response.text
    return response.json()


def complete(client, auth, view: dict, name: str, data: dict) -> dict:
    [task] = [t for t in view["tasks"] if t["name"] == name]
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=auth("t1a"))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_trinity_inspection_holds_both_meetings_with_their_records(client, auth, world):
    officers = [world.officer("t1a"), world.officer("t1b")]
    view = start(client, auth, world, trinity_mode=True)
    assert [t["name"] for t in view["tasks"]] == ["召开启动会"]
    case_id = view["case"]["id"]
    view = complete(client, auth, view, "召开启动会", {
        "kickoff_at": "2026-03-02T08:30:00+08:00", "kickoff_place": "厂部会议室", "kickoff_attendees": ATTENDEES,
        "kickoff_experts": [EXPERT], "kickoff_briefing": "说明检查依据、内容和要求; 厂长汇报安全生产情况"})
    assert [t["name"] for t in view["tasks"]] == ["现场检查"]
    view = complete(client, auth, view, "现场检查", record_data([PROBLEM]) | {"officers": officers})
    [summary] = [t for t in view["tasks"] if t["name"] == "召开总结会"]

    opinion = client.post(f"/api/v1/cases/{case_id}/evidence", headers=auth("t1a"), data={
        "type": "expert_opinion", "collected_by": ["用户t1a"], "collected_at": "2026-03-02T08:55:00+08:00",
        "description": "陈思远专家书面意见", "task_id": summary["id"]},
        files={"file": ("专家意见.pdf", b"%PDF-1.4 expert opinion", "application/pdf")})
    assert opinion.status_code == 201, opinion.text
    view = complete(client, auth, view, "召开总结会", {
        "summary_at": "2026-03-02T16:00:00+08:00", "summary_place": "厂部会议室", "summary_attendees": ATTENDEES,
        "summary_experts": [{"name": EXPERT["name"], "qualification": EXPERT["qualification"],
                             "opinion": "培训计划缺失, 建议一周内补齐"}],
        "summary_conclusion": "向单位逐项反馈检查发现的问题, 提出整改要求", "unit_response": "立即整改"})
    assert [t["name"] for t in view["tasks"]] == ["责令限期整改"]  # the findings are handled as usual

    docs = client.get(f"/api/v1/cases/{case_id}/documents", headers=auth("t1a")).json()
    assert [d["title"] for d in docs] == ["三位一体检查启动会记录", "现场检查记录", "三位一体检查总结会记录"]
    render_pending(client.app.state.runtime.engine, object_store())
    texts = {d["title"]: docx_text(client.get(f"/api/v1/documents/{d['id']}/download", params={"format": "docx"},
                                              headers=auth("t1a")).content) for d in docs}
    kickoff, summary_text = texts["三位一体检查启动会记录"], texts["三位一体检查总结会记录"]
    for text in (kickoff, summary_text):
        assert all(word in text for word in ("主要负责人", "王林峰", "安全生产管理人员", "李安", "从业人员", "赵平"))
    assert "注册安全工程师（化工）" in kickoff and "厂部会议室" in kickoff
    assert PROBLEM["description"] in summary_text and PROBLEM["provision"] in summary_text  # read back to the unit
    assert "培训计划缺失，建议一周内补齐" in summary_text and "立即整改" in summary_text
    evidence = client.get(f"/api/v1/cases/{case_id}", headers=auth("t1a")).json()["evidence"]
    assert [(e["type"], e["task_id"]) for e in evidence] == [("expert_opinion", summary["id"])]


def test_an_inspection_without_the_flag_has_no_meetings(client, auth, world):
    view = start(client, auth, world)
    assert [t["name"] for t in view["tasks"]] == ["现场检查"]
    view = complete(client, auth, view, "现场检查", record_data([]) | {
        "officers": [world.officer("t1a"), world.officer("t1b")]})
    assert view["tasks"] == [] and view["case"]["status"] == "closed_no_case"


def test_a_meeting_without_the_units_attendees_is_refused_in_chinese(client, auth, world):
    view = start(client, auth, world, trinity_mode=True)
    [task] = view["tasks"]
    refused = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=auth("t1a"), json={"data": {
        "kickoff_at": "2026-03-02T08:30:00+08:00", "kickoff_place": "厂部会议室", "kickoff_attendees": [],
        "kickoff_briefing": "说明检查要求"}})
    assert refused.status_code == 422
    assert "参会的被检查单位人员" in refused.text
