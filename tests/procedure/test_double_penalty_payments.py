"""The double penalty after the decisions, over HTTP (docs/DOUBLE_PENALTY.md): each party's decision published (the
person's redacted as a natural person's) and each party's fine paid, reminded and surcharged on its own.

The unit is fined 10,000 yuan, its general manager 王林峰 2,000; both decisions are served on Thursday 26 March
2026, so each must be paid by Friday 10 April (15 days) and 3 % of that party's own fine is added for each day
after, by the function `zhifa surcharge` uses."""

from datetime import date

import pytest
from sqlmodel import select

from documents.publication.models import Publication
from engine import record
from engine.db import read_session
from engine.surcharge import late_surcharge
from tests.procedure import steps
from tests.procedure.http_actors import http_actors
from tests.procedure.test_double_penalty_parties import docx_text, notify, to_notice
from tests.procedure.test_penalty_tiers import PERSON, UNIT
from tests.procedure.test_surcharge_http import zhifa_surcharge

MANAGER = {**PERSON, "name": "王林峰", "phone": "13812345678", "address": "遂川县泉江镇龙泉路8号"}
FACTS = (f"经查，{UNIT['name']}未按规定开展安全生产教育培训，总经理王林峰（身份证号码{PERSON['id_number']}，"
         "电话13812345678，住遂川县泉江镇龙泉路8号）未履行安全生产管理职责")
PAID = {"name": MANAGER["name"], "id_number": MANAGER["id_number"]}


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def decided_and_served(case, http, person_served_on: str = "2026-03-26"):
    case = to_notice(case, 10000, 2000, facts=FACTS)
    http.case_id = case.case.id
    notify(http, case, 2000, person=MANAGER)
    case.wait_until("2026-03-24")
    decision = {**steps.decision(["fine"], 10000), "decided_responsible_persons_fine": 2000,
                "responsible_persons": [{"party": MANAGER, "fine_amount": 2000, "penalty": "罚款2000元"}]}
    case.complete("作出行政处罚决定", decision, on="2026-03-25")
    [person] = case.data["responsible_persons"]
    service = steps.service("2026-03-26", case.data)
    to_person = {**service, "party": MANAGER, "recipient": MANAGER["name"], "served_at": steps.at(person_served_on),
                 "served_documents": [{"title": "行政处罚决定书", "number": person["document_number"]}]}
    case.complete("送达行政处罚决定书", {**service, "person_services": [to_person]}, on=person_served_on)
    return case, person


def post(http, case, name: str, data: dict):
    response = http.post_task("officer", case.case.id, name, data)
    case.refresh()
    return response


def test_each_partys_decision_is_published_the_persons_redacted_each_with_its_hash(county_case, http):
    case, person = decided_and_served(county_case, http)
    case.on("2026-03-27")
    assert post(http, case, "公示行政处罚决定", steps.publication("2026-03-27")).status_code == 200
    with read_session(case.runtime.engine) as session:
        rows = session.exec(select(Publication).where(Publication.case_id == case.case.id).order_by(Publication.id)).all()
        [outputs] = [e.outputs for e in record.events(session, case.case.id) if e.task_name == "公示行政处罚决定"]
    unit_row, person_row = rows
    assert case.data["documents"]["penalty_decision"] in unit_row.text and "被处罚单位：" + UNIT["name"] in unit_row.text
    assert person["document_number"] in person_row.text and "被处罚人：王某" in person_row.text
    assert "处罚内容：罚款2000元" in person_row.text and "罚款10000元" not in person_row.text
    for hidden in (PERSON["id_number"], "13812345678", "龙泉路8号", "王林峰"):
        assert hidden not in person_row.text
    assert "360827************" in person_row.text and "138****5678" in person_row.text
    assert [(o["publication"], o["sha256"]) for o in outputs] == [(r.public_id, r.text_sha256) for r in rows]
    page = http.client.get("/public/publications").text
    assert person["document_number"] in page and case.data["documents"]["penalty_decision"] in page


