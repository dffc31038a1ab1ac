"""Issue 13: every role's first page, deadlines in the inbox, refusals (CSRF, another township's case, an
expired session) and layouts at laptop, tablet and phone sizes."""

from __future__ import annotations

import re
import time
from datetime import datetime

import httpx
import jwt
import pytest

from tests.browser.web.conftest import LAPTOP, PHONE, SECRET, TABLET, api_client, login, officer_entry, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]
PARTY = {"kind": "unit", "name": "遂川县宏达建材有限公司", "credit_code": "91360827MA35R8QX2K", "address": "遂川县泉江镇建设路8号"}


def onsite_record(party: dict, officers: list[dict], *, order_rectification: bool) -> dict:
    return {"party": {k: v for k, v in party.items() if k != "kind"}, "place": party["address"],
            "started_at": "2026-05-11T09:00:00+08:00", "ended_at": "2026-05-11T10:00:00+08:00", "officers": officers,
            "site_responsible": "张宏达", "unit_attendees": [{"role": "principal", "name": "张宏达"}],
            "checked_items": "安全警示标志", "findings": "未设置安全警示标志",
            "problems": [{"description": "未设置安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条"}],
            "handling": "责令限期整改" if order_rectification else "报告县局", "order_rectification": order_rectification,
            "unit_signature": "signed"}


def ready_tasks(client: httpx.Client, case_id: int) -> dict[str, str]:
    return {t["bpmn_id"]: t["id"] for t in client.get(f"/cases/{case_id}").json()["tasks"]}


def inspection_with_rectification_order(base: str, party_name: str, rectify_by: str) -> tuple[httpx.Client, int]:
    """An inspection of quanjiang that ordered rectification by `rectify_by`."""
    client = api_client(base, "quanjiang1")
    team = [officer_entry(base, "quanjiang1"), officer_entry(base, "quanjiang2")]
    party = {**PARTY, "name": party_name}
    case = client.post("/cases", json={"process": "inspection", "party": party}).json()["case"]
    tasks = ready_tasks(client, case["id"])
    client.post(f"/tasks/{tasks['onsite_inspection']}/complete",
                json={"data": onsite_record(party, team, order_rectification=True)}).raise_for_status()
    order = {"officers": team, "inspection_date": "2026-05-11", "rectification_items": [
        {"problem": "未设置安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条",
         "requirement": "设置明显的安全警示标志", "deadline": rectify_by}]}
    client.post(f"/tasks/{ready_tasks(client, case['id'])['rectification_order']}/complete",
                json={"data": order}).raise_for_status()
    return client, case["id"]


def inspection_awaiting_reinspection(base: str, party_name: str, rectify_by: str) -> int:
    """An inspection of quanjiang whose re-inspection is due 10 days after the rectification deadline."""
    client, case_id = inspection_with_rectification_order(base, party_name, rectify_by)
    deadline = time.monotonic() + 20
    while "reinspection" not in (tasks := ready_tasks(client, case_id)):  # or the worker's timer gets there first
        if "early_application" in tasks:
            client.post(f"/tasks/{tasks['early_application']}/complete",
                        json={"data": {"applied_on": "2026-05-12", "applicant": "张宏达"}})
        assert time.monotonic() < deadline, tasks
        time.sleep(0.3)
    return case_id


@pytest.mark.parametrize(("username", "heading"), [
    ("quanjiang1", "待办"), ("county1", "待办"), ("reviewer", "待办"), ("hearing", "待办"), ("head", "待办"),
    ("supervisor", "待办"), ("admin", "用户管理"),
])
def test_each_role_logs_in_and_sees_its_first_page(browser, username, heading):
    page = browser.page(LAPTOP)
    page.goto(f"{browser.base}/cases")
    assert page.url.startswith(f"{browser.base}/login")
    if username == "quanjiang1":
        screenshot(page, "login")
    login(page, browser.base, username)
    page.goto(f"{browser.base}/")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    nav = page.get_by_role("navigation", name="主菜单").inner_text()
    if username == "admin":
        assert "30日内到期的执法证" in page.content() and "赣36082702002" in page.content()
        assert "待办" not in nav
    else:
        assert "待办" in nav and "案件" in nav
    if username == "supervisor":
        assert page.get_by_role("heading", name="待评查案卷").is_visible()


