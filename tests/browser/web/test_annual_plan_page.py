"""Issue 13 leftovers: a township officer draws the year's plan in the browser, reads who inspects what in which
month, and submits the draft for approval from the plan page; the page fits a phone and passes axe."""

from __future__ import annotations

import re

import pytest

from tests.api.register_entries import entry
from tests.browser.web.conftest import LAPTOP, PHONE, api_client, screenshot
from tests.browser.web.test_accessibility import critical_violations

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def registered_units(base: str) -> list[str]:
    officer = api_client(base, "yutian1")
    township = officer.get("/me").json()["agency_id"]
    names = []
    for serial in (701, 702, 703):
        body = entry(township, serial, assigned_level="township", key_target=serial == 701)
        response = officer.post("/targets", json=body)
        assert response.status_code == 201, response.text
        names.append(body["name"])
    return names


def test_a_township_officer_draws_the_annual_plan_and_submits_it(browser):
    key_unit = registered_units(browser.base)[0]
    page = browser.page(LAPTOP, "yutian1")  # the demo's 泉江镇 has this year's plan published already
    page.get_by_role("link", name="年度计划").click()
    page.wait_for_url(re.compile(r"/plans$"))
    page.get_by_label("计划年度").fill("2026")
    page.get_by_role("button", name="抽取生成草案").click()
    page.wait_for_url(re.compile(r"/plans/\d+$"))
    plan_url = page.url

    assert page.get_by_role("heading", level=1).inner_text() == "2026年度监督检查计划"
    visits = page.locator("#visits-h + table").inner_text()
    assert key_unit in visits and "月" in visits
    assert "计划编制中" in page.locator(".case-head").inner_text()
    assert critical_violations(page) == []
    screenshot(page, "annual-plan")

    phone = browser.page(PHONE, "yutian1")
    phone.goto(plan_url)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.get_by_role("link", name="提交年度计划草案").click()
    page.wait_for_url(re.compile(r"/tasks/"))
    page.get_by_label("提交日期").fill("2026-06-15")
    page.get_by_label("编制说明").fill("重点检查对象全覆盖, 其他对象随机抽取30%")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/cases/\d+"))
    page.goto(plan_url)
    assert "计划审批中" in page.locator(".case-head").inner_text()
    assert "登记党委政府审定结果" in page.locator("#steps-h + ul").inner_text()


def test_a_county_officer_reads_a_township_power_list_on_a_phone(browser):
    page = browser.page(PHONE, "county1")
    page.goto(f"{browser.base}/powers")
    page.get_by_role("link", name=re.compile("泉江")).first.click()
    page.wait_for_url(re.compile(r"/powers/\d+$"))
    assert "执法事项清单" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("heading", name="增加委托或赋权事项").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert critical_violations(page) == []
