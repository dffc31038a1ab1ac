"""A decision revoked on reconsideration with a new one ordered (issue 11.5), over HTTP with the real models.

The revoked 行政处罚决定书 stays in the file marked 已撤销; the officers make the new decision under a new number in
the 罚 series, citing the revoked one and the reconsideration decision; one identical in amount and basis is refused
unless new facts and reasons are recorded (行政复议法 Art. 64; 行政诉讼法 Art. 71); the new decision is served,
published and paid before the case may close. The head makes the new decision, as the original one. A revocation
while the old fine is still being collected stops the collection (its tasks and timers cancelled, recorded), and the
decisions on the responsible persons are revoked with the unit's unless the remedy names the ones it revokes. A
decision revoked before it is published is not published (the pending publication cancelled, recorded), nor withdrawn.
"""

from __future__ import annotations

import io

from docx import Document

from api.bootstrap import object_store
from documents.rendition import render_pending
from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)
from tests.api.test_investigation_records_http import drive
from tests.api.test_remedies_http import RECONSIDERATION, at, complete, file_remedy, open_tasks
from tests.api.test_web_remedy import browser_as

REVOKED_BY = "遂府复决字〔2026〕8号"


def decisions(http: HttpDriver, doc_id: str = "penalty_decision") -> list[dict]:
    return [d for d in http.get(f"/cases/{http.case_id}/documents", "county1") if d["doc_id"] == doc_id]


def docx_text(http: HttpDriver, document_id: int) -> str:
    response = http.client.get(f"/api/v1/documents/{document_id}/download", params={"format": "docx"},
                               headers=http.headers("county1"))
    assert response.status_code == 200, response.text
    return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def revoked_with_a_new_decision_ordered(http: HttpDriver, runtime) -> list:
    rest = drive(http, runtime, until="登记罚款缴纳")  # decided 10 April, served 13 April, published 14 April
    at("2026-04-16")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16").status_code == 201
    at(rest[0].day)
    http.complete(rest[0])  # the fine of 60000 is paid on 24 April
    at("2026-05-12")
    missing = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-05-12",
                                                            "document_number": REVOKED_BY})
    assert missing.status_code == 422 and {p["field"] for p in missing.json()["details"]} == {"redecision_ordered"}
    done = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-05-12",
                                                         "document_number": REVOKED_BY, "redecision_ordered": True})
    assert done.status_code == 200, done.text
    return rest


