"""Issue 16: a grid member on a phone (390x844) reports a hazard with the current position and a photo, and follows
it to closure while the township's emergency office summons a department (吹哨), records its 报到 and action,
and re-checks, the summoned department reporting from its own account."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.web.conftest import LAPTOP, PHONE, api_client, screenshot
from tests.browser.web.test_accessibility import critical_violations

PHOTO = Path(__file__).resolve().parents[2] / "fixtures" / "site-photo.png"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def complete(office, case_id: int, name: str, data: dict) -> None:
    task = next(t for t in office.get("/tasks").json() if t["case_id"] == case_id and t["name"] == name)
    response = office.post(f"/tasks/{task['id']}/complete", json={"data": data})
    assert response.status_code == 200, response.text


def test_grid_member_reports_a_hazard_on_a_phone_and_follows_it_to_closure(browser):
    page = browser.page(PHONE, "quanjiang-grid")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 26.3281, "longitude": 114.5163})
    page.wait_for_url(re.compile(r"/grid$"))
    assert page.get_by_role("heading", level=1).inner_text() == "报告隐患"
    assert critical_violations(page) == []
    page.get_by_label("隐患类别").select_option(label="防汛")
    page.get_by_label("地点").fill("城南社区河堤东段")
    page.get_by_role("button", name="使用当前位置").click()
    page.get_by_text("已定位 26.32810, 114.51630").wait_for()
    page.get_by_label("情况说明").fill("河堤出现管涌, 有渗水")
    page.get_by_label("现场照片").set_input_files(str(PHOTO))
    screenshot(page, "grid-report-phone", full_page=False)
    page.get_by_role("button", name="提交报告").click()
    page.wait_for_url(re.compile(r"/grid/reports/\d+"))
    assert page.locator("[data-status]").inner_text() == "待研判"
    assert "26.32810" in page.locator(".facts").inner_text()

    office = api_client(browser.base, "quanjiang1")
    case_id = next(r for r in api_client(browser.base, "quanjiang1").get("/hazards", params={"q": "河堤东段"}).json()["items"])["case_id"]
    evidence = office.get(f"/cases/{case_id}/evidence").json()
    assert [(e["filename"], e["uploaded_by_name"]) for e in evidence] == [("site-photo.png", "曾小梅")]
    complete(office, case_id, "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇水利站"]})
    page.reload()
    assert page.locator("[data-status]").inner_text() == "吹哨处置中"
    assert "未报到" in page.locator("table").inner_text()
    station = api_client(browser.base, "quanjiang-water")  # the summoned department's own account 报到 and reports
    complete(station, case_id, "部门报到和报告处置情况", {"department": "乡镇水利站", "report_kind": "ack"})
    complete(station, case_id, "部门报到和报告处置情况", {"department": "乡镇水利站", "report_kind": "action",
                                                  "action_taken": "沙袋封堵管涌, 安排专人巡堤"})
    complete(office, case_id, "复核隐患整改情况", {"recheck_on": "2026-06-15", "recheck_passed": True})

    page.goto(f"{browser.base}/grid")
    page.get_by_role("link", name=re.compile("城南社区河堤东段")).click()
    assert page.locator("[data-status]").inner_text() == "隐患已销号"
    assert "沙袋封堵管涌" in page.locator("table").inner_text()
    assert critical_violations(page) == []
    screenshot(page, "grid-report-closed-phone")

    # the township's ledger lists it as closed; the export downloads
    ledger = browser.page(LAPTOP, "quanjiang1")
    ledger.get_by_role("link", name="隐患台账").click()
    ledger.get_by_label("状态").select_option(label="隐患已销号")
    ledger.get_by_role("button", name="筛选").click()
    assert "城南社区河堤东段" in ledger.locator("table").inner_text()
    assert critical_violations(ledger) == []
    with ledger.expect_download() as download:
        ledger.get_by_role("link", name="导出 CSV").click()
    assert download.value.suggested_filename == "重点隐患台账.csv"


def test_the_citizen_report_page_works_on_a_phone_without_login(browser):
    page = browser.page(PHONE)
    page.goto(f"{browser.base}/public/hazard-report")
    assert critical_violations(page) == []
    page.get_by_label("所在乡镇(园区)").select_option(label="泉江镇人民政府")
    page.get_by_label("隐患类别").select_option(label="森林火灾")
    page.get_by_label("地点").fill("五指峰林场入口")
    page.get_by_label("情况说明").fill("有人在林区焚烧秸秆")
    page.get_by_label("您的姓名").fill("郭大伟")
    page.get_by_label("联系电话").fill("13907962222")
    page.get_by_role("button", name="提交举报").click()
    code = page.locator("[data-receipt]").inner_text()
    page.get_by_label("凭查询码查询办理状态").fill(code)
    page.get_by_role("button", name="查询").click()
    assert page.locator("[data-status]").inner_text() == "待研判"
    assert "郭大伟" not in page.content()
