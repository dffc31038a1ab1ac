"""加处罚款 computed, not typed (issue #11.3; APL Art. 72, ACL Arts. 35, 42, 45), over HTTP.

A 15,000-yuan fine decided on 25 March 2026 and served on Thursday 26 March is due on Friday 10 April
(15 days). Unpaid, the payment timer brings the case to the 催告书. The engine computes the surcharge — 3 % of
the fine a day from 11 April, capped at the fine — with the one function `zhifa surcharge` uses; the officer does
not type it. A payment short of fine plus surcharge is refused (`surcharge_short`) unless the head approves a
reduction or waiver as a recorded step.
"""

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from api.commands.deadlines import register
from engine import record
from engine.db import read_session
from engine.surcharge import late_surcharge
from tests.procedure import steps
from tests.procedure.http_actors import http_actors

FINE = 15000


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def zhifa_surcharge(fine: int, due: str, on: str) -> float:
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["surcharge", "--fine", str(fine), "--due", due, "--on", on])
    assert result.exit_code == 0, result.output
    return float(json.loads(result.stdout)["surcharge"])


def unpaid_after_the_deadline(case):
    case.start("2026-03-02", {"party": {"kind": "unit", "name": "遂川县某木业有限公司"}})
    case.complete("填写立案审批表", steps.filing("某木业公司案", "未设置警示标志", "《安全生产法》第九十九条"))
    case.complete("审批立案", steps.approve("2026-03-03", "filing_approved"), on="2026-03-03")
    case.complete("调查取证", steps.investigation(), on="2026-03-10")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=FINE), on="2026-03-16")
    case.complete("审批处理意见", steps.handling("2026-03-17", "penalty"), on="2026-03-17")
    case.complete("送达行政处罚告知书", steps.notice("2026-03-18"), on="2026-03-18")
    case.wait_until("2026-03-24")
    case.complete("作出行政处罚决定", steps.decision(["fine"], FINE), on="2026-03-25")
    case.complete("送达行政处罚决定书", steps.service("2026-03-26", case.data), on="2026-03-26")
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    assert case.task("登记罚款缴纳").due_on == date(2026, 4, 10)
    assert case.wait_until("2026-04-11") == [case.case.id]
    assert case.ready() == ["送达催告书"]
    return case


def task_form(http, case, username: str, name: str) -> dict:
    [task] = [t for t in http.inbox(username, case.case.id) if t["name"] == name]
    return http.get(f"/tasks/{task['id']}", username)


def reminder_served(case, http):
    case.on("2026-04-13")
    assert task_form(http, case, "officer", "送达催告书")["computed"]["surcharge_amount"] == 1350  # shown before serving
    served = http.post_task("officer", case.case.id, "送达催告书", {"reminder_served_on": "2026-04-13", "pay_by": "2026-04-20"})
    assert served.status_code == 200, served.text
    case.refresh()
    return case


def test_the_reminder_states_the_computed_surcharge_and_a_short_payment_is_refused(county_case, http):
    case = reminder_served(unpaid_after_the_deadline(county_case), http)
    # 11, 12, 13 April: 3 days × 3 % × 15,000 = 1,350 yuan — the same function as `zhifa surcharge`
    assert late_surcharge(FINE, date(2026, 4, 10), date(2026, 4, 13)) == 1350
    assert case.data["surcharge_amount"] == 1350
    assert zhifa_surcharge(FINE, "2026-04-10", "2026-04-13") == case.data["surcharge_amount"]  # one function
    text = http.document_text("officer", case.case.id, "payment_reminder")
    assert "自2026年4月10日的次日起，每日按罚款数额的百分之三加处罚款" in text
    assert "截至本催告书发出之日，加处罚款人民币壹仟叁佰伍拾元整（¥1,350.00）" in text

    case.on("2026-04-16")  # 6 days late: 2,700 yuan
    form = task_form(http, case, "officer", "登记催告后缴纳")
    assert form["computed"] == {"surcharge_payable": 2700, "relief_requested": False, "person_dues": [], "persons_short": ""}
    assert "应缴加处罚款（今日缴纳）: 2,700.00元" in http.web_page("officer", f"/tasks/{form['task']['id']}")
    fine_only = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-16", FINE, 1350))
    assert fine_only.status_code == 422
    body = fine_only.json()
    assert body["code"] == "surcharge_short"
    assert body["message"] == "缴纳的加处罚款少于应缴的2,700.00元；减免加处罚款须经负责人批准"
    short_fine = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-16", 14000, 2700))
    assert (short_fine.status_code, short_fine.json()["code"]) == (422, "payment_short")
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["登记催告后缴纳"]  # nothing stored

    paid = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-16", FINE, 2700))
    assert paid.status_code == 200, paid.text
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["填写结案审批表"]
    with read_session(case.runtime.engine) as session:
        [event] = [e for e in record.events(session, case.case.id) if e.task_name == "登记催告后缴纳"]
    [computed] = [output["computed"] for output in event.outputs if "computed" in output]
    assert (computed["surcharge_payable"], computed["relief_requested"]) == (2700.0, False)