def test_a_revoked_decision_is_made_again_under_a_new_number_and_the_old_one_stays_marked_revoked(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    rest = revoked_with_a_new_decision_ordered(http, runtime)
    [old] = decisions(http)
    assert (old["revoked"], old["revoked_by"], old["voided"]) == (True, REVOKED_BY, False)
    [person] = decisions(http, "responsible_person_penalty_decision")  # revoked with the unit's by default
    assert (person["revoked"], person["revoked_by"], person["voided"]) == (True, REVOKED_BY, False)

    at("2026-05-13")
    assert complete(http, "county1", "撤回公示（复议、诉讼）", {
        "withdrawn_on": "2026-05-13", "withdrawal_reason": "行政处罚决定已被行政复议机关撤销",
        "publication_channel": "遂川县人民政府网站"}).status_code == 200
    assert complete(http, "county1", "退还罚款", {"refunded_on": "2026-05-13", "refunded_amount": 60000,
                                               "refund_voucher": "退库凭证0001"}).status_code == 200
    assert "重新作出行政处罚决定" not in open_tasks(http)
    task = open_tasks(http, "head")["重新作出行政处罚决定"]  # the head decides, as the original decision
    assert (task["role"], task["due_on"]) == ("agency_head", None)  # no statutory limit (DOMAIN.md §11)

    old_basis = runtime.get_case(http.case_id).data["penalty_basis"]
    same = {"redecided_penalty_kinds": ["fine"], "redecided_fine": 60000, "redecided_penalty_basis": old_basis,
            "penalty": "对当事人处罚款人民币60000元", "payment_place": "遂川县财政局非税收入账户"}
    refused = complete(http, "head", "重新作出行政处罚决定", same)
    assert (refused.status_code, refused.json()["code"]) == (422, "redecision_same_as_revoked")
    assert refused.json()["message"].startswith("重新作出的决定与被撤销的决定罚款数额和处罚依据均相同")
    assert len(decisions(http)) == 1  # nothing issued

    lower = {**same, "redecided_fine": 40000, "penalty": "对当事人处罚款人民币40000元"}
    made = complete(http, "head", "重新作出行政处罚决定", lower)
    assert made.status_code == 200, made.text
    old, new = decisions(http)
    assert old["revoked"] and not new["revoked"]
    assert new["number"] != old["number"] and "应急罚〔2026〕" in new["number"]
    assert set(open_tasks(http)) == {"送达重新作出的行政处罚决定书", "填写结案审批表"}
    page = browser_as(http, "county1")[0].get(f"/cases/{http.case_id}").text  # the case page's list of documents
    assert f"行政处罚决定书 {old['number']}(已撤销，{REVOKED_BY})" in page
    assert f"行政处罚决定书 {person['number']}(已撤销，{REVOKED_BY})" in page
    assert f"行政处罚决定书 {new['number']}\n" in page

    render_pending(runtime.engine, object_store())
    text = docx_text(http, new["id"])
    assert f"{old['number']}行政处罚决定书，已由遂川县人民政府以{REVOKED_BY}撤销" in text
    assert "罚款金额：人民币肆万元整（¥40,000.00）" in text

    at("2026-05-14")
    early = complete(http, "county1", "填写结案审批表", rest[1].data)
    assert (early.status_code, early.json()["message"]) == (
        422, "责令重新作出的行政处罚决定尚未作出、送达、公示或者罚款尚未缴纳，不能结案")
    served = complete(http, "county1", "送达重新作出的行政处罚决定书", {
        "served_documents": [{"title": "行政处罚决定书", "number": new["number"]}], "recipient": "李建国",
        "service_place": "当事人住所", "served_at": "2026-05-14T10:00:00+08:00", "service_method": "直接送达",
        "server": "王振宇、钟海燕"})
    assert served.status_code == 200, served.text
    published = complete(http, "county1", "公示重新作出的行政处罚决定",
                         {"published_on": "2026-05-14", "publication_channel": "遂川县人民政府网站"})
    assert published.status_code == 200, published.text
    [item] = client.get("/api/v1/public/publications").json()["items"]
    assert new["number"] in item["text"] and old["number"] not in item["text"]

    payment = open_tasks(http)["登记罚款缴纳（重新作出的决定）"]
    assert payment["due_on"] == "2026-05-29"  # 15 days from service
    short = complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": "2026-05-14", "paid_amount": 30000, "surcharge_paid": 0, "payment_voucher": "缴款书0002"})
    assert (short.status_code, short.json()["code"]) == (422, "payment_short")
    paid = complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": "2026-05-14", "paid_amount": 40000, "surcharge_paid": 0, "payment_voucher": "缴款书0002"})
    assert paid.status_code == 200, paid.text

    listed = {"kind": "reconsideration", "body": "遂川县人民政府", "filed_on": "2026-04-16", "outcome": "revoked",
              "outcome_on": "2026-05-12", "document_number": REVOKED_BY}
    closed = complete(http, "county1", "填写结案审批表", {**rest[1].data, "remedies": [listed]})
    assert closed.status_code == 200, closed.text
    assert "撤回公示" not in open_tasks(http) and set(open_tasks(http, "head")) == {"审批结案"}  # nothing to withdraw


def test_the_same_amount_and_basis_is_accepted_once_new_facts_and_reasons_are_recorded(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    revoked_with_a_new_decision_ordered(http, runtime)
    at("2026-05-13")
    complete(http, "county1", "撤回公示（复议、诉讼）", {
        "withdrawn_on": "2026-05-13", "withdrawal_reason": "行政处罚决定已被行政复议机关撤销",
        "publication_channel": "遂川县人民政府网站"})
    complete(http, "county1", "退还罚款", {"refunded_on": "2026-05-13", "refunded_amount": 60000,
                                        "refund_voucher": "退库凭证0001"})
    same = {"redecided_penalty_kinds": ["fine"], "redecided_fine": 60000,
            "redecided_penalty_basis": runtime.get_case(http.case_id).data["penalty_basis"],
            "penalty": "对当事人处罚款人民币60000元", "payment_place": "遂川县财政局非税收入账户",
            "new_facts_reasons": "补充调取的监控录像证实当事人逾期未改正，原决定因未告知听证权利被撤销，已重新告知"}
    made = complete(http, "head", "重新作出行政处罚决定", same)
    assert made.status_code == 200, made.text
    old, new = decisions(http)
    assert (old["revoked"], new["revoked"], new["number"] != old["number"]) == (True, False, True)


def test_a_decision_revoked_while_its_fine_is_being_collected_stops_the_collection_and_the_new_fine_is_paid(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    rest = drive(http, runtime, until="登记罚款缴纳")  # served 13 April, published 14 April; the fine is never paid
    at("2026-04-16")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16").status_code == 201
    at("2026-04-29")
    runtime.fire_due()  # the payment was due on 28 April
    assert complete(http, "county1", "送达催告书", {"reminder_served_on": "2026-04-29", "pay_by": "2026-05-08"}
                    ).status_code == 200
    assert "登记催告后缴纳" in open_tasks(http)

    at("2026-05-06")
    revoked = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-05-06",
                                                            "document_number": REVOKED_BY, "redecision_ordered": True})
    assert revoked.status_code == 200, revoked.text
    assert "登记催告后缴纳" not in open_tasks(http)  # the old fine is no longer asked for
    detail = http.get(f"/cases/{http.case_id}", "county1")
    [event] = [e for e in detail["timeline"] if e["task_name"] == "登记复议、诉讼结果"]
    assert {"cancelled": ["登记催告后缴纳", "催告书送达满10个工作日"]} in event["outputs"]
    at("2026-06-01")  # 10 working days after the reminder have passed: no court enforcement of the revoked fine
    runtime.fire_due()
    assert "申请人民法院强制执行" not in open_tasks(http, "head")

    complete(http, "county1", "撤回公示（复议、诉讼）", {"withdrawn_on": "2026-06-01", "publication_channel": "遂川县人民政府网站",
                                                    "withdrawal_reason": "行政处罚决定已被行政复议机关撤销"})
    assert "退还罚款" not in open_tasks(http)  # nothing was paid
    redecided_served_and_published(http, "2026-06-01")
    assert set(open_tasks(http)) == {"登记罚款缴纳（重新作出的决定）", "填写结案审批表"}  # the new fine, and closing
    at("2026-06-02")
    paid = complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": "2026-06-02", "paid_amount": 40000, "surcharge_paid": 0, "payment_voucher": "缴款书0003"})
    assert paid.status_code == 200, paid.text
    listed = {"kind": "reconsideration", "body": "遂川县人民政府", "filed_on": "2026-04-16", "outcome": "revoked",
              "outcome_on": "2026-05-06", "document_number": REVOKED_BY}
    closed = complete(http, "county1", "填写结案审批表", {**rest[1].data, "remedies": [listed]})
    assert closed.status_code == 200, closed.text


def test_a_remedy_that_names_the_decisions_it_revokes_leaves_the_others_standing(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    drive(http, runtime, until="登记罚款缴纳")
    at("2026-04-16")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16").status_code == 201
    [unit] = decisions(http)
    [person] = decisions(http, "responsible_person_penalty_decision")
    at("2026-05-12")
    outcome = {"outcome": "revoked", "outcome_on": "2026-05-12", "document_number": REVOKED_BY, "redecision_ordered": False}
    stranger = complete(http, "county1", "登记复议、诉讼结果", {**outcome, "revoked_decisions": ["遂应急罚〔2026〕99号"]})
    assert (stranger.status_code, stranger.json()["code"]) == (422, "revoked_decision_unknown")
    alone = complete(http, "county1", "登记复议、诉讼结果", {**outcome, "revoked_decisions": [person["number"]]})
    assert (alone.status_code, alone.json()["code"]) == (422, "unit_decision_not_revoked")  # not modelled yet
    done = complete(http, "county1", "登记复议、诉讼结果", {**outcome, "revoked_decisions": [unit["number"]]})
    assert done.status_code == 200, done.text
    [unit] = decisions(http)
    [person] = decisions(http, "responsible_person_penalty_decision")
    assert (unit["revoked"], unit["revoked_by"], person["revoked"]) == (True, REVOKED_BY, False)


def test_a_decision_revoked_before_its_publication_is_not_published_and_the_new_one_is(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    rest = drive(http, runtime, until="公示行政处罚决定")  # decided 10 April, served 13 April, to publish by 21 April
    at("2026-04-15")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-15").status_code == 201
    at("2026-04-17")
    revoked = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-04-17",
                                                            "document_number": REVOKED_BY, "redecision_ordered": True})
    assert revoked.status_code == 200, revoked.text
    tasks = open_tasks(http)
    assert "公示行政处罚决定" not in tasks and "撤回公示（复议、诉讼）" not in tasks  # nothing to publish, nothing published
    [event] = [e for e in http.get(f"/cases/{http.case_id}", "county1")["timeline"] if e["task_name"] == "登记复议、诉讼结果"]
    [cancelled] = [output["cancelled"] for output in event["outputs"] if "cancelled" in output]
    assert "公示行政处罚决定" in cancelled and "登记罚款缴纳" in cancelled
    assert client.get("/api/v1/public/publications").json()["items"] == []

    redecided_served_and_published(http, "2026-04-17")
    old, new = decisions(http)
    [item] = client.get("/api/v1/public/publications").json()["items"]
    assert new["number"] in item["text"] and old["number"] not in item["text"]
    assert complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": "2026-04-17", "paid_amount": 40000, "surcharge_paid": 0, "payment_voucher": "缴款书0002"}).status_code == 200
    listed = {"kind": "reconsideration", "body": "遂川县人民政府", "filed_on": "2026-04-15", "outcome": "revoked",
              "outcome_on": "2026-04-17", "document_number": REVOKED_BY}
    closed = complete(http, "county1", "填写结案审批表", {**rest[2].data, "remedies": [listed]})
    assert closed.status_code == 200, closed.text
    assert "撤回公示" not in open_tasks(http) and set(open_tasks(http, "head")) == {"审批结案"}  # nothing to withdraw


def redecided_served_and_published(http: HttpDriver, on: str) -> dict:
    """The new decision of 40,000 yuan made, served and published on `on`; returns its payment task."""
    at(on)
    made = complete(http, "head", "重新作出行政处罚决定", {
        "redecided_penalty_kinds": ["fine"], "redecided_fine": 40000, "penalty": "对当事人处罚款人民币40000元",
        "redecided_penalty_basis": "《中华人民共和国安全生产法》第九十九条第五项（重新裁量）",
        "payment_place": "遂川县财政局非税收入账户"})
    assert made.status_code == 200, made.text
    _, new = decisions(http)
    assert complete(http, "county1", "送达重新作出的行政处罚决定书", {
        "served_documents": [{"title": "行政处罚决定书", "number": new["number"]}], "recipient": "李建国",
        "service_place": "当事人住所", "served_at": f"{on}T15:00:00+08:00", "service_method": "直接送达",
        "server": "王振宇、钟海燕"}).status_code == 200
    assert complete(http, "county1", "公示重新作出的行政处罚决定",
                    {"published_on": on, "publication_channel": "遂川县人民政府网站"}).status_code == 200
    return open_tasks(http)["登记罚款缴纳（重新作出的决定）"]
