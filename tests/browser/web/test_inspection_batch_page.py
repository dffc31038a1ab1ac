"""Issues 13/15 in the browser: an officer of the county bureau organises a special inspection from the county's
annual plan page, reads on the batch page the recorded seed and inputs, each drawn unit with its officer pair and the
inspection started for it; the drawn township officer finds that inspection in 待办. The pages fit a phone and
pass axe."""

from __future__ import annotations

import re

import pytest

from tests.api.register_entries import entry
from tests.browser.web.conftest import LAPTOP, PHONE, api_client
from tests.browser.web.test_accessibility import critical_violations

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def fireworks_units(base: str) -> list[str]:
    officer = api_client(base, "quanjiang1")
    township = officer.get("/me").json()["agency_id"]
    names = []
    for serial in (811, 812):
        body = entry(township, serial, assigned_level="township", industry="fireworks")
        response = officer.post("/targets", json=body)
        assert response.status_code == 201, response.text
        names.append(body["name"])
    return names


def test_the_county_organises_a_special_inspection_and_the_drawn_pair_gets_it(browser):
    units = fireworks_units(browser.base)
    plan = api_client(browser.base, "county1").post("/plans", json={"year": 2027})  # the demo's 2026 plan is published
    assert plan.status_code == 201, plan.text
    page = browser.page(LAPTOP, "county1")
    page.goto(f"{browser.base}/plans/{plan.json()['id']}")
    page.get_by_role("link", name="组织交叉检查或专项检查").click()
    page.wait_for_url(re.compile(r"/batches/new$"))
    page.get_by_label("专项检查").check()
    page.get_by_label("检查名称").fill("烟花爆竹专项检查")
    page.get_by_label("烟花爆竹").check()
    page.get_by_label("泉江镇人民政府").check()
    page.get_by_label("随机种子(选填)").fill("20260615")
    assert critical_violations(page) == []
    page.get_by_role("button", name="抽取并发起检查").click()
    page.wait_for_url(re.compile(r"/plans/batches/\d+$"))
    batch_url = page.url

    assert page.get_by_role("heading", level=1).inner_text() == "烟花爆竹专项检查"
    assert "20260615" in page.locator(".case-head").first.inner_text()
    assert "烟花爆竹" in page.locator("#inputs-h + dl").inner_text()
    table = page.locator("#inspections").inner_text()
    assert all(name in table for name in units) and "检查中" in table
    assert re.search(r"[\u4e00-\u9fff]{2,4}、[\u4e00-\u9fff]{2,4}", table)  # a drawn pair per unit
    # the draw is over the township's certified officers (another test may have added one to the demo's two), a pair
    # per unit: each pair holds at least one of the demo's two, who finds that unit's inspection in 待办
    demo_officers = {"刘建华": "quanjiang1", "郭晓燕": "quanjiang2"}
    rows = page.locator("#inspections tbody tr")
    pairs = {rows.nth(i).locator("td").first.inner_text(): rows.nth(i).locator("td").nth(2).inner_text()
             for i in range(rows.count())}
    assert set(units) <= set(pairs)  # with the demo register's own fireworks unit
    drawn_for = {unit: next(login for name, login in demo_officers.items() if name in pairs[unit]) for unit in units}
    assert critical_violations(page) == []
    phone = browser.page(PHONE, "county1")
    phone.goto(batch_url)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    for login in set(drawn_for.values()):  # one of each drawn pair: the inspections are in 待办
        inbox = browser.page(LAPTOP, login).locator(".tasklist").first.inner_text()
        assert all(f"· {unit}" in inbox for unit, drawn_login in drawn_for.items() if drawn_login == login)
    drawn = browser.page(LAPTOP, drawn_for[units[0]])
    drawn.locator(".task-link", has_text=units[0]).click()
    drawn.wait_for_url(re.compile(r"/tasks/"))
    assert drawn.get_by_role("heading", level=1).inner_text().startswith("现场检查")
