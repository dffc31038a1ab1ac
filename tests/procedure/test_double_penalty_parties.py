"""The double penalty, each party on his own (docs/DOUBLE_PENALTY.md), over HTTP: the responsible person's hearing
right on the person threshold of `hearing_eligible` (APL Art. 63; Jiangxi: 3,000 yuan for a person, 20,000 for a
unit) and his notices served with a 送达回执 naming him.

A unit fined 10,000 yuan (below the unit threshold) and its manager fined 5,000 (above the person threshold): the
notice step is the one without a hearing for the unit, yet the manager gets his own 听证告知书, and the case does
not go on to the decision while his hearing window is open."""

import io

import pytest
from docx import Document

from api.bootstrap import object_store
from documents.rendition import render_pending
from tests.procedure import steps
from tests.procedure.http_actors import http_actors
from tests.procedure.test_penalty_tiers import PERSON, UNIT

NOTICE = "送达行政处罚告知书"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def to_notice(case, unit_fine: float, person_fine: float, **report):
    case.start("2026-03-02", {"party": UNIT}, party_name=UNIT["name"])
    case.complete("填写立案审批表", steps.filing("遂川县某木业有限公司案", "未落实安全生产责任", "《安全生产法》"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    report = {**steps.report(penalty_kinds=["fine"], fine=unit_fine), "responsible_persons_fine": person_fine, **report}
    case.complete("制作案件调查报告和处理呈批表", report, on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    return case


def notify(http, case, person_fine: float, person: dict = PERSON) -> dict:
    told = {"party": person, "fine_amount": person_fine, "proposed_penalty": f"拟处罚款{person_fine:g}元"}
    case.on("2026-03-18")
    response = http.post_task("officer", case.case.id, NOTICE, steps.notice("2026-03-18") | {"person_notices": [told]})
    assert response.status_code == 200, response.text
    case.refresh()
    return case.data["person_notices"][0]


def docx_text(http, number: str) -> str:
    render_pending(http.runtime.engine, object_store())
    [document] = [d for d in http.get(f"/cases/{http.case_id}/documents", "officer") if d["number"] == number]
    response = http.client.get(f"/api/v1/documents/{document['id']}/download?format=docx", headers=http.headers("officer"))
    assert response.status_code == 200, response.text
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_person_above_his_threshold_is_offered_a_hearing_the_unit_below_its_own_is_not(county_case, http):
    case = to_notice(county_case, 10000, 5000)
    http.case_id = case.case.id
    assert case.ready() == [NOTICE]  # the unit's 10,000 yuan is below its threshold
    person = notify(http, case, 5000)
    assert set(person["documents"]) == {"penalty_notice", "hearing_notice", "service_receipt"}
    assert "hearing_notice" not in case.data["documents"]  # the unit has no hearing right
    hearing_notice = docx_text(http, person["documents"]["hearing_notice"])
    assert "王某" in hearing_notice and "听证" in hearing_notice and UNIT["name"] not in hearing_notice

    case.wait_until("2026-03-24")  # the statement window is over; the person's hearing window is not
    assert case.ready() == ["登记听证申请"]
    case.on("2026-03-24")
    by_unit = http.post_task("officer", case.case.id, "登记听证申请",
                             {"hearing_requested": True, "hearing_requested_on": "2026-03-24"})
    assert (by_unit.status_code, by_unit.json()["code"]) == (422, "hearing_not_offered")  # the unit has no right
    by_him = {"person_hearing_requests": [{"party": {"name": "王某", "id_number": PERSON["id_number"]},
                                           "hearing_requested_on": "2026-03-24"}]}
    asked = http.post_task("officer", case.case.id, "登记听证申请", by_him)
    assert asked.status_code == 200, asked.text
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["制作听证会通知书"]


def test_a_person_below_his_threshold_gets_no_hearing_notice_and_the_case_goes_on_to_decide(county_case, http):
    case = to_notice(county_case, 10000, 2000)
    http.case_id = case.case.id
    person = notify(http, case, 2000)
    assert set(person["documents"]) == {"penalty_notice", "service_receipt"}
    case.wait_until("2026-03-24")
    assert "登记听证申请" not in case.ready() and "作出行政处罚决定" in case.ready()


def test_a_unit_above_its_threshold_is_offered_a_hearing_its_person_below_his_is_not(county_case, http):
    case = to_notice(county_case, 30000, 2000)
    http.case_id = case.case.id
    assert case.ready() == ["送达行政处罚告知书和听证告知书"]
    told = {"party": PERSON, "fine_amount": 2000, "proposed_penalty": "拟处罚款2000元"}
    case.on("2026-03-18")
    response = http.post_task("officer", case.case.id, "送达行政处罚告知书和听证告知书",
                              steps.notice("2026-03-18") | {"person_notices": [told]})
    assert response.status_code == 200, response.text
    [person] = case.refresh().data["person_notices"]
    assert "hearing_notice" in case.data["documents"] and set(person["documents"]) == {"penalty_notice", "service_receipt"}


def test_the_persons_notices_are_served_with_a_receipt_naming_him(county_case, http):
    case = to_notice(county_case, 10000, 5000)
    http.case_id = case.case.id
    person = notify(http, case, 5000)
    receipt = docx_text(http, person["documents"]["service_receipt"])
    assert "受送达人\n王某" in receipt and "签收人\n王某" in receipt
    assert person["documents"]["penalty_notice"] in receipt and person["documents"]["hearing_notice"] in receipt
    assert case.data["documents"]["penalty_notice"] not in receipt  # the unit's notice is on the unit's receipt
    unit_receipt = docx_text(http, case.data["documents"]["service_receipt"])
    assert case.data["documents"]["penalty_notice"] in unit_receipt and person["documents"]["penalty_notice"] not in unit_receipt
