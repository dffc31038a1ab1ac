"""Issue 13: the general procedure's diagram opens on the phase that holds the current step, and each phase
(the model's group boxes) opens on its own from a row of buttons, by mouse or keyboard."""

from __future__ import annotations

import pytest

from tests.browser.web.conftest import LAPTOP, PHONE, screenshot
from tests.browser.web.story import Story

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
PHASES = ["立案", "调查取证", "告知与听证", "审查决定", "送达执行", "结案归档", "全图"]


def box(page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found, selector
    return found


def inside(inner: dict, outer: dict, slack: float = 1) -> bool:
    """Whether `inner` is drawn within `outer` (on screen, to a pixel of rounding)."""
    return (outer["x"] - slack <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and outer["y"] - slack <= inner["y"]
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def in_view(page, element_id: str) -> bool:
    """Whether the diagram's element is drawn within the diagram's frame on the page."""
    return inside(box(page, f'.djs-element[data-element-id="{element_id}"]'), box(page, "#diagram"))


def test_the_case_at_legal_review_opens_on_its_phase_and_each_phase_opens_on_its_own(browser):
    case_id = Story(browser.base).county_case_at("遂川县分阶段流程图木业有限公司", stop_before="法制审核")
    page = browser.page(LAPTOP, "reviewer")
    page.goto(f"{browser.base}/cases/{case_id}")
    page.locator("#diagram[data-ready=true]").wait_for()
    phases = page.get_by_role("group", name="按阶段查看流程图")
    assert phases.get_by_role("button").all_inner_texts() == PHASES  # the model's groups, left to right
    assert phases.get_by_role("button", name="审查决定").get_attribute("aria-pressed") == "true"
    assert "显示「审查决定」阶段" in page.locator("#diagram").get_attribute("aria-label")

    assert page.locator('.djs-element.current[data-element-id="legal_review"]').count() == 1
    assert in_view(page, "legal_review") and in_view(page, "phase_review_decision")
    whole = box(page, '.djs-element[data-element-id="general_procedure_participant"]')
    assert whole["width"] > 2 * box(page, "#diagram")["width"]  # only part of the procedure is in view, and larger than in 全图
    assert not in_view(page, "investigate")
    assert page.locator(".lane-name", has_text="法制审核人员").is_visible()  # who does the steps, at the phase's edge
    page.locator("[aria-labelledby=diagram-h]").scroll_into_view_if_needed()
    screenshot(page, "case-diagram-phase", full_page=False)

    investigation = phases.get_by_role("button", name="调查取证")
    investigation.focus()
    page.keyboard.press("Enter")
    assert investigation.get_attribute("aria-pressed") == "true"
    assert phases.get_by_role("button", name="审查决定").get_attribute("aria-pressed") == "false"
    assert in_view(page, "investigate")
    assert page.locator('.djs-element.done[data-element-id="investigate"]').count() == 1
    assert not in_view(page, "legal_review")

    phases.get_by_role("button", name="全图").click()
    assert in_view(page, "general_procedure_participant")
    assert page.locator(".lane-name").count() == 0  # the lanes' own names are in view

    phone = browser.page(PHONE, "reviewer")  # the phase's full height, dragged sideways; the current step in view
    phone.goto(f"{browser.base}/cases/{case_id}")
    phone.locator("#diagram[data-ready=true]").wait_for()
    assert phone.get_by_role("button", name="审查决定").get_attribute("aria-pressed") == "true"
    assert in_view(phone, "legal_review") and not in_view(phone, "phase_review_decision")
