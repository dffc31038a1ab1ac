"""Issue 13 leftovers: a party's reconsideration application or lawsuit (复议/诉讼) recorded from the case page.

The page's form is the model's own (the `remedy_filed` start event's schema) and the service is the API's, so the
same rules apply: an officer of the case records it, a legal reviewer is refused, a missing field is shown beside
it, and once recorded the case has its 登记复议、诉讼结果 step.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)
from tests.api.test_investigation_records_http import drive
from tests.api.test_remedies_http import at, open_tasks


def browser_as(http: HttpDriver, username: str) -> tuple[TestClient, str]:
    http.headers(username)
    browser = TestClient(http.client.app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(http.me[username]["id"]).token)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', browser.get("/login").text).group(1)
    return browser, token


def test_an_officer_records_a_reconsideration_from_the_case_page(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    drive(http, runtime, until="登记罚款缴纳")  # decided, served 13 April, published 14 April
    at("2026-04-16")
    case_url = f"/cases/{http.case_id}"
    officer, token = browser_as(http, "county2")

    assert f'href="{case_url}/remedies/new"' in officer.get(case_url).text
    form = officer.get(f"{case_url}/remedies/new").text
    assert "复议机关或者人民法院" in form and "行政复议" in form and "行政诉讼" in form

    fields = {"csrf_token": token, "kind": "reconsideration", "body": "遂川县人民政府",
              "reference": "遂府复〔2026〕8号", "filed_on": "2026-04-16"}
    missing = officer.post(f"{case_url}/remedies/new", data={**fields, "body": ""})
    assert missing.status_code == 422 and 'id="e-body"' in missing.text, missing.text[-2000:]
    assert 'value="遂府复〔2026〕8号"' in missing.text  # what was typed is kept
    assert "登记复议、诉讼结果" not in open_tasks(http)

    reviewer, reviewer_token = browser_as(http, "reviewer")
    refused = reviewer.post(f"{case_url}/remedies/new", data={**fields, "csrf_token": reviewer_token})
    assert refused.status_code == 403 and "not_case_officer" in refused.text

    recorded = officer.post(f"{case_url}/remedies/new", data=fields)
    assert recorded.status_code == 303 and recorded.headers["location"].startswith(case_url), recorded.text[-2000:]
    assert {"登记复议、诉讼结果", "登记罚款缴纳"} <= set(open_tasks(http))
    assert "登记复议、诉讼结果" in officer.get(case_url).text
