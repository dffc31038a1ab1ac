"""Reconsideration and litigation recorded as they happen (issue 11.5), over HTTP with the real models.

Any officer of the case records the party's application or lawsuit whenever it comes after the decision is served
(the `remedy_filed` event subprocess); its result is a task of its own; a decision changed or revoked has its
publication withdrawn within 3 working days and the fine paid refunded; while a lawsuit is pending the court
enforcement application is refused.
"""

from __future__ import annotations

from datetime import date, datetime, time

from api.demo import START
from engine import clock
from engine.calendar import SHANGHAI
from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)
from tests.api.test_investigation_records_http import drive


def at(day: str) -> None:
    moment = datetime.combine(date.fromisoformat(day), time(10), SHANGHAI)
    clock.set_clock(lambda: moment)


def file_remedy(http: HttpDriver, user: str, **data):
    return http.client.post(f"/api/v1/cases/{http.case_id}/remedies", json={"data": data}, headers=http.headers(user))


def complete(http: HttpDriver, user: str, name: str, data: dict):
    [task] = [t for t in http.get("/tasks", user) if t["case_id"] == http.case_id and t["name"] == name]
    return http.client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=http.headers(user))


def open_tasks(http: HttpDriver, user: str = "county1") -> dict[str, dict]:
    return {t["name"]: t for t in http.get("/tasks", user) if t["case_id"] == http.case_id}


RECONSIDERATION = {"kind": "reconsideration", "body": "遂川县人民政府", "reference": "遂府复〔2026〕8号"}
LITIGATION = {"kind": "litigation", "body": "遂川县人民法院", "reference": "（2026）赣0827行初5号"}


def test_a_decision_revoked_on_reconsideration_is_withdrawn_within_3_working_days_and_the_fine_refunded(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    rest = drive(http, runtime, until="登记罚款缴纳")  # decided, served 13 April, published 14 April

    at("2026-04-16")
    hidden = file_remedy(http, "quanjiang1", **RECONSIDERATION, filed_on="2026-04-16")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")  # not the township's case
    reviewer = file_remedy(http, "reviewer", **RECONSIDERATION, filed_on="2026-04-16")
    assert (reviewer.status_code, reviewer.json()["code"]) == (403, "not_case_officer")
    filed = file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16")
    assert filed.status_code == 201, filed.text
    assert {"登记复议、诉讼结果", "登记罚款缴纳"} <= set(open_tasks(http))

    at(rest[0].day)
    http.complete(rest[0])  # the case goes on: the fine is paid on 24 April
    assert rest[0].task == "登记罚款缴纳"
    at("2026-04-27")
    early = complete(http, "county1", "填写结案审批表", rest[1].data)
    assert early.status_code == 422, early.text
    assert early.json()["message"] == "行政复议或者行政诉讼尚未审结，不能结案"

    at("2026-05-12")  # Tuesday: the reconsideration body revokes the decision
    done = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-05-12",
                                                         "document_number": "遂府复决字〔2026〕8号",
                                                         "redecision_ordered": False})
    assert done.status_code == 200, done.text
    tasks = open_tasks(http)
    assert tasks["撤回公示（复议、诉讼）"]["due_on"] == "2026-05-15"  # 13, 14, 15 May
    assert "填写结案审批表" in tasks  # the main procedure is not held up

    at("2026-05-13")
    withdrawn = complete(http, "county1", "撤回公示（复议、诉讼）", {
        "withdrawn_on": "2026-05-13", "withdrawal_reason": "行政处罚决定已被行政复议机关撤销", "publication_channel": "遂川县人民政府网站"})
    assert withdrawn.status_code == 200, withdrawn.text
    public = client.get("/api/v1/public/publications").json()
    # the story fines the unit and 王林峰 (two decisions, both published); the revocation takes both, so both go
    assert public["items"] == [] and [w["reason"] for w in public["withdrawals"]] == ["行政处罚决定已被行政复议机关撤销"] * 2
    documents = [d["title"] for d in http.get(f"/cases/{http.case_id}/documents", "county1")]
    assert "撤回公示通知书" in documents

    unrefunded = complete(http, "county1", "填写结案审批表", rest[1].data)
    assert (unrefunded.status_code, unrefunded.json()["message"]) == (422, "应当退还的罚款尚未退还，不能结案")
    short = complete(http, "county1", "退还罚款", {"refunded_on": "2026-05-13", "refunded_amount": 20000,
                                                "refund_voucher": "退库凭证0001"})
    assert (short.status_code, short.json()["code"]) == (422, "rule_violated")
    refunded = complete(http, "county1", "退还罚款", {"refunded_on": "2026-05-13", "refunded_amount": 60000,
                                                   "refund_voucher": "退库凭证0001"})
    assert refunded.status_code == 200, refunded.text
    assert set(open_tasks(http)) == {"填写结案审批表"}
    [entry] = runtime.get_case(http.case_id).data["remedy_register"]
    assert (entry["kind"], entry["outcome"], entry["withdrawn_on"], entry["refunded_amount"]) == (
        "reconsideration", "revoked", "2026-05-13", 60000)

    # closing lists the remedy; its publication is not withdrawn a second time
    listed = {"kind": "reconsideration", "body": "遂川县人民政府", "filed_on": "2026-04-16", "outcome": "revoked",
              "outcome_on": "2026-05-12", "document_number": "遂府复决字〔2026〕8号"}
    closing = {**rest[1].data, "remedies": [listed]}
    closed = complete(http, "county1", "填写结案审批表", closing)
    assert closed.status_code == 200, closed.text
    assert set(open_tasks(http, "head")) == {"审批结案"} and open_tasks(http) == {}


