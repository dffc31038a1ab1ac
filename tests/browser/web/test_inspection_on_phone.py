"""Issue 13: a township officer on a phone starts an inspection, records it with a photo and reports it up;
the county officer then finds the county case in the inbox and opens it, linked both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.web.conftest import PHONE, screenshot

PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "site-photo.png"
PARTY = "遂川县林峰木业有限公司"
CREDIT_CODE = "91360827MA35R8QX1K"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def start_inspection(page, base: str, party: str = PARTY) -> None:
    page.goto(f"{base}/")
    page.get_by_role("link", name="发起检查").click()
    page.get_by_label("单位名称").fill(party)
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_url(re.compile(r"/tasks/"))


def fill_onsite_record(page) -> None:
    """Everything the on-site record asks for, one problem found, no rectification order: report directly."""
    page.get_by_label("检查场所").fill("泉江镇工业大道18号锯木车间")
    page.get_by_label("检查开始时间").fill("2026-06-15T09:00")
    page.get_by_label("检查结束时间").fill("2026-06-15T10:30")
    page.locator("[data-field=officers]").get_by_text("郭晓燕").click()
    page.get_by_label("现场负责人").fill("王林峰")
    attendees = page.locator("[data-field=unit_attendees]")
    attendees.get_by_role("button", name="添加在场人员").click()
    attendees.get_by_role("button", name="添加在场人员").click()
    attendees.locator(".row").nth(1).get_by_role("button", name="删除").click()
    assert attendees.locator(".row").count() == 1
    attendees.get_by_label("身份").select_option(label="主要负责人")
    attendees.get_by_label("姓名").fill("王林峰")
    page.get_by_label("检查内容").fill("安全警示标志、劳动防护用品")
    page.get_by_label("检查情况").fill("作业场所未设置安全警示标志")
    problems = page.locator("[data-field=problems]")
    problems.get_by_role("button", name="添加问题").click()
    problems.get_by_label("问题描述").fill("作业场所未设置安全警示标志")
    problems.get_by_label("违反条款").fill("《中华人民共和国安全生产法》第三十五条")
    page.get_by_label("处理情况").fill("报告县局立案查处")
    page.locator("[data-field=order_rectification]").get_by_label("否").check()
    page.get_by_label("被检查单位负责人签字情况").select_option(label="已签字")


def test_township_officer_on_a_phone_records_an_inspection_and_reports_it_up(browser):
    base = browser.base
    page = browser.page(PHONE, "quanjiang1")
    start_inspection(page, base)

    form = page.locator("form.task-form")
    assert page.get_by_role("heading", level=1).inner_text() == "现场检查"
    assert "两名以上" in page.get_by_role("note").inner_text()
    assert form.get_by_label("单位名称").input_value() == PARTY  # prefilled from the case
    assert form.locator("[data-field=officers] input[type=checkbox]:checked").count() == 1  # the officer herself
    fill_onsite_record(page)
    page.locator("[data-field=officers]").scroll_into_view_if_needed()
    screenshot(page, "onsite-form-phone", full_page=False)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/cases/\d+"))
    inspection_url = page.url.split("?")[0]
    assert page.get_by_role("status").first.inner_text() == "「现场检查」已提交。"

    # a photo taken at the site, attached as evidence with its SHA-256 shown
    page.get_by_text("上传证据(拍照或选择文件)").click()
    page.locator("#evidence-form select[name=type]").select_option(label="视听资料")
    page.locator("#evidence-form input[name=place]").fill("锯木车间")
    page.locator("#evidence-form input[type=file]").set_input_files(str(PHOTO))
    # the page fills in the browser's time; the server's clock is frozen earlier, and refuses a time after its now
    page.locator("#evidence-form input[name=collected_at]").fill("2026-06-15T08:50")
    with page.expect_navigation():
        page.get_by_role("button", name="上传", exact=True).click()
    evidence = page.locator("[aria-labelledby=evidence-h]")
    assert "site-photo.png" in evidence.inner_text()
    assert re.search(r"SHA-256 [0-9a-f]{64}", evidence.inner_text())
    assert "上传证据" in page.locator("[aria-labelledby=record-h]").inner_text()

    # the diagram shows the on-site inspection done and the assessment as the current step
    page.locator("#diagram[data-ready=true]").wait_for()
    assert page.locator('.djs-element.done[data-element-id="onsite_inspection"]').count() == 1
    assert page.locator('.djs-element.current[data-element-id="violation_assessment"]').count() == 1

    page.get_by_role("link", name="违法行为处理意见").click()
    page.get_by_label("违法事实").fill("作业场所未设置安全警示标志")
    page.get_by_label("拟处罚对象").select_option(label="生产经营单位")
    page.get_by_label("罚款").check()
    page.locator("[data-field=accident]").get_by_label("否").check()
    page.locator("[data-field=crime_suspected]").get_by_label("否").check()
    page.locator("[data-field=in_em_scope]").get_by_label("是").check()
    page.get_by_label("检查对象所属执法层级").select_option(label="县级")
    page.get_by_label("处理意见").fill("违法主体为单位, 报告县局立案")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/cases/\d+"))

    links = page.locator("[aria-labelledby=links-h]")
    assert "报告后立案" in links.inner_text()
    county_number = links.get_by_role("link").inner_text()
    assert county_number == "(待立案)"  # the county files it later: its 案号 comes then
    assert "已报告县局" in page.locator(".case-head").inner_text()

    county = browser.page(username="county1")
    county.get_by_role("link", name=re.compile("填写立案审批表")).first.click()
    county.wait_for_url(re.compile(r"/tasks/"))
    county.get_by_role("link", name=re.compile("返回案件")).click()
    county.wait_for_url(re.compile(r"/cases/\d+$"))
    assert county.get_by_role("heading", level=1).inner_text() == "(未编号)"
    source = county.locator("[aria-labelledby=links-h]")
    assert "来源" in source.inner_text()
    source.get_by_role("link").click()
    assert county.url == inspection_url
    screenshot(county, "case-page")
