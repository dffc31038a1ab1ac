"""Issue 13: the administrator creates an account and resets a password from the page; the change is in the
account audit trail and the reset ends the user's open sessions."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.browser.web.conftest import api_client, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_the_administrator_creates_an_officer_and_resets_a_password(browser):
    base = browser.base
    admin = browser.page(username="admin")
    admin.goto(f"{base}/admin/users")
    admin.get_by_role("link", name="新建用户").click()

    admin.get_by_label("用户名").fill("quanjiang9")
    admin.get_by_label("初始密码").fill("short")
    admin.get_by_label("姓名").fill("钟明远")
    admin.get_by_label("单位").select_option(label="泉江镇人民政府")
    admin.get_by_label("乡镇(园区)执法人员").check()
    admin.get_by_label("执法证号").fill("36082726001")
    admin.get_by_label("执法证有效期至").fill("2026-07-01")
    browser.expected_statuses.add(422)
    admin.get_by_role("button", name="创建").click()
    assert "「密码」" in admin.get_by_role("alert").inner_text()  # refused, the form kept
    assert admin.get_by_label("姓名").input_value() == "钟明远"

    admin.get_by_label("初始密码").fill("quanjiang9-2026")
    admin.get_by_role("button", name="创建").click()
    admin.wait_for_url(re.compile(r"/admin/users\?created="))
    assert admin.get_by_role("status").inner_text() == "已创建用户 quanjiang9。"
    row = admin.get_by_role("row", name=re.compile("钟明远"))
    assert "36082726001" in row.inner_text() and "2026年7月1日" in row.inner_text()
    assert "钟明远" in admin.locator("[aria-labelledby=expiring-h]").inner_text()  # expires within 30 days

    # the new officer signs in; the administrator then resets the password, which ends that session
    officer = browser.page()
    login(officer, base, "quanjiang9", "quanjiang9-2026")
    assert officer.get_by_role("heading", level=1).inner_text() == "待办"
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": "quanjiang9", "password": "quanjiang9-2026"}
                       ).json()["access_token"]

    admin.get_by_role("link", name="修改 钟明远").click()
    admin.get_by_label("新密码").fill("renewed-pass-2026")
    screenshot(admin, "admin-user-edit")
    admin.get_by_role("button", name="重置密码").click()
    admin.wait_for_url(re.compile(r"/admin/users\?reset="))
    assert "已重置用户 quanjiang9 的密码" in admin.get_by_role("status").inner_text()

    officer.goto(f"{base}/")
    assert officer.url.startswith(f"{base}/login")  # the open session ended
    assert httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    login(officer, base, "quanjiang9", "renewed-pass-2026")
    assert officer.get_by_role("heading", level=1).inner_text() == "待办"

    # a renewed certificate saved from the same form; a change that is not a revoking one keeps the session
    admin.get_by_role("link", name="修改 钟明远").click()
    admin.get_by_label("执法证有效期至").fill("2028-06-30")
    admin.get_by_role("button", name="保存").click()
    admin.wait_for_url(re.compile(r"/admin/users\?updated="))
    assert "2028年6月30日" in admin.get_by_role("row", name=re.compile("钟明远")).inner_text()
    assert "钟明远" not in admin.locator("[aria-labelledby=expiring-h]").inner_text()
    officer.goto(f"{base}/")
    assert officer.get_by_role("heading", level=1).inner_text() == "待办"

    kinds = [e["kind"] for e in api_client(base, "admin").get("/users/events").json() if e["username"] == "quanjiang9"]
    assert kinds[:3] == ["account_updated", "account_updated", "account_created"]


def test_only_an_administrator_opens_the_account_forms(browser):
    browser.expected_statuses.add(403)
    page = browser.page(username="county1")
    for path in ("/admin/users/new", "/admin/users/1"):
        assert page.goto(f"{browser.base}{path}").status == 403
