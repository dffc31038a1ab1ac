"""公示 (DOMAIN.md §9): the publication step publishes the redacted decision, its record event carries the text's
SHA-256; a withdrawn publication disappears from the public page and feed, and its withdrawal notice appears."""

import hashlib
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from documents.publication.models import Publication
from engine import record
from engine.db import read_session
from tests.procedure import steps

PERSON = {"kind": "person", "name": "刘建国", "id_number": "360827197501010011", "phone": "138-0796-1234",
          "address": "遂川县泉江镇龙泉大道20号"}
FACTS = "经查，刘建国（身份证号码360827197501010011，电话13807961234，住遂川县泉江镇龙泉大道20号）未组织安全培训"


@pytest.fixture
def public(runtime, monkeypatch):
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "test-signing-key-" + "k" * 32)
    with TestClient(create_app(runtime)) as client:
        yield client


def published_case(case):
    """A natural person's penalty decision (the facts naming the person's ID, phone and home), published on 19 March."""
    case.start("2026-03-02", {"party": PERSON}, party_name=PERSON["name"])
    case.complete("填写立案审批表", steps.filing("刘建国未组织安全培训案", "检查发现违法行为", "《安全生产法》第九十四条"))
    case.complete("审批立案", steps.approve("2026-03-02", "filing_approved"))
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", {**steps.report(penalty_kinds=["fine"], fine=2000),
                                             "facts": FACTS})
    case.complete("审批处理意见", steps.handling("2026-03-10", "penalty"))
    case.complete("送达行政处罚告知书", steps.notice("2026-03-11"), on="2026-03-11")
    case.wait_until("2026-03-17")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 2000), on="2026-03-17")
    case.complete("送达行政处罚决定书", steps.service("2026-03-18", case.data), on="2026-03-18")
    case.complete("公示行政处罚决定", steps.publication("2026-03-19"), on="2026-03-19")
    case.complete("登记罚款缴纳", steps.payment("2026-03-30", 2000), on="2026-03-30")
    return case


def publication_events(case, task_name):
    with read_session(case.runtime.engine) as session:
        return [event.outputs for event in record.events(session, case.case.id) if event.task_name == task_name]


def test_the_publication_step_publishes_the_redacted_decision_with_its_hash_in_the_record(county_case, public):
    case = published_case(county_case)
    with read_session(county_case.runtime.engine) as session:
        row = session.exec(select(Publication).where(Publication.case_id == case.case.id)).one()
    assert "被处罚人：刘某" in row.text and "住[住址不予公开]" in row.text
    assert "360827197501010011" not in row.text and "13807961234" not in row.text and "刘建国" not in row.text
    assert row.text_sha256 == hashlib.sha256(row.text.encode("utf-8")).hexdigest()
    assert publication_events(case, "公示行政处罚决定") == [[{
        "publication": row.public_id, "kind": "penalty_decision", "sha256": row.text_sha256,
        "redaction_rule": "v1/jiangxi@2021-07-15/name=surname"}]]

    feed = public.get("/api/v1/public/publications", params={"q": "刘某"}).json()
    assert [item["public_id"] for item in feed["items"]] == [row.public_id] and feed["total"] == 1
    assert feed["items"][0]["text"] == row.text
    # nothing that leads into the authenticated API: only the publication's own opaque id
    assert set(feed["items"][0]) == {"public_id", "kind", "kind_label", "title", "text", "sha256", "published_at"}
    page = public.get("/public/publications", params={"q": "龙泉"})  # the address is not published: no match
    assert page.status_code == 200 and "暂无公示信息" in page.text


def test_a_withdrawn_publication_leaves_the_page_and_feed_and_its_withdrawal_notice_appears(county_case, public):
    case = published_case(county_case)
    page = public.get("/public/publications")
    assert "刘某行政处罚决定信息" in page.text and "主要违法事实" in page.text
    revoked = steps.remedy("reconsideration", "2026-04-10", "revoked", "2026-05-15")
    case.complete("填写结案审批表", steps.closing_with_remedies(revoked), on="2026-05-18")
    case.complete("撤回公示", steps.publication_withdrawal("2026-05-19"), on="2026-05-19")

    feed = public.get("/api/v1/public/publications").json()
    assert feed["items"] == [] and feed["total"] == 0
    assert [(n["title"], n["reason"]) for n in feed["withdrawals"]] == [
        ("刘某行政处罚决定信息（" + case.data["documents"]["penalty_decision"] + "）", "行政处罚决定已被行政复议机关撤销")]
    page = public.get("/public/publications")
    assert "撤回公示说明" in page.text and "行政处罚决定已被行政复议机关撤销" in page.text
    assert "主要违法事实" not in page.text and "经查" not in page.text
    assert re.search(r"撤回日期：2026年5月19日", page.text)
    [outputs] = publication_events(case, "撤回公示")
    assert outputs[-1]["reason"] == "行政处罚决定已被行政复议机关撤销" and outputs[-1]["publication_withdrawn"]


def test_the_power_list_is_public_paginated_and_searchable(runtime, public):
    first = public.get("/api/v1/public/powers", params={"page_size": 5}).json()
    assert len(first["items"]) == 5 and first["total"] > 5
    found = public.get("/api/v1/public/powers", params={"q": "第九十三条第二款"}).json()
    assert [item["code"] for item in found["items"]] == ["SPL-093-2"]
    page = public.get("/public/powers", params={"q": "SPL-093-2"})
    assert page.status_code == 200 and "个人经营的投资人未保证安全投入导致发生生产安全事故" in page.text
    assert "SPL-093-1" not in page.text
