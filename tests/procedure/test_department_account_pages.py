"""Department accounts in the pages (issue 16 follow-up): the administrator's account form offers the departments of
api/data/hazards.yaml and shows the API's refusal beside the field; a department account finds its own department
already filled in on the 部门报到和报告处置情况 form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.procedure.test_hazard_reports import complete, report, task, world  # noqa: F401

ACCOUNT = {"username": "forest2", "display_name": "县林业局值班", "password": "long-enough-1", "roles": "department",
           "staff_category": "auxiliary"}


def signed_in(world, username: str) -> tuple[TestClient, str]:  # noqa: F811
    browser = TestClient(world.app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(world.user_ids[username]).token)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', browser.get("/login").text).group(1)
    return browser, token


def test_an_administrator_binds_a_department_account_in_the_form_and_sees_the_refusal_beside_the_field(
        world, agencies):  # noqa: F811
    browser, token = signed_in(world, "admin")
    form = browser.get("/admin/users/new").text
    assert 'name="department"' in form and '<option value="县林业局"' in form and '<option value="乡镇水利站"' in form
    fields = {**ACCOUNT, "csrf_token": token, "agency_id": str(agencies.county.id)}

    unbound = browser.post("/admin/users/new", data=fields)
    assert unbound.status_code == 422
    beside = re.search(r'<span class="field-error" id="e-department" role="alert">([^<]*)</span>', unbound.text)
    assert beside and beside.group(1).startswith("部门账号应只担任「被召集部门」角色并选择所属部门")
    assert 'aria-describedby="e-department"' in unbound.text and 'value="forest2"' in unbound.text  # the input is kept

    created = browser.post("/admin/users/new", data={**fields, "department": "县林业局"})
    assert created.status_code == 303, created.text[-2000:]
    [account] = [u for u in world.get("/api/v1/users", headers=world.headers_for("admin")).json()
                 if u["username"] == "forest2"]
    assert (account["roles"], account["department"]) == (["department"], "县林业局")
    assert "被召集部门(县林业局)" in browser.get("/admin/users").text

    edit = browser.get(f"/admin/users/{account['id']}").text
    assert '<option value="县林业局" selected>' in edit
    moved = browser.post(f"/admin/users/{account['id']}", data={
        "csrf_token": token, "display_name": "县林业局值班", "agency_id": str(agencies.county.id), "roles": "department",
        "staff_category": "auxiliary", "department": "县水利局", "active": "on"})
    assert moved.status_code == 303, moved.text[-2000:]
    cleared = browser.post(f"/admin/users/{account['id']}", data={
        "csrf_token": token, "display_name": "县林业局值班", "agency_id": str(agencies.county.id), "roles": "department",
        "staff_category": "auxiliary", "department": "", "active": "on"})
    assert cleared.status_code == 422 and 'id="e-department"' in cleared.text
    [account] = [u for u in world.get("/api/v1/users", headers=world.headers_for("admin")).json()
                 if u["username"] == "forest2"]
    assert account["department"] == "县水利局"


def test_a_department_account_finds_its_own_department_filled_in_on_the_report_form(world):  # noqa: F811
    report(world)
    complete(world, "t1", "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇水利站", "县水利局"]})
    station_task = task(world, "water_station", "部门报到和报告处置情况")
    detail = world.get(f"/api/v1/tasks/{station_task['id']}", headers=world.headers_for("water_station")).json()
    assert detail["prefill"]["department"] == "乡镇水利站"
    bureau = world.get(f"/api/v1/tasks/{station_task['id']}", headers=world.headers_for("water_bureau")).json()
    assert bureau["prefill"]["department"] == "县水利局"  # each account its own, never another department's

    browser, token = signed_in(world, "water_station")
    page = browser.get(f"/tasks/{station_task['id']}").text
    assert re.search(r'name="department"[^>]*value="乡镇水利站"', page), page[-3000:]
    done = browser.post(f"/tasks/{station_task['id']}", data={"csrf_token": token, "department": "乡镇水利站",
                                                              "report_kind": "ack", "contact": "李站长"})
    assert done.status_code == 303, done.text[-2000:]
    progress = world.get(f"/api/v1/cases/{station_task['case_id']}/record", headers=world.headers_for("t1")).text
    assert "用户water_station" in progress


def test_a_department_accounts_menu_offers_only_what_it_may_open(world):  # noqa: F811
    browser, _ = signed_in(world, "water_station")
    menu = re.search(r'<nav class="mainnav".*?</nav>', browser.get("/").text, flags=re.S).group(0)
    links = re.findall(r'href="([^"]+)"', menu)
    assert links == ["/"]
    assert all(browser.get(link).status_code == 200 for link in links)
    assert browser.get("/cases").status_code == 403  # what the menu no longer offers stays refused
