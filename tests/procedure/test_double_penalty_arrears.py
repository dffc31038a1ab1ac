"""The statistics' arrears count each party's fine of a double penalty (docs/DOUBLE_PENALTY.md), over HTTP.

The unit is fined 10,000 yuan and its general manager 王林峰 2,000 (tests/procedure/test_double_penalty_payments.py).
Each decision is a debt of its own: the statistics owe each unpaid party's fine and the surcharge on it from that
party's own last day to pay, by the function `zhifa surcharge` uses; once the 催告书 names who is still unpaid, only
they owe; once everyone has paid, nothing is owed.
"""

import pytest

from tests.procedure import steps
from tests.procedure.http_actors import http_actors
from tests.procedure.test_double_penalty_payments import MANAGER, PAID, decided_and_served, post
from tests.procedure.test_surcharge_http import zhifa_surcharge


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def owed(http) -> tuple:
    figures = http.get("/statistics", "head")
    [row] = figures["arrears_by_agency"] or [{}]
    return figures["fines_unpaid"], figures["surcharges_owed"], row.get("decisions"), row.get("person_decisions")


def test_each_unpaid_partys_fine_and_surcharge_are_owed_until_he_pays(county_case, http):
    case, _ = decided_and_served(county_case, http)  # both served 26 March: both must pay by 10 April
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    case.on("2026-04-09")
    assert owed(http) == (12000, 0, 2, 1)  # two decisions unpaid, one of them a person's; not yet late
    assert case.wait_until("2026-04-11") == [case.case.id]  # nobody paid by 10 April
    case.on("2026-04-13")  # 3 days late: 900 on the unit's 10,000, 180 on his 2,000
    assert zhifa_surcharge(10000, "2026-04-10", "2026-04-13") + zhifa_surcharge(2000, "2026-04-10", "2026-04-13") == 1080
    assert owed(http) == (12000, 1080, 2, 1)
    page = http.web_page("head", "/statistics")
    assert '<dd data-figure="fines_unpaid">12000.00</dd>' in page and '<dd data-figure="surcharges_owed">1080.00</dd>' in page
    assert "<td>遂川县应急管理局</td><td>2</td><td>1</td>\n  <td>12000.00</td><td>1080.00</td>" in page

    reminder = {**steps.payment_reminder("2026-04-13", "2026-04-20"), "unit_paid": True,
                "unpaid_persons": [MANAGER["id_number"]]}
    assert post(http, case, "送达催告书", reminder).status_code == 200
    assert owed(http) == (2000, 180, 1, 1)  # the unit has paid: only he owes
    case.on("2026-04-16")
    assert owed(http) == (2000, 360, 1, 1)
    his_payment = {"party": PAID, **steps.payment("2026-04-16", 2000, 360), "payment_voucher": "缴款书0003"}
    paid = post(http, case, "登记催告后缴纳", {**steps.payment("2026-04-08", 10000), "person_payments": [his_payment]})
    assert paid.status_code == 200, paid.text
    assert owed(http) == (0, 0, None, None)


def test_each_partys_surcharge_runs_from_his_own_last_day(county_case, http):
    case, _ = decided_and_served(county_case, http, person_served_on="2026-03-30")  # the unit by 10, he by 14 April
    case.complete("公示行政处罚决定", steps.publication("2026-03-30"), on="2026-03-30")
    assert case.wait_until("2026-04-15") == [case.case.id]
    # the unit 5 days late (1,500 on 10,000), he 1 day (60 on 2,000)
    assert zhifa_surcharge(10000, "2026-04-10", "2026-04-15") == 1500 and zhifa_surcharge(2000, "2026-04-14", "2026-04-15") == 60
    assert owed(http) == (12000, 1560, 2, 1)


def fines(http, query: str = "") -> tuple:
    figures = http.get(f"/statistics{query}", "head")
    return tuple(figures[key] for key in ("fines_decided", "fines_collected", "fines_outstanding", "surcharges_collected",
                                          "fines_unpaid"))


def test_every_partys_fine_is_decided_and_collected_and_the_outstanding_agrees_with_the_arrears(county_case, http):
    case, _ = decided_and_served(county_case, http)  # decided 25 March: the unit's 10,000 and his 2,000
    case.complete("公示行政处罚决定", steps.publication("2026-03-27"), on="2026-03-27")
    assert fines(http) == (12000, 0, 12000, 0, 12000)
    assert case.wait_until("2026-04-11") == [case.case.id]  # the unit paid on 8 April; he did not pay
    case.on("2026-04-13")
    reminder = {**steps.payment_reminder("2026-04-13", "2026-04-20"), "unit_paid": True,
                "unpaid_persons": [MANAGER["id_number"]]}
    assert post(http, case, "送达催告书", reminder).status_code == 200
    case.on("2026-04-16")  # he pays his 2,000 and 6 days' surcharge
    his_payment = {"party": PAID, **steps.payment("2026-04-16", 2000, 360), "payment_voucher": "缴款书0003"}
    paid = post(http, case, "登记催告后缴纳", {**steps.payment("2026-04-08", 10000), "person_payments": [his_payment]})
    assert paid.status_code == 200, paid.text
    assert fines(http) == (12000, 12000, 0, 360, 0)
    assert fines(http, "?from=2026-04-01") == (0, 12000, -12000, 360, 0)  # decided in March, paid in April
    page = http.web_page("head", "/statistics")
    assert '<dd data-figure="fines_decided">12000.00</dd>' in page and '<dd data-figure="fines_collected">12000.00</dd>' in page
    assert '<dd data-figure="surcharges_collected">360.00</dd>' in page
