"""Issue 11.2 on the web: the task page offers the records its step may make, and a record's own form makes one."""

import re

import pytest
from fastapi.testclient import TestClient

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.api.conftest import start_inspection
from tests.api.test_access_matrix import evidence_of


def browser_for(app, world, username: str) -> tuple[TestClient, str]:
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(world.id(username)).token)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', browser.get("/login").text).group(1)
    return browser, token


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_officer_makes_an_onsite_record_from_the_task_page(client, auth, world):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    task_id, case_id = case["tasks"][0]["id"], case["case"]["id"]
    photo = evidence_of(client, auth("t1a"), case_id)
    browser, token = browser_for(client.app, world, "t1a")

    page = browser.get(f"/tasks/{task_id}").text
    assert f'href="/tasks/{task_id}/records/onsite_record"' in page and "制作现场笔录" in page
    form = browser.get(f"/tasks/{task_id}/records/onsite_record").text
    assert "现场情况" in form and 'name="evidence_ids"' in form

    fields = {"csrf_token": token, "officers": [str(world.id("t1a")), str(world.id("t1b"))], "place": "仓库",
              "started_at": "2026-03-02T08:00", "ended_at": "2026-03-02T08:30", "scene": "消防通道堵塞",
              "evidence_ids": [str(photo)]}
    missing = browser.post(f"/tasks/{task_id}/records/onsite_record", data={**fields, "scene": ""})
    assert missing.status_code == 422 and re.search(r"class=\"field-error\" id=\"e-scene\"", missing.text), missing.text[-3000:]
    made = browser.post(f"/tasks/{task_id}/records/onsite_record", data=fields)
    assert made.status_code == 303, made.text
    assert made.headers["location"].startswith(f"/tasks/{task_id}?record=")
    assert "第1份" in browser.get(f"/tasks/{task_id}").text
    [record] = [d for d in client.get(f"/api/v1/cases/{case_id}/documents", headers=auth("t1a")).json()
                if d["doc_id"] == "onsite_record"]
    assert record["title"] == "现场笔录"