def test_the_surcharge_stops_at_the_fine(county_case, http):
    case = unpaid_after_the_deadline(county_case)
    case.wait_until("2026-08-01")  # 113 days late: 3 % a day would be 50,850 yuan; capped at the fine
    served = http.post_task("officer", case.case.id, "送达催告书", {"reminder_served_on": "2026-08-01", "pay_by": "2026-08-10"})
    assert served.status_code == 200, served.text
    assert case.refresh().data["surcharge_amount"] == FINE == zhifa_surcharge(FINE, "2026-04-10", "2026-08-01")


def test_a_reduction_approved_by_the_head_lets_the_party_pay_less(county_case, http):
    case = reminder_served(unpaid_after_the_deadline(county_case), http)
    case.on("2026-04-16")
    relief = {**steps.payment("2026-04-16", FINE, 1000), "relief_requested": True,
              "relief_reason": "当事人已设置警示标志并完成整改，申请减少加处罚款"}
    asked = http.post_task("officer", case.case.id, "登记催告后缴纳", relief)
    assert asked.status_code == 200, asked.text
    assert http.inbox("officer", case.case.id) == []
    [approval] = http.inbox("head", case.case.id)
    assert (approval["name"], approval["role"]) == ("审批减免加处罚款", "agency_head")
    officer_tries = http.client.post(f"/api/v1/tasks/{approval['id']}/complete", headers=http.headers("officer"), json={
        "data": {"relief_approved": True, "relief_kind": "waive", "surcharge_after_relief": 0, "head_opinion": "同意",
                 "approved_on": "2026-04-16"}})
    assert officer_tries.status_code in (403, 404)

    decision = {"relief_approved": True, "relief_kind": "reduce", "head_opinion": "当事人已采取补救措施，同意减少",
                "approved_on": "2026-04-16"}
    too_little = http.post_task("head", case.case.id, "审批减免加处罚款", decision | {"surcharge_after_relief": 1500})
    assert too_little.status_code == 422
    assert (too_little.json()["code"], too_little.json()["message"]) == (
        "surcharge_short", "已缴纳的加处罚款1,000.00元少于减免后应缴的1,500.00元")
    approved = http.post_task("head", case.case.id, "审批减免加处罚款", decision | {"surcharge_after_relief": 1000})
    assert approved.status_code == 200, approved.text
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["填写结案审批表"]


def test_a_refused_reduction_sends_the_case_back_to_payment_in_full(county_case, http):
    case = reminder_served(unpaid_after_the_deadline(county_case), http)
    case.on("2026-04-16")
    relief = {**steps.payment("2026-04-16", FINE, 0), "relief_requested": True, "relief_reason": "经营困难"}
    assert http.post_task("officer", case.case.id, "登记催告后缴纳", relief).status_code == 200
    refused = http.post_task("head", case.case.id, "审批减免加处罚款", {
        "relief_approved": False, "relief_kind": "waive", "surcharge_after_relief": 0,
        "head_opinion": "未采取补救措施，不予减免", "approved_on": "2026-04-16"})
    assert refused.status_code == 200, refused.text
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["登记催告后缴纳"]
    case.on("2026-04-17")  # 7 days late now
    short = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-17", FINE, 2700))
    assert (short.status_code, short.json()["code"]) == (422, "surcharge_short")
    paid = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-17", FINE, 3150))
    assert paid.status_code == 200, paid.text
