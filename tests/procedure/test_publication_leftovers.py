"""公示 leftovers (issue 16, DOMAIN.md §9): a field the officer marks as a trade secret is never published; a random
inspection's result is published within 20 working days of the check, its deadline enforced by the engine."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from documents.publication.models import Publication
from engine.db import read_session
from engine.errors import ValidationFailed
from tests.procedure import steps
from tests.procedure.driver import CaseDriver
from tests.procedure.inspection_steps import FURNITURE_PLANT, record

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


PERSON_IN_FINDINGS = "现场负责人王林峰（电话13907961111，身份证号360827198001011234）称配方保密"


def random_inspection(runtime, agencies, clock, problems: list[dict]):
    driver = CaseDriver(runtime, clock, agencies.township, agencies.county, process_id="inspection", kind="inspection")
    driver.start("2026-03-02", {"party": FURNITURE_PLANT, "random_inspection": True}, party_name=FURNITURE_PLANT["name"])
    driver.complete("现场检查", {**record("2026-03-02", problems), "findings": PERSON_IN_FINDINGS})
    return driver


def test_a_random_inspections_result_is_published_within_20_working_days_beside_the_handling(runtime, agencies,
                                                                                                frozen_clock, public):
    driver = random_inspection(runtime, agencies, frozen_clock, [])
    assert driver.ready() == ["公示抽查结果"]  # no problems: the inspection itself is over, the publication is due
    assert driver.task("公示抽查结果").due_on.isoformat() == "2026-03-30"  # 20 working days after 2 March
    late = {"published_on": "2026-03-31", "publication_channel": "遂川县人民政府网站"}
    with pytest.raises(ValidationFailed) as refused:
        driver.complete("公示抽查结果", late, on="2026-03-31")
    assert "20个工作日内公示" in refused.value.message
    driver.complete("公示抽查结果", {**late, "published_on": "2026-03-30", "trade_secret_fields": ["checked_items"]})
    assert driver.case.completed and driver.case.outcome == "no_violation"

    feed = public.get("/api/v1/public/publications", params={"q": "抽查"}).json()
    assert [item["kind_label"] for item in feed["items"]] == ["随机抽查结果"]
    text = feed["items"][0]["text"]
    assert "被检查单位：遂川县林峰家具厂" in text and "统一社会信用代码：91360827MA35XXXX1K" in text  # a unit in full
    assert "检查方式：双随机抽查" in text and "发现的问题：未发现问题" in text and "检查内容：（涉及商业秘密，不予公开）" in text
    assert "13907961111" not in text and "360827198001011234" not in text and "安全生产责任制" not in text


def test_an_ordinary_inspection_publishes_nothing_and_takes_its_usual_path(runtime, agencies, frozen_clock):
    driver = CaseDriver(runtime, frozen_clock, agencies.township, agencies.county, process_id="inspection", kind="inspection")
    driver.start("2026-03-02", {"party": FURNITURE_PLANT}, party_name=FURNITURE_PLANT["name"])
    driver.complete("现场检查", record("2026-03-02", []))
    assert driver.ready() == [] and driver.case.outcome == "no_violation"
    with read_session(runtime.engine) as session:
        assert session.exec(select(Publication)).all() == []


def test_a_random_inspection_orders_rectification_while_its_result_awaits_publication(runtime, agencies, frozen_clock):
    problem = {"description": "未设置安全警示标志", "provision": "《安全生产法》第三十五条"}
    driver = CaseDriver(runtime, frozen_clock, agencies.township, agencies.county, process_id="inspection", kind="inspection")
    driver.start("2026-03-02", {"party": FURNITURE_PLANT, "random_inspection": True}, party_name=FURNITURE_PLANT["name"])
    driver.complete("现场检查", record("2026-03-02", [problem], order_rectification=True))
    assert driver.ready() == ["公示抽查结果", "责令限期整改"]
    assert driver.case.status == "rectifying"  # the publication step does not change what the case is doing