def test_inbox_lists_tasks_by_deadline_with_overdue_and_due_soon_badges(browser):
    late = inspection_awaiting_reinspection(browser.base, "遂川县迟到化工有限公司", "2026-05-20")
    soon = inspection_awaiting_reinspection(browser.base, "遂川县将至木业有限公司", "2026-06-05")
    later = inspection_awaiting_reinspection(browser.base, "遂川县从容五金有限公司", "2026-07-30")
    page = browser.page(LAPTOP, "quanjiang2")
    items = page.locator(".tasklist .task").filter(has_text="整改复查")
    texts = items.all_inner_texts()
    order = [next(i for i, t in enumerate(texts) if name in t) for name in ("迟到化工", "将至木业", "从容五金")]
    assert order == sorted(order)
    assert "已超期" in texts[order[0]]
    assert "今日到期" in texts[order[1]]
    assert items.nth(order[2]).locator(".badge").count() == 0
    assert "期限 2026年6月15日" in texts[order[1]]
    screenshot(page, "inbox")
    page.get_by_role("link", name=re.compile("迟到化工")).click()
    assert page.url.endswith(f"/tasks/{ready_tasks(api_client(browser.base, 'quanjiang2'), late)['reinspection']}")
    assert {soon, later}


def test_the_case_list_filters_and_searches_by_number_or_party(browser):
    client = api_client(browser.base, "quanjiang1")
    numbers = {name: client.post("/cases", json={"process": "inspection", "party": {**PARTY, "name": name}}).json()["case"]["number"]
               for name in ("遂川县检索甲有限公司", "遂川县检索乙有限公司")}
    page = browser.page(TABLET, "quanjiang1")
    page.goto(f"{browser.base}/cases")
    results = page.locator("#case-results")
    page.get_by_label("案号或当事人").fill("检索乙")
    results.get_by_text("共 1 件").wait_for()
    assert "遂川县检索乙有限公司" in results.inner_text() and "检索甲" not in results.inner_text()
    assert "q=%E6%A3%80%E7%B4%A2%E4%B9%99" in page.url  # the search is in the address, to share or reload
    page.get_by_label("案号或当事人").fill(numbers["遂川县检索甲有限公司"])
    results.get_by_text("遂川县检索甲有限公司").wait_for()
    results.get_by_text("共 1 件").wait_for()
    page.get_by_label("案号或当事人").fill("")
    page.get_by_label("状态").select_option(label="已归档")
    results.get_by_text("没有符合条件的案件").wait_for()
    page.get_by_label("状态").select_option(label="检查中")
    page.get_by_label("程序").select_option(label="现场检查与整改复查")
    page.get_by_label("当事人", exact=True).fill("检索")
    page.get_by_role("button", name="查询").click()
    results.get_by_text("共 2 件").wait_for()


def test_a_form_error_appears_beside_its_field(browser):
    page = browser.page(TABLET, "quanjiang1")
    browser.expected_statuses.add(422)
    page.goto(f"{browser.base}/inspections/new")
    page.get_by_label("单位名称").fill("遂川县错误示例有限公司")
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_url(re.compile("/tasks/"))
    page.get_by_label("现场负责人").fill("李明")
    page.get_by_role("button", name="提交").click()
    place = page.locator("[data-field=place]")
    assert place.locator(".field-error").inner_text() == "缺少必填项「检查场所」"
    assert place.locator("input").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("现场负责人").input_value() == "李明"  # what was typed is kept
    officers = page.locator("[data-field=officers]")
    assert "两名以上执法人员" in officers.locator(".field-error").inner_text()


def test_a_task_completed_by_someone_else_first_says_so(browser):
    _client, case_id = inspection_with_rectification_order(browser.base, "遂川县同时办理有限公司", "2026-07-30")
    browser.expected_statuses.add(409)
    first, second = browser.page(LAPTOP, "quanjiang1"), browser.page(PHONE, "quanjiang2")
    for page in (first, second):
        page.goto(f"{browser.base}/cases/{case_id}")
        page.get_by_role("link", name="登记单位提前申请复查").click()
        page.get_by_label("申请日期").fill("2026-06-12")
        page.get_by_label("申请人").fill("张宏达")
    first.get_by_role("button", name="提交").click()
    first.wait_for_url(re.compile(rf"/cases/{case_id}"))
    second.get_by_role("button", name="提交").click()
    assert second.get_by_role("heading", level=1).inner_text() == "「登记单位提前申请复查」已被他人办理"
    second.get_by_role("link", name=re.compile("查看案件")).click()
    assert "整改复查" in second.locator("[aria-labelledby=tasks-h]").inner_text()


