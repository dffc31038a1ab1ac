"""Issue 13: the county officer works the reported case: the diagram follows the procedure, and a fine is
shown in Chinese capitals as it is typed."""

from __future__ import annotations

import re

import pytest

from api.demo import RESPONSIBLE_PERSON, SCRIPT, step_data
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
    assert "同意立案" in filing and "2026年3月17日" in filing
    kinds = page.locator("[data-field=penalty_kinds]")
    assert kinds.get_by_label("罚款").is_checked()  # prefilled, labelled in Chinese
    assert "警告" in kinds.inner_text() and "warning" not in kinds.inner_text()
    fine = page.get_by_label("拟罚款金额", exact=False)
    fine.fill("30000")
    screenshot(page, "county-report-form")
    page.locator("[data-field=fine_amount] .capitals").get_by_text("人民币叁万元整").wait_for()
    fine.fill("1800.5")
    page.locator("[data-field=fine_amount] .capitals").get_by_text("人民币壹仟捌佰元伍角").wait_for()


def test_the_legal_reviewer_and_the_head_take_the_case_to_a_decision_and_its_documents_appear(browser):
    story = Story(browser.base)
    case_id = story.county_case_at("遂川县审核决定木业有限公司", stop_before="法制审核")
    reviewer = browser.page(LAPTOP, "reviewer")
    reviewer.get_by_role("link", name="法制审核").first.wait_for()
    reviewer.goto(f"{browser.base}/cases/{case_id}")
    reviewer.get_by_role("link", name="法制审核").click()
    report = reviewer.locator("details.earlier").get_by_role("region", name="制作案件调查报告和处理呈批表")
    assert "无从重、从轻情节，在幅度内从低裁量" in report.inner_text()  # the discretion and its reasons
    assert "对当事人处罚款人民币60000元" in report.inner_text()  # the proposed decision
    screenshot(reviewer, "legal-review")
    reviewer.locator("[data-field=review_passed]").get_by_label("是").check()
    reviewer.get_by_label("审核事项").fill("执法主体、程序、事实证据、法律适用、裁量基准")
    reviewer.get_by_label("审核意见").fill("事实清楚, 证据确凿, 程序合法, 裁量适当")
    reviewer.get_by_label("审核人").fill("罗文静")
    reviewer.get_by_label("审核日期").fill("2026-06-15")
    reviewer.get_by_role("button", name="提交").click()
    reviewer.wait_for_url(re.compile(rf"/cases/{case_id}\?"))

    head = browser.page(LAPTOP, "head")
    head.goto(f"{browser.base}/cases/{case_id}")
    if head.get_by_role("link", name="集体讨论").count():  # where the decision table asks for one (the demo's data)
        discussion = next(step for step in SCRIPT if step.task == "集体讨论")
        story.complete("head", case_id, discussion.task, step_data(discussion, {}, story.officers))
        head.reload()
    head.get_by_role("link", name="作出行政处罚决定").click()
    head.locator("[data-field=decided_penalty_kinds]").get_by_label("罚款").check()
    head.get_by_label("决定的罚款金额").fill("60000")  # SPL Art. 99 after failing to correct: 50,000-200,000 on the unit
    head.get_by_label("决定对直接负责的主管人员和其他直接责任人员罚款金额", exact=False).fill("12000")  # mandatory
    head.locator("[data-field=penalty]").get_by_label("行政处罚的内容").fill("对当事人处罚款人民币60000元")
    # SPL Art. 99: the responsible person is the party of a decision of his own, named in the form
    persons = head.locator("[data-field=responsible_persons]")
    persons.get_by_role("button", name=re.compile("添加")).click()
    row = persons.locator(".row").first
    row.get_by_label("当事人类别").select_option(label="个人")
    row.get_by_label("名称或姓名").fill(RESPONSIBLE_PERSON["name"])
    row.get_by_label("身份证号码").fill(RESPONSIBLE_PERSON["id_number"])
    row.get_by_label("工作单位").fill(RESPONSIBLE_PERSON["employer"])
    row.get_by_label("职务").fill(RESPONSIBLE_PERSON["post"])
    row.get_by_label("地址").fill(RESPONSIBLE_PERSON["address"])
    row.get_by_label("罚款金额（元）").fill("12000")
    row.get_by_label("行政处罚的内容").fill("对直接负责的主管人员王林峰处罚款人民币12000元")
    head.get_by_label("缴款地点或账户").fill("遂川县财政局非税收入账户")
    head.get_by_role("button", name="提交").click()
    head.wait_for_url(re.compile(rf"/cases/{case_id}\?"))
    head.locator("#diagram[data-ready=true]").wait_for()
    assert head.locator('.djs-element.done[data-element-id="legal_review"]').count() == 1
    documents = head.locator("[aria-labelledby=docs-h]")
    for _ in range(50):  # the worker renders the .docx files
        if documents.get_by_role("link", name=".docx").count() and "行政处罚决定书" in documents.inner_text():
            break
        head.wait_for_timeout(300)
        head.reload()
    assert "行政处罚决定书" in documents.inner_text()
    assert documents.get_by_role("link", name=".docx").count() >= 1
