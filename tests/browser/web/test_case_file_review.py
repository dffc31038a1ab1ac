"""Issue 14: a supervisor scores a sampled case file in the browser — the pre-check beside the manual items, the
dossier a link away — and downloads the review report (.docx)."""

from __future__ import annotations

import re

import pytest
from docx import Document

from tests.browser.web.conftest import api_client, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

MANUAL = {"filing_content": "4", "investigation_records": "9", "evidence_sufficient": "10",
          "characterisation_reasons": "7", "decision_content": "3", "enforcement": "6", "archive_order": "3"}


def drawn_plan(base: str) -> dict:
    supervisor = api_client(base, "supervisor")
    county = supervisor.get("/me").json()["agency_id"]
    plan = supervisor.post("/review-plans", json={
        "title": "2026年上半年案卷评查", "period_from": "2026-01-01", "period_to": "2026-06-30", "unit_ids": [county],
        "share_percent": 100, "minimum_per_unit": 1, "always_include": [], "township_reviewers": False}).json()
    assert api_client(base, "head").post(f"/review-plans/{plan['id']}/approve").status_code == 200
    drawn = supervisor.post(f"/review-plans/{plan['id']}/draw")
    assert drawn.status_code == 200, drawn.text
    return drawn.json()


def test_a_supervisor_scores_a_case_file_and_downloads_the_report(browser, tmp_path):
    plan = drawn_plan(browser.base)
    sample = next(s for s in plan["samples"] if s["reviewer_name"] == "谢卫东")
    page = browser.page(username="supervisor")
    page.get_by_role("link", name="案卷评查").click()
    page.get_by_role("link", name=sample["case_number"]).first.click()
    page.wait_for_url(re.compile(rf"/review-samples/{sample['id']}$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("案卷评分")
    dossier = page.get_by_role("button", name="在本页查看卷宗")
    assert dossier.get_attribute("data-pdf-src") == f"/cases/{sample['case_id']}/dossier.pdf"
    dossier.click()  # the page's own viewer draws the archived file's dossier beside the form
    viewer = page.locator("#pdf-preview[data-ready=true]")
    viewer.wait_for(timeout=540_000)  # built with LibreOffice on first opening
    assert viewer.get_by_role("img", name="第 1 页").is_visible()
    assert sample["case_number"] in viewer.get_by_role("heading").inner_text()
    assert len(page.context.pages) == 1  # no new window
    viewer.get_by_role("button", name="关闭").click()
    decision = page.locator("#item-decision_deadline")
    assert "自动预审" in decision.inner_text() and "符合" in decision.inner_text()
    for code, score in MANUAL.items():
        page.locator(f'input[name="score__{code}"]').fill(score)
    page.locator('textarea[name="comment__archive_order"]').fill("卷内目录未标页码")
    screenshot(page, "review-scoring", full_page=False)
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_url(re.compile(r"\?saved=1$"))
    result = page.locator("#result").inner_text()
    assert re.search(r"\d+分 · (优秀|良好|合格|不合格)", result), result

    page.get_by_role("link", name=plan["title"]).click()
    assert "卷内目录未标页码" in page.locator("#findings-h + table").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载评查通报(.docx)").click()
    saved = tmp_path / "report.docx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "2026年上半年案卷评查情况通报.docx"
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "2026年上半年案卷评查情况通报" in text and "一、总体情况" in text
