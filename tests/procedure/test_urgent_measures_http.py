"""Urgent compulsory measures taken on the spot and reported afterwards (issue #11.6; 行政强制法 Art. 19), over HTTP.

A county officer finds a leaking ammonia tank and, the situation being urgent, seals it on the spot at 15:00 on
2 June 2026 without the head's prior approval. Within 24 hours (a due instant: 15:00 on 3 June) the officers
report to the head, who completes the approval afterwards (补办批准手续); a report after the instant needs a
recorded reason. If the head does not approve, the measure is released at once and the case closes.
"""

import io
from datetime import datetime

import pytest
from sqlmodel import Session

from api.bootstrap import object_store
from documents.evidence.custody import upload_evidence
from documents.evidence.models import EvidenceMeta, EvidenceType
from engine import clock, record
from engine.db import read_session
from engine.vocab import Role
from tests.conftest import SHANGHAI
from tests.factories import actor
from tests.procedure.http_actors import http_actors
from tests.procedure.test_compulsory_measures import SEIZURE

PARTY = {"kind": "unit", "name": "遂川县林峰家具厂"}
URGENT = {"measure_type": "seal_seize", "hazard": "液氨储罐安全阀失效且正在泄漏", "legal_basis": "《安全生产法》第六十五条第一款第四项",
          "reasons": "不立即查封可能发生中毒事故", "urgent": True, "urgency_reason": "储罐正在泄漏，来不及事先报批"}
SEIZE = "实施查封扣押并送达强制措施决定书"
REPORT = "向负责人报告当场实施的强制措施"
APPROVE = "补办强制措施批准手续"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def at(frozen_clock, day: str, hour: int, minute: int = 0) -> None:
    frozen_clock.at = datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00+08:00")


def officers(http) -> list[dict]:
    return [{"user_id": http.user_ids[u], "name": f"用户{u}", "certificate_no": f"赣360899{n:02d}"}
            for n, u in enumerate(["officer", "officer2"])]


def sealed_on_the_spot(http, agencies, frozen_clock) -> int:
    at(frozen_clock, "2026-06-02", 14, 30)
    started = http.client.post("/api/v1/cases", headers=http.headers("officer"), json={
        "process": "compulsory_measures", "party": PARTY, "title": "液氨储罐泄漏紧急查封"})
    assert started.status_code == 201, started.text
    case_id = started.json()["case"]["id"]
    proposed = http.post_task("officer", case_id, "审查隐患报告并提出措施意见", URGENT)
    assert proposed.status_code == 200, proposed.text
    assert [t["name"] for t in http.inbox("officer", case_id)] == [SEIZE]  # no prior approval on the urgent path
    assert http.inbox("head", case_id) == []

    at(frozen_clock, "2026-06-02", 15, 30)
    [task] = http.inbox("officer", case_id)
    with Session(http.runtime.engine, expire_on_commit=False) as session, session.begin():
        upload_evidence(session, object_store(), case_id=case_id, task_id=task["id"],
                        actor=actor(Role.county_officer, agencies.county),
                        meta=EvidenceMeta(type=EvidenceType.audio_video, collected_by=["用户officer", "用户officer2"],
                                          collected_at=clock.now(), description="执法记录仪全程录像",
                                          filename="查封.mp4", content_type="video/mp4"),
                        stream=io.BytesIO(b"mp4 bytes"), expected_sha256=None)
    seized = http.post_task("officer", case_id, SEIZE, SEIZURE | {"officers": officers(http), "executed_at": "2026-06-02T15:00"})
    assert seized.status_code == 200, seized.text
    return case_id


def report(hour_day: str, **extra) -> dict:
    return {"reported_at": hour_day, "reported_to": "局长陈志刚", "report": "液氨储罐泄漏，已当场查封储罐2台", **extra}


def test_an_urgent_seizure_is_reported_within_24_hours_by_the_instant_and_approved_afterwards(http, agencies, frozen_clock):
    case_id = sealed_on_the_spot(http, agencies, frozen_clock)
    [task] = http.inbox("officer", case_id)
    assert task["name"] == REPORT
    assert datetime.fromisoformat(task["due_at"]) == datetime(2026, 6, 3, 15, 0, tzinfo=SHANGHAI)
    at(frozen_clock, "2026-06-03", 16)
    assert http.inbox("officer", case_id)[0]["overdue"] is True  # due on the 3rd, and past 15:00

    late = http.post_task("officer", case_id, REPORT, report("2026-06-03T15:30"))
    assert (late.status_code, late.json()["code"]) == (422, "late_report_reason_required")
    assert late.json()["message"] == "当场实施后超过24小时才报告的,应当记录迟延报告的理由"
    reason = "当晚处置泄漏至次日下午，负责人外出，电话未能接通"
    reported = http.post_task("officer", case_id, REPORT, report("2026-06-03T15:30", late_reason=reason))
    assert reported.status_code == 200, reported.text

    [approval] = http.inbox("head", case_id)
    assert (approval["name"], approval["role"]) == (APPROVE, "agency_head")
    approved = http.post_task("head", case_id, APPROVE, {"measures_approved": True, "head_opinion": "同意，补办批准手续",
                                                        "approved_on": "2026-06-03"})
    assert approved.status_code == 200, approved.text
    [decide] = http.inbox("head", case_id)
    assert (decide["name"], decide["due_on"]) == ("对查封扣押物品作出处理决定", "2026-06-17")
    with read_session(http.runtime.engine) as session:
        events = record.events(session, case_id)
    [reported_event] = [e for e in events if e.task_name == REPORT]
    assert reported_event.inputs["late_reason"] == reason and {"computed": {"report_late": True}} in reported_event.outputs
    assert "审批强制措施" not in [e.task_name for e in events]


def test_an_urgent_seizure_the_head_does_not_approve_is_released_at_once(http, agencies, frozen_clock):
    case_id = sealed_on_the_spot(http, agencies, frozen_clock)
    at(frozen_clock, "2026-06-02", 18)
    assert http.post_task("officer", case_id, REPORT, report("2026-06-02T17:00")).status_code == 200
    refused = http.post_task("head", case_id, APPROVE, {"measures_approved": False, "approved_on": "2026-06-02",
                                                       "head_opinion": "泄漏已止住，不应当采取查封措施"})
    assert refused.status_code == 200, refused.text
    [release] = http.inbox("officer", case_id)
    assert (release["name"], release["due_on"]) == ("立即解除当场实施的强制措施", "2026-06-02")
    released = http.post_task("officer", case_id, "立即解除当场实施的强制措施", {
        "released_at": "2026-06-02T18:00", "release_reason": "负责人不批准", "items_returned": "已启封，储罐交还当事人"})
    assert released.status_code == 200, released.text
    case = http.get(f"/cases/{case_id}", "officer")["case"]
    assert (case["status"], case["outcome"]) == ("closed", "urgent_released")
