"""Fines owed and the surcharge accrued on them to date in the enforcement statistics (issues #14/#15), over HTTP.

The 15,000-yuan fine of tests/procedure/test_surcharge_http.py is due on 10 April 2026 and not paid. On 20 April
the statistics show it owed with ten days of surcharge — the figure `zhifa surcharge` gives — under the county
bureau; a township officer, who may not see the county's cases, sees none of it. Once paid it is owed no more.
"""

from datetime import date

import pytest

from engine.surcharge import late_surcharge
from tests.procedure import steps
from tests.procedure.http_actors import add_township_officer, http_actors
from tests.procedure.test_surcharge_http import FINE, unpaid_after_the_deadline, zhifa_surcharge


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    add_township_officer(runtime, agencies, actors)
    with client:
        yield actors


def test_an_unpaid_fine_and_its_surcharge_to_date_are_counted_for_its_agency_only(county_case, agencies, http):
    case = unpaid_after_the_deadline(county_case)
    case.on("2026-04-20")  # 11 … 20 April: ten days late
    figures = http.get("/statistics", "head")
    owed = late_surcharge(FINE, date(2026, 4, 10), date(2026, 4, 20))
    assert owed == 4500 == zhifa_surcharge(FINE, "2026-04-10", "2026-04-20")
    assert (figures["arrears_on"], figures["fines_unpaid"], figures["surcharges_owed"]) == ("2026-04-20", FINE, 4500)
    assert figures["arrears_by_agency"] == [{"agency_id": agencies.county.id, "name": "遂川县应急管理局", "decisions": 1,
                                             "person_decisions": 0, "fines_unpaid": FINE, "surcharges_owed": 4500}]
    # a period that does not hold the case still shows what is owed today
    assert http.get("/statistics?from=2026-04-15", "head")["surcharges_owed"] == 4500

    page = http.web_page("head", "/statistics")
    assert '<dd data-figure="fines_unpaid">15000.00</dd>' in page
    assert '<dd data-figure="surcharges_owed">4500.00</dd>' in page
    assert "<td>遂川县应急管理局</td><td>1</td><td>0</td>\n  <td>15000.00</td><td>4500.00</td>" in page

    township = http.get("/statistics", "township")
    assert (township["fines_unpaid"], township["surcharges_owed"], township["arrears_by_agency"]) == (0, 0, [])
    assert http.get(f"/statistics?agency_id={agencies.township.id}", "head")["arrears_by_agency"] == []

    served = http.post_task("officer", case.case.id, "送达催告书", {"reminder_served_on": "2026-04-20", "pay_by": "2026-04-27"})
    assert served.status_code == 200, served.text
    case.on("2026-04-22")  # still unpaid after the reminder: twelve days
    assert http.get("/statistics", "head")["surcharges_owed"] == 5400
    paid = http.post_task("officer", case.case.id, "登记催告后缴纳", steps.payment("2026-04-22", FINE, 5400))
    assert paid.status_code == 200, paid.text
    figures = http.get("/statistics", "head")
    assert (figures["fines_unpaid"], figures["surcharges_owed"], figures["arrears_by_agency"]) == (0, 0, [])
    assert figures["surcharges_collected"] == 5400