def test_a_post_without_the_csrf_token_is_refused(browser):
    page = browser.page(LAPTOP, "quanjiang1")
    before = page.request.get(f"{browser.base}/cases").text().count("<tr>")
    refused = page.request.post(f"{browser.base}/inspections/new", form={"name": "遂川县伪造请求有限公司"},
                                max_redirects=0)
    assert refused.status == 403
    assert "缺少安全令牌" in refused.text() and "csrf_failed" in refused.text()
    wrong = page.request.post(f"{browser.base}/inspections/new", max_redirects=0,
                              form={"name": "遂川县伪造请求有限公司", "csrf_token": "0" * 64})
    assert wrong.status == 403
    assert page.request.get(f"{browser.base}/cases").text().count("<tr>") == before
    assert page.request.post(f"{browser.base}/logout", max_redirects=0).status == 403


def test_a_user_of_another_township_gets_the_chinese_403_page(browser):
    case_id = api_client(browser.base, "quanjiang1").post(
        "/cases", json={"process": "inspection", "party": {**PARTY, "name": "遂川县邻镇企业有限公司"}}).json()["case"]["id"]
    browser.expected_statuses.add(403)
    page = browser.page(PHONE, "yutian1")
    response = page.goto(f"{browser.base}/cases/{case_id}")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "无权访问"
    assert page.get_by_role("alert").inner_text() == "无权查看该案件"
    assert page.goto(f"{browser.base}/cases/{case_id}/diagram.bpmn").status == 403


def test_an_expired_session_returns_to_the_login_page_and_back_to_the_page(browser):
    case_id = api_client(browser.base, "quanjiang1").post(
        "/cases", json={"process": "inspection", "party": {**PARTY, "name": "遂川县过期会话有限公司"}}).json()["case"]["id"]
    page = browser.page(LAPTOP, "quanjiang1")
    session = next(c for c in page.context.cookies() if c["name"] == "zhifa_session")
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    claims = jwt.decode(session["value"], SECRET, algorithms=["HS256"], options={"verify_exp": False})
    expired = {**claims, "exp": int(datetime.fromisoformat("2026-06-15T08:00:00+08:00").timestamp())}
    page.context.add_cookies([{**session, "value": jwt.encode(expired, SECRET, algorithm="HS256")}])
    page.goto(f"{browser.base}/cases/{case_id}")
    assert "/login?next=%2Fcases%2F" in page.url
    login_form = page.locator("form[action='/login']")
    login_form.get_by_label("用户名").fill("quanjiang1")
    login_form.get_by_label("密码").fill("zhifa-demo-2026")
    login_form.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{browser.base}/cases/{case_id}")
    assert "遂川县过期会话有限公司" in page.locator(".case-head").inner_text()


def test_pages_carry_the_security_headers(server):
    response = httpx.get(f"{server}/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text and " on" not in re.sub(r"\s+", " ", response.text).replace(" one", "")


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET, PHONE], ids=["1366x768", "1024x768", "390x844"])
def test_no_page_overflows_horizontally(browser, viewport):
    case_id = api_client(browser.base, "quanjiang1").post(
        "/cases", json={"process": "inspection", "party": {**PARTY, "name": "遂川县版式检查有限公司"}}).json()["case"]["id"]
    page = browser.page(viewport)
    page.goto(f"{browser.base}/login")
    pages = ["/login"]
    login(page, browser.base, "quanjiang1")
    task = page.request.get(f"{browser.base}/cases/{case_id}").text()
    task_url = re.search(r'href="(/tasks/[0-9a-f-]+)"', task).group(1)
    pages += ["/", "/cases", f"/cases/{case_id}", task_url, "/inspections/new"]
    wide = []
    for path in pages:
        page.goto(f"{browser.base}{path}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            wide.append((path, width))
    admin = browser.page(viewport, "admin")
    admin.goto(f"{browser.base}/admin/users")
    width = admin.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if width[0] > width[1]:
        wide.append(("/admin/users", width))
    assert wide == []
