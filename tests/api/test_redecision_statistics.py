"""The enforcement statistics of decisions revoked and made again (tests/api/test_redecision_http.py), over HTTP.

The demo's decisions (the unit's 60,000 yuan and its responsible person's 12,000) are revoked on reconsideration
with a new decision ordered, which fines the unit 40,000. A revoked decision's fine is neither decided nor owed, and
what was paid on it is refunded, so not collected; the new decision's fine is decided, owed until paid (with the
surcharge from its own last day to pay, the figure `zhifa surcharge` gives) and then collected.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)
from tests.api.test_investigation_records_http import drive
from tests.api.test_redecision_http import (
    REVOKED_BY,
    redecided_served_and_published,
    revoked_with_a_new_decision_ordered,
)
from tests.api.test_remedies_http import RECONSIDERATION, at, complete, file_remedy
from tests.procedure.test_surcharge_http import zhifa_surcharge

FIGURES = ("fines_decided", "fines_collected", "fines_outstanding", "surcharges_collected", "fines_unpaid",
           "surcharges_owed")


def figures(http: HttpDriver) -> tuple:
    body = http.get("/statistics", "head")
    return tuple(body[key] for key in FIGURES)


def withdrawn(http: HttpDriver, on: str) -> None:
    assert complete(http, "county1", "撤回公示（复议、诉讼）", {
        "withdrawn_on": on, "withdrawal_reason": "行政处罚决定已被行政复议机关撤销",
        "publication_channel": "遂川县人民政府网站"}).status_code == 200


def test_an_unpaid_revoked_fine_is_owed_no_more_and_the_new_one_is_owed_until_paid(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    drive(http, runtime, until="登记罚款缴纳")  # both decisions served 13 April: to pay by 28 April
    at("2026-04-16")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16").status_code == 201
    at("2026-04-27")
    assert figures(http) == (72000, 0, 72000, 0, 72000, 0)  # each party's fine decided and owed

    at("2026-05-06")
    revoked = complete(http, "county1", "登记复议、诉讼结果", {"outcome": "revoked", "outcome_on": "2026-05-06",
                                                            "document_number": REVOKED_BY, "redecision_ordered": True})
    assert revoked.status_code == 200, revoked.text
    assert figures(http) == (0, 0, 0, 0, 0, 0)  # neither revoked decision is decided or owed any more

    at("2026-06-01")
    withdrawn(http, "2026-06-01")
    payment = redecided_served_and_published(http, "2026-06-01")
    assert figures(http) == (40000, 0, 40000, 0, 40000, 0)  # the new fine, not yet due
    due = date.fromisoformat(payment["due_on"])
    late = (due + timedelta(days=3)).isoformat()
    at(late)
    owed = zhifa_surcharge(40000, payment["due_on"], late)
    assert owed == 3600 and figures(http) == (40000, 0, 40000, 0, 40000, owed)
    body = http.get("/statistics", "head")
    assert [(row["decisions"], row["person_decisions"]) for row in body["arrears_by_agency"]] == [(1, 0)]

    paid = complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": late, "paid_amount": 40000, "surcharge_paid": owed, "payment_voucher": "缴款书0003"})
    assert paid.status_code == 200, paid.text
    assert figures(http) == (40000, 40000, 0, owed, 0, 0)


def test_a_paid_revoked_fine_is_not_collected_and_the_new_one_is(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    revoked_with_a_new_decision_ordered(http, runtime)  # 72,000 paid on 24 April, both decisions revoked 12 May
    assert figures(http) == (0, 0, 0, 0, 0, 0)  # what was paid on them is to be refunded
    at("2026-05-13")
    withdrawn(http, "2026-05-13")
    assert complete(http, "county1", "退还罚款", {"refunded_on": "2026-05-13", "refunded_amount": 60000,
                                               "refund_voucher": "退库凭证0001"}).status_code == 200
    redecided_served_and_published(http, "2026-05-14")
    assert complete(http, "county1", "登记罚款缴纳（重新作出的决定）", {
        "paid_on": "2026-05-14", "paid_amount": 40000, "surcharge_paid": 0, "payment_voucher": "缴款书0002"}).status_code == 200
    assert figures(http) == (40000, 40000, 0, 0, 0, 0)
