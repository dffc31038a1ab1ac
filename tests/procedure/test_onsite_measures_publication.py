"""公示 of on-site measures (issue #16 follow-up; 国办发〔2018〕118号), over HTTP.

A 现场处理措施决定 is another enforcement decision: once lawfully taken (approved beforehand, or approved afterwards
when it was taken on the spot in an emergency) the county officer publishes it within 20 working days of the day
it was taken, beside the head's review of the hazard's elimination. The text is redacted by the profile's rule,
fields marked as trade secrets are left out, and the public feed shows it. A measure the head refuses to approve
afterwards is released and never published.
"""

import io

import pytest
from sqlmodel import Session

from api.bootstrap import object_store
from documents.evidence.custody import upload_evidence
from documents.evidence.models import EvidenceMeta, EvidenceType
from engine import clock
from engine.vocab import Role
from tests.factories import actor
from tests.procedure.http_actors import http_actors
from tests.procedure.test_urgent_measures_http import PARTY, at, officers, report

ISSUE = "实施现场处理措施并送达现场处理措施决定书"
PUBLISH = "公示现场处理措施决定"
RESUME = "审查隐患排除情况并决定恢复生产经营"
PROPOSAL = {"measure_type": "onsite", "hazard": "液氨储罐区泄漏报警装置停用、安全阀失效,仍在充装作业",
            "legal_basis": "《安全生产法》第六十五条第一款第三项", "reasons": "隐患排除前无法保证安全"}
MEASURES = "立即撤出储罐区作业人员,停止使用1号、2号液氨储罐;现场负责人王林峰(电话13907961111)签收"
CHANNEL = "遂川县人民政府网站"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def onsite_taken(http, agencies, frozen_clock, *, urgent: bool) -> int:
    """On 2 June 2026 the county officers stop the ammonia tanks at 14:00, approved beforehand or on the spot."""
    at(frozen_clock, "2026-06-02", 10)
    started = http.client.post("/api/v1/cases", headers=http.headers("officer"), json={
        "process": "compulsory_measures", "party": PARTY, "title": "液氨储罐重大事故隐患现场处理"})
    assert started.status_code == 201, started.text
    case_id = started.json()["case"]["id"]
    proposal = PROPOSAL | ({"urgent": True, "urgency_reason": "储罐正在泄漏，来不及事先报批"} if urgent else {})
    assert http.post_task("officer", case_id, "审查隐患报告并提出措施意见", proposal).status_code == 200
    if not urgent:
        approved = http.post_task("head", case_id, "审批强制措施", {"measures_approved": True, "head_opinion": "同意",
                                                                "approved_on": "2026-06-02"})
        assert approved.status_code == 200, approved.text
    at(frozen_clock, "2026-06-02", 14, 30)
    [task] = http.inbox("officer", case_id)
    with Session(http.runtime.engine, expire_on_commit=False) as session, session.begin():
        upload_evidence(session, object_store(), case_id=case_id, task_id=task["id"],
                        actor=actor(Role.county_officer, agencies.county),
                        meta=EvidenceMeta(type=EvidenceType.audio_video, collected_by=["用户officer", "用户officer2"],
                                          collected_at=clock.now(), description="执法记录仪全程录像",
                                          filename="现场处理.mp4", content_type="video/mp4"),
                        stream=io.BytesIO(b"mp4 bytes"), expected_sha256=None)
    issued = http.post_task("officer", case_id, ISSUE, {
        "officers": officers(http), "measure_kinds": ["evacuate", "stop_use"], "measures": MEASURES,
        "measure_term": "至重大事故隐患排除并经审查同意", "measure_until": "2026-07-31", "executed_at": "2026-06-02T14:00"})
    assert issued.status_code == 200, issued.text
    return case_id


def feed(http, q: str) -> list[dict]:
    response = http.client.get("/api/v1/public/publications", params={"q": q})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_onsite_measures_approved_beforehand_are_published_within_20_working_days_redacted(http, agencies, frozen_clock):
    case_id = onsite_taken(http, agencies, frozen_clock, urgent=False)
    [publish] = http.inbox("officer", case_id)
    assert (publish["name"], publish["due_on"]) == (PUBLISH, "2026-07-01")  # 端午 (19 June) not counted
    assert [t["name"] for t in http.inbox("head", case_id)] == [RESUME]  # the review goes on beside it

    at(frozen_clock, "2026-07-02", 9)
    late = http.post_task("officer", case_id, PUBLISH, {"published_on": "2026-07-02", "publication_channel": CHANNEL})
    assert late.status_code == 422 and late.json()["message"] == "现场处理措施决定应当在作出之日起20个工作日内公示"
    assert feed(http, "现场处理措施") == []
    published = http.post_task("officer", case_id, PUBLISH, {"published_on": "2026-06-03", "publication_channel": CHANNEL,
                                                              "trade_secret_fields": ["hazard"]})
    assert published.status_code == 200, published.text

    [item] = feed(http, "现场处理措施")
    assert item["kind_label"] == "其他行政执法决定（现场处理措施）"
    assert item["title"] == "遂川县林峰家具厂现场处理措施决定信息（（遂）应急现决〔2026〕1号）"
    text = item["text"]
    assert "当事人：遂川县林峰家具厂" in text and "发现的重大事故隐患：（涉及商业秘密，不予公开）" in text
    assert "安全阀失效" not in text and "法律依据：《安全生产法》第六十五条第一款第三项" in text
    assert "停止使用1号、2号液氨储罐" in text and "期限：2026-06-02至2026-07-31" in text
    assert "13907961111" not in text  # a person's phone number inside free text is masked
    page = http.client.get("/public/publications")  # the public page, no login
    assert page.status_code == 200 and "遂川县林峰家具厂现场处理措施决定信息" in page.text and "13907961111" not in page.text


def test_onsite_measures_taken_on_the_spot_are_published_only_once_the_head_approves_them(http, agencies, frozen_clock):
    case_id = onsite_taken(http, agencies, frozen_clock, urgent=True)
    assert [t["name"] for t in http.inbox("officer", case_id)] == ["向负责人报告当场实施的强制措施"]
    at(frozen_clock, "2026-06-02", 18)
    assert http.post_task("officer", case_id, "向负责人报告当场实施的强制措施", report("2026-06-02T17:00")).status_code == 200
    approved = http.post_task("head", case_id, "补办强制措施批准手续", {"measures_approved": True, "head_opinion": "同意",
                                                                  "approved_on": "2026-06-02"})
    assert approved.status_code == 200, approved.text
    [publish] = http.inbox("officer", case_id)
    assert (publish["name"], publish["due_on"]) == (PUBLISH, "2026-07-01")
    assert [t["name"] for t in http.inbox("head", case_id)] == [RESUME]


def test_onsite_measures_the_head_refuses_afterwards_are_released_and_never_published(http, agencies, frozen_clock):
    case_id = onsite_taken(http, agencies, frozen_clock, urgent=True)
    at(frozen_clock, "2026-06-02", 18)
    assert http.post_task("officer", case_id, "向负责人报告当场实施的强制措施", report("2026-06-02T17:00")).status_code == 200
    refused = http.post_task("head", case_id, "补办强制措施批准手续", {"measures_approved": False, "approved_on": "2026-06-02",
                                                                 "head_opinion": "泄漏已止住，不应当采取现场处理措施"})
    assert refused.status_code == 200, refused.text
    assert [t["name"] for t in http.inbox("officer", case_id)] == ["立即解除当场实施的强制措施"]
    assert feed(http, "现场处理措施") == []
