"""Issue 13: the county officer works the reported case: the diagram follows the procedure, and a fine is
shown in Chinese capitals as it is typed."""

from __future__ import annotations

import re

import pytest

from tests.browser.web.conftest import LAPTOP, screenshot
from tests.browser.web.story import Story

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
REPORT = "制作案件调查报告和处理呈批表"


def test_the_county_officer_drafts_the_report_with_the_fine_in_capitals(browser):
    case_id = Story(browser.base).county_case_at("遂川县大写金额木业有限公司", stop_before=REPORT)
    page = browser.page(LAPTOP, "county1")
    page.goto(f"{browser.base}/cases/{case_id}")
    page.locator("#diagram[data-ready=true]").wait_for()
    for done in ("draft_filing", "approve_filing", "investigate"):
        assert page.locator(f'.djs-element.done[data-element-id="{done}"]').count() == 1, done
    assert page.locator('.djs-element.current[data-element-id="investigation_report"]').count() == 1
    assert page.locator('.djs-element.current[data-element-id="investigate"]').count() == 0
    timeline = page.locator("[aria-labelledby=record-h]").inner_text()
    assert "局负责人 陈志刚: 办理「审批立案」" in timeline

    page.get_by_role("link", name=REPORT).click()
    page.wait_for_url(re.compile("/tasks/"))
    earlier = page.locator("details.earlier")
    earlier.locator("summary").click()
    investigation = earlier.get_by_role("region", name="调查取证")
    assert "询问笔录2份、勘验笔录1份、现场照片8张" in investigation.inner_text()
    assert "王振宇" in investigation.inner_text()  # the officers by name
    filing = earlier.get_by_role("region", name="审批立案").inner_text()
    assert "同意立案" in filing and "2026年3月13日" in filing
    kinds = page.locator("[data-field=penalty_kinds]")
    assert kinds.get_by_label("罚款").is_checked()  # prefilled, labelled in Chinese
    assert "警告" in kinds.inner_text() and "warning" not in kinds.inner_text()
    fine = page.get_by_label("拟罚款金额", exact=False)
    fine.fill("30000")
    screenshot(page, "county-report-form")
    page.locator("[data-field=fine_amount] .capitals").get_by_text("人民币叁万元整").wait_for()
    fine.fill("1800.5")
    page.locator("[data-field=fine_amount] .capitals").get_by_text("人民币壹仟捌佰元伍角").wait_for()
