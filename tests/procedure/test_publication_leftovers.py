"""公示 leftovers (issue 16, DOMAIN.md §9): a field the officer marks as a trade secret is never published; a random
inspection's result is published within 20 working days of the check, its deadline enforced by the engine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from documents.publication.models import Publication
from engine.db import read_session
from tests.procedure import steps

UNIT = {"kind": "unit", "name": "遂川县某化工有限公司", "credit_code": "91360827MA35R8QX1K", "legal_representative": "周建平"}
SECRET_FACTS = "经查，该公司以专有配方甲-7号工艺生产，未按规定设置安全设施"


@pytest.fixture
def public(runtime, monkeypatch):
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "test-signing-key-" + "k" * 32)
    with TestClient(create_app(runtime)) as client:
        yield client


def test_facts_marked_as_a_trade_secret_at_publication_are_never_published(county_case, public):
    case = county_case
    case.start("2026-03-02", {"party": UNIT}, party_name=UNIT["name"])
    case.complete("填写立案审批表", steps.filing("某化工公司未设置安全设施案", "检查发现违法行为", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve("2026-03-02", "filing_approved"))
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", {**steps.report(penalty_kinds=["fine"], fine=10000),
                                             "facts": SECRET_FACTS})
    case.complete("审批处理意见", steps.handling("2026-03-10", "penalty"))
    case.complete("送达行政处罚告知书", steps.notice("2026-03-11"), on="2026-03-11")
    case.wait_until("2026-03-17")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 10000), on="2026-03-17")
    case.complete("送达行政处罚决定书", steps.service("2026-03-18", case.data), on="2026-03-18")
    case.complete("公示行政处罚决定", {**steps.publication("2026-03-19"), "trade_secret_fields": ["facts"]}, on="2026-03-19")

    with read_session(case.runtime.engine) as session:
        row = session.exec(select(Publication).where(Publication.case_id == case.case.id)).one()
    assert "主要违法事实：（涉及商业秘密，不予公开）" in row.text
    assert "91360827MA35R8QX1K" in row.text  # a unit's credit code is published in full
    for text in (row.text, public.get("/api/v1/public/publications").text, public.get("/public/publications").text):
        assert "甲-7号" not in text and "专有配方" not in text
