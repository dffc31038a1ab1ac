"""Issue 13: the supervisor opens an archived case assigned for case-file review (案卷评查) and reads its dossier
(卷宗) in the page, read-only; every opening is in the case record. Needs LibreOffice to build the dossier."""

from __future__ import annotations

import re

import pytest

from engine.vocab import READ_EVENT_KINDS
from tests.browser.web.conftest import api_client, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice, pytest.mark.timeout(600)]


def supervisor_reads(base: str, case_id: int) -> int:
    timeline = api_client(base, "county1").get(f"/cases/{case_id}").json()["timeline"]
    return sum(1 for e in timeline if e["kind"] in READ_EVENT_KINDS)  # as supervision, or as a plan's reviewer


def test_the_supervisor_reads_the_dossier_of_an_archived_case_in_the_page(browser):
    base = browser.base
    page = browser.page(username="supervisor")
    page.goto(f"{base}/")
    review = page.get_by_role("link", name=re.compile("查看卷宗"))
    case_id = int(re.search(r"/cases/(\d+)/dossier", review.first.get_attribute("href")).group(1))
    before = supervisor_reads(base, case_id)

    review.first.click()
    page.wait_for_url(re.compile(rf"/cases/{case_id}/dossier$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("卷宗")
    viewer = page.locator("[data-pdf-inline][data-ready=true]")
    viewer.wait_for(timeout=540_000)  # the first opening builds the dossier with LibreOffice
    pages = int(re.search(r"共 (\d+) 页", viewer.get_by_role("status").inner_text()).group(1))
    assert pages >= 3  # cover, table of contents, documents, notes
    assert viewer.get_by_role("img", name="第 1 页").is_visible()
    assert page.get_by_role("button", name="提交").count() == 0 and page.locator("form.task-form").count() == 0
    screenshot(page, "dossier-view", full_page=False)
    assert supervisor_reads(base, case_id) == before + 1

    page.reload()  # built once, opened again: recorded again
    page.locator("[data-pdf-inline][data-ready=true]").wait_for()
    assert supervisor_reads(base, case_id) == before + 2


def test_a_case_not_yet_archived_has_no_dossier(browser):
    case_id = api_client(browser.base, "quanjiang1").post("/cases", json={"process": "inspection", "party": {
        "kind": "unit", "name": "泉江镇未归档测试有限公司"}}).json()["case"]["id"]
    browser.expected_statuses.add(409)
    page = browser.page(username="quanjiang1")
    response = page.goto(f"{browser.base}/cases/{case_id}/dossier")
    assert response.status == 409 and page.get_by_role("alert").inner_text() == "案件尚未归档，没有卷宗"
    assert page.get_by_role("link", name="查看卷宗").count() == 0