def test_each_persons_payment_is_recorded_and_a_short_one_refused_for_him(county_case, http):
    case, person = decided_and_served(county_case, http)
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    case.on("2026-04-08")
    unit_only = post(http, case, "登记罚款缴纳", steps.payment("2026-04-08", 10000))
    assert (unit_only.status_code, unit_only.json()["code"]) == (422, "person_payment_missing")
    short = {**steps.payment("2026-04-08", 10000),
             "person_payments": [{"party": PAID, **steps.payment("2026-04-08", 1500), "payment_voucher": "缴款书0002"}]}
    refused = post(http, case, "登记罚款缴纳", short)
    assert (refused.status_code, refused.json()["code"]) == (422, "payment_short")
    assert refused.json()["message"] == "王林峰缴纳金额少于对其决定的罚款"
    paid = {**short, "person_payments": [{**short["person_payments"][0], "paid_amount": 2000}]}
    assert post(http, case, "登记罚款缴纳", paid).status_code == 200
    [dues] = case.data["person_dues"]
    assert (dues["name"], dues["fine_amount"], dues["paid_amount"], dues["payment_voucher"]) == (
        "王林峰", 2000, 2000, "缴款书0002")
    assert dues["decision_number"] == person["document_number"] and dues["payment_due"] == "2026-04-10"
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["填写结案审批表"]


def test_only_the_unpaid_person_is_reminded_and_pays_his_own_surcharge(county_case, http):
    case, person = decided_and_served(county_case, http)
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    assert case.wait_until("2026-04-11") == [case.case.id]  # the unit paid on 8 April; the manager did not pay
    case.on("2026-04-13")  # 11, 12, 13 April: 3 days × 3 % × 2,000 = 180 yuan
    reminder = {**steps.payment_reminder("2026-04-13", "2026-04-20"), "unit_paid": True,
                "unpaid_persons": [MANAGER["id_number"]]}
    assert post(http, case, "送达催告书", reminder).status_code == 200
    reminders = [d for d in http.get(f"/cases/{case.case.id}/documents", "officer") if d["doc_id"] == "payment_reminder"]
    [his] = reminders  # none to the unit, which paid
    text = docx_text(http, his["number"])
    assert "王林峰" in text and person["document_number"] in text and UNIT["name"] + "：" not in text
    assert late_surcharge(2000, date(2026, 4, 10), date(2026, 4, 13)) == 180 == zhifa_surcharge(2000, "2026-04-10", "2026-04-13")
    assert "加处罚款人民币壹佰捌拾元整（¥180.00）" in text

    case.on("2026-04-16")  # 6 days late: 360 yuan on his 2,000; the unit's on-time payment owes nothing
    his_payment = {"party": PAID, **steps.payment("2026-04-16", 2000, 180), "payment_voucher": "缴款书0003"}
    late = {**steps.payment("2026-04-08", 10000), "person_payments": [his_payment]}
    refused = post(http, case, "登记催告后缴纳", late)
    assert (refused.status_code, refused.json()["code"]) == (422, "surcharge_short")
    assert refused.json()["message"] == "王林峰逾期缴纳罚款，应同时缴纳加处罚款"
    assert zhifa_surcharge(2000, "2026-04-10", "2026-04-16") == 360
    paid = post(http, case, "登记催告后缴纳", {**late, "person_payments": [{**his_payment, "surcharge_paid": 360}]})
    assert paid.status_code == 200, paid.text
    assert case.data["person_dues"][0]["surcharge_payable"] == 360 and case.data["surcharge_payable"] == 0
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["填写结案审批表"]


def test_a_person_served_later_is_not_reminded_before_his_own_last_day(county_case, http):
    case, person = decided_and_served(county_case, http, person_served_on="2026-03-30")  # the unit on the 26th
    assert case.data["person_payment_dues"] == {MANAGER["id_number"]: "2026-04-14"}
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-30")
    assert case.wait_until("2026-04-11") == []  # the unit's day (10 April) is over, his is not
    assert "登记罚款缴纳" in case.ready() and case.task("登记罚款缴纳").due_on.isoformat() == "2026-04-14"
    assert case.wait_until("2026-04-15") == [case.case.id]
    reminder = {**steps.payment_reminder("2026-04-14", "2026-04-21"), "unit_paid": True,
                "unpaid_persons": [MANAGER["id_number"]]}
    early = post(http, case, "送达催告书", reminder)
    assert (early.status_code, early.json()["code"]) == (422, "reminder_too_early")
    assert early.json()["message"] == "王林峰的缴款期限尚未届满，不得催告"
    served = {**steps.payment_reminder("2026-04-15", "2026-04-22"), "unit_paid": True,
              "unpaid_persons": [MANAGER["id_number"]]}
    assert post(http, case, "送达催告书", served).status_code == 200
