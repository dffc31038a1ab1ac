"""The legal reviewer (法制审核) reads the case file beside the approve/return form: two columns on a laptop,
stacked on a phone; the dossier as it stands opens in the page's viewer, not in a new window. Needs LibreOffice
to build the dossier."""

from __future__ import annotations

import pytest

from tests.browser.web.conftest import LAPTOP, PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.libreoffice, pytest.mark.timeout(600)]


def review_page(browser, viewport: dict):
    page = browser.page(viewport, "reviewer")
    page.get_by_role("link", name="法制审核").first.click()
    page.get_by_role("heading", level=1, name="法制审核").wait_for()
    return page, page.locator("section.case-file").bounding_box(), page.locator("form.task-form").bounding_box()


def test_the_case_file_stands_beside_the_form_and_the_dossier_opens_in_the_page(browser):
    phone, case_file, form = review_page(browser, PHONE)
    assert form["y"] >= case_file["y"] + case_file["height"]  # stacked: the file first, then the form
    assert abs(form["x"] - case_file["x"]) < 20 and case_file["width"] > PHONE["width"] * 0.8
    width = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1]  # nothing wider than the phone

    page, case_file, form = review_page(browser, LAPTOP)
    assert form["x"] >= case_file["x"] + case_file["width"]  # side by side
    assert form["y"] < case_file["y"] + case_file["height"]
    report = page.get_by_role("region", name="案件调查报告", exact=True).inner_text()
    assert "复查时逾期未改正" in report
    assert "逾期未改正" in page.get_by_role("region", name="裁量档次和理由").inner_text()
    screenshot(page, "legal-review-beside", full_page=False)

    page.get_by_role("button", name="预览卷宗").click()
    viewer = page.locator("#pdf-preview[data-ready=true]")
    viewer.wait_for(timeout=540_000)  # the dossier is built with LibreOffice on opening
    assert viewer.get_by_role("img", name="第 1 页").is_visible()
    assert "卷宗（办理中）" in viewer.get_by_role("heading").inner_text()
    assert len(page.context.pages) == 1  # no new window
    viewer.get_by_role("button", name="关闭").click()
    assert page.locator("form.task-form").is_visible()
