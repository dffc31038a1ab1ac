"""Issue 14: the supervisor opens 执法统计 and sees the charts drawn (ECharts, served from the app, no inline
script under the CSP) beside the figures the API reports; the browser fixture fails on any console error."""

from __future__ import annotations

import pytest

from tests.browser.web.conftest import api_client
from tests.browser.web.test_accessibility import critical_violations

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def test_the_supervisor_sees_the_statistics_charts(browser):
    figures = api_client(browser.base, "supervisor").get("/statistics").json()
    page = browser.page(username="supervisor")
    page.get_by_role("link", name="执法统计").click()
    page.wait_for_url(f"{browser.base}/statistics")
    assert page.get_by_role("heading", level=1).inner_text() == "执法统计"
    assert page.locator('[data-figure="cases"]').inner_text() == str(figures["cases"])
    drawn = page.locator(".chart svg")
    drawn.first.wait_for()
    charts_with_data = page.locator(".chart:not(.chart-empty)")
    assert charts_with_data.count() >= 2 and drawn.count() == charts_with_data.count()
    # the bars and slices are there, not only an empty canvas
    assert page.locator(".chart svg path").count() > 5
    assert critical_violations(page) == []
    page.select_option('select[name="agency_id"]', index=1)
    page.get_by_role("button", name="统计").click()
    page.wait_for_url("**/statistics?**")
    page.locator(".chart svg, .chart-empty").first.wait_for()