def test_the_court_enforcement_application_is_refused_while_a_lawsuit_is_pending(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    rest = drive(http, runtime, until="送达行政处罚决定书")
    early = file_remedy(http, "county1", **LITIGATION, filed_on="2026-04-10")
    assert (early.status_code, early.json()["code"]) == (422, "rule_violated")  # nothing to sue over yet
    assert "送达后" in early.json()["message"]
    for step in rest[:2]:  # served 13 April, published 14 April; the fine is never paid
        at(step.day)
        http.complete(step)

    at("2026-05-06")
    sued = file_remedy(http, "county1", **LITIGATION, filed_on="2026-05-06")
    assert sued.status_code == 201, sued.text
    for day in ("2026-05-07", "2026-05-08"):
        at(day)
        runtime.fire_due()  # the payment was due on 28 April
    at("2026-05-08")
    reminder = complete(http, "county1", "送达催告书", {"reminder_served_on": "2026-05-08", "pay_by": "2026-05-15"})
    assert reminder.status_code == 200, reminder.text
    at("2026-10-20")  # 10 working days after the warning, and six months after service, have passed
    runtime.fire_due()
    reminder_number = runtime.get_case(http.case_id).data["documents"]["payment_reminder"]
    application = {"remedy_windows_closed": True, "court": "遂川县人民法院", "reminder_number": reminder_number,
                   "request": "强制执行罚款60000元及加处罚款", "head_name": "陈志刚", "applied_on": "2026-10-20"}
    refused = complete(http, "head", "申请人民法院强制执行", application)
    assert (refused.status_code, refused.json()["code"]) == (422, "rule_violated")
    assert refused.json()["message"] == "行政诉讼尚未审结，不得申请人民法院强制执行"

    at("2026-10-21")
    upheld = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "upheld", "outcome_on": "2026-10-21",
                                                           "document_number": "（2026）赣0827行初5号"})
    assert upheld.status_code == 200, upheld.text
    assert "撤回公示（复议、诉讼）" not in open_tasks(http) and "退还罚款" not in open_tasks(http)
    applied = complete(http, "head", "申请人民法院强制执行", {**application, "applied_on": "2026-10-21"})
    assert applied.status_code == 200, applied.text


def test_before_the_decision_no_remedy_can_be_recorded(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    drive(http, runtime, until="调查取证")
    refused = file_remedy(http, "county1", **RECONSIDERATION, filed_on=START)
    assert (refused.status_code, refused.json()["code"]) == (422, "rule_violated")
    bad = file_remedy(http, "county1", kind="appeal", body="", filed_on="昨天")
    assert bad.status_code == 422 and {p["field"] for p in bad.json()["details"]} >= {"kind", "filed_on"}
