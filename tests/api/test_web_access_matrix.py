"""Issue 13: the web pages answer each role and agency as the API does (the same services and authz).

Like test_access_matrix.py for /api/v1: the page routes are read from the app, so a page added
without an entry here fails. Signed-in callers use the browser session (cookie and CSRF token);
`allowed` means the request got past authorization (any status but 403 and the API's 404 for what the
caller may not see, and not sent to the login page). Every page but the login page sends an anonymous caller to the login page.
"""

import re

import pytest
from fastapi.testclient import TestClient

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.api.conftest import PASSWORD, start_inspection
from tests.api.test_access_matrix import (
    CALLERS,
    EVERYONE,
    SEES_THE_CASE,
    app_routes,
    batch_of,
    document_of,
    evidence_of,
    hazard_report_of,
    plan_of,
    power_item,
    register_entry,
    review_ids,
)

SIGNED_IN = EVERYONE - {"anonymous"}
CASE_WORKERS = SIGNED_IN - {"admin/county"}
OFFICERS = {"township_officer/own", "township_officer/sibling", "county_officer/county"}

EXPECTED = {
    "GET /login": EVERYONE,
    "POST /login": EVERYONE,
    "POST /logout": SIGNED_IN,
    "GET /": SIGNED_IN,
    "GET /admin/users": {"admin/county"},
    "GET /admin/users/new": {"admin/county"},
    "POST /admin/users/new": {"admin/county"},
    "GET /admin/users/{user_id}": {"admin/county"},
    "POST /admin/users/{user_id}": {"admin/county"},
    "POST /admin/users/{user_id}/password": {"admin/county"},
    "GET /cases": CASE_WORKERS,
    "GET /cases/{case_id}": SEES_THE_CASE,
    "GET /cases/{case_id}/diagram.bpmn": SEES_THE_CASE,
    "POST /cases/{case_id}/evidence": SEES_THE_CASE,
    "GET /documents/{document_id}/download": SEES_THE_CASE,
    "GET /evidence/{evidence_id}/download": SEES_THE_CASE,
    "GET /evidence/{evidence_id}/thumbnail": SEES_THE_CASE,
    "GET /evidence/{evidence_id}/preview.pdf": SEES_THE_CASE,
    "GET /cases/{case_id}/dossier": SEES_THE_CASE,
    "GET /cases/{case_id}/dossier.pdf": SEES_THE_CASE,
    "GET /tasks/{task_id}": SEES_THE_CASE,
    "GET /tasks/{task_id}/dossier.pdf": SEES_THE_CASE,
    "GET /amounts/capitals": SIGNED_IN,
    "POST /tasks/{task_id}": {"township_officer/own"},
    "POST /tasks/{task_id}/signature": {"township_officer/own"},  # the party signs where the task is done
    "GET /tasks/{task_id}/records/{doc_id}": SEES_THE_CASE,
    "POST /tasks/{task_id}/records/{doc_id}": {"township_officer/own"},
    "GET /inspections/new": OFFICERS,
    "POST /inspections/new": OFFICERS,
    "GET /public/publications": EVERYONE,
    "GET /public/powers": EVERYONE,
    "GET /reviews": CASE_WORKERS,
    "GET /reviews/{plan_id}": CASE_WORKERS,
    "GET /reviews/{plan_id}/report.docx": CASE_WORKERS,
    "GET /reviews/{plan_id}/report.xlsx": CASE_WORKERS,
    "GET /review-samples/{sample_id}": {"legal_reviewer/county", "agency_head/county"},
    "POST /review-samples/{sample_id}": {"legal_reviewer/county"},
    "GET /reviews/new": {"supervisor/county"},
    "POST /reviews/new": {"supervisor/county"},
    "POST /reviews/{plan_id}/approve": {"agency_head/county"},
    "POST /reviews/{plan_id}/draw": {"supervisor/county"},
    "POST /reviews/{plan_id}/report": {"supervisor/county"},
    "POST /review-findings/{finding_id}/rectification": {"township_officer/own"},
    "GET /grid": set(),  # grid members only (none among the callers)
    "POST /grid/reports": set(),
    "GET /grid/reports/{report_id}": set(),
    "GET /hazards": CASE_WORKERS,
    "GET /statistics": CASE_WORKERS,
    "GET /hazards/export": CASE_WORKERS,
    "GET /public/hazard-report": EVERYONE,
    "POST /public/hazard-report": EVERYONE,
    "GET /public/hazard-report/status": EVERYONE,
    "GET /targets": CASE_WORKERS,
    "GET /targets/{target_id}": CASE_WORKERS - {"township_officer/sibling"},
    "POST /targets/{target_id}/credit-repairs": {"township_officer/own", "county_officer/county", "agency_head/county"},
    "GET /cases/{case_id}/remedies/new": {"township_officer/own"},  # officers of the case record remedies
    "POST /cases/{case_id}/remedies/new": {"township_officer/own"},
    "GET /plans": CASE_WORKERS,
    "POST /plans": {"township_officer/own", "township_officer/sibling", "county_officer/county"},
    "GET /plans/{annual_plan_id}": CASE_WORKERS - {"township_officer/sibling"},
    # cross and special inspections: organised by the county bureau's officers under its own plan, read in the county
    "GET /plans/{annual_plan_id}/batches/new": {"county_officer/county"},
    "POST /plans/{annual_plan_id}/batches": {"county_officer/county"},
    "GET /plans/batches/{batch_id}": CASE_WORKERS - {"township_officer/own", "township_officer/sibling"},
    "POST /plans/batches/{batch_id}/start": {"county_officer/county"},
    # the case here was not drawn: whoever sees it learns so; who may replace a drawn officer: test_drawn_swap
    "POST /cases/{case_id}/drawn-replacements": {"township_officer/own", "county_officer/county",
                                                  "legal_reviewer/county", "hearing_host/county", "agency_head/county"},
    "GET /powers": CASE_WORKERS,
    "GET /powers/{agency_id}": CASE_WORKERS - {"township_officer/sibling"},
    "POST /powers/{agency_id}/items": {"county_officer/county", "agency_head/county"},
    "POST /powers/items/{item_id}/end": {"county_officer/county", "agency_head/county"},
    "POST /powers/items/{item_id}/letter": {"county_officer/county", "agency_head/county"},
}
PUBLIC = {"GET /login", "POST /login", "GET /public/publications", "GET /public/powers", "GET /public/hazard-report",
          "POST /public/hazard-report", "GET /public/hazard-report/status"}


def web_client(app, world, username: str | None) -> tuple[TestClient, str]:
    """A browser: its session cookie (for `username`) and the CSRF token its pages carry."""
    browser = TestClient(app, follow_redirects=False)
    if username:
        browser.cookies.set(SESSION_COOKIE, issue_token(world.id(username)).token)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', browser.get("/login").text).group(1)
    return browser, token


def to_login(response) -> bool:
    location = response.headers.get("location", "")
    return response.status_code == 303 and (location == "/login" or location.startswith("/login?next="))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_page_answers_each_role_and_agency_as_the_api_does(client, auth, world):
    routes = app_routes(client.app, pages=True)
    assert routes - EXPECTED.keys() == set(), "pages without an access rule in EXPECTED"
    assert EXPECTED.keys() - routes == set(), "rules for pages that no longer exist"

    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    ids = {"case_id": case["case"]["id"], "task_id": case["tasks"][0]["id"],
           "evidence_id": evidence_of(client, auth("t1a"), case["case"]["id"]),
           "document_id": document_of(client.app.state.runtime.engine, case["case"]["id"]),
           "user_id": world.id("t1b"), "doc_id": "onsite_record",
           **review_ids(client.app.state.runtime.engine, world, case["case"]["id"]),
           "report_id": hazard_report_of(client.app.state.runtime.engine, case["case"]["id"], world.agencies.township.id),
           "target_id": register_entry(client, auth("c1"), world.agencies.township.id),
           "agency_id": world.agencies.township.id,
           "item_id": power_item(client, auth("c1"), world.agencies.township.id),
           "annual_plan_id": plan_of(client.app.state.runtime.engine, world.agencies.township.id),
           "batch_id": batch_of(client.app.state.runtime.engine, world.agencies.county.id)}
    county_plan = plan_of(client.app.state.runtime.engine, world.agencies.county.id)  # batches are organised under it
    multipart = {"POST /cases/{case_id}/evidence", "POST /powers/items/{item_id}/letter",
                 "POST /tasks/{task_id}/signature"}  # the CSRF token in the header
    mismatches = []
    for caller, username in CALLERS.items():
        browser, token = web_client(client.app, world, username)
        for route in sorted(routes):
            method, template = route.split(" ", 1)
            path = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)
            if template.startswith("/plans/{annual_plan_id}/batches"):
                path = path.replace(f"/plans/{ids['annual_plan_id']}/", f"/plans/{county_plan}/")
            form = {"csrf_token": token, **({"username": "t1b", "password": PASSWORD} if route == "POST /login" else {}),
                    **({"year": "2027"} if route == "POST /plans" else {})}
            headers = {"X-CSRF-Token": token} if route in multipart else {}
            response = browser.request(method, path, data=form if method == "POST" and not headers else None,
                                       headers=headers)
            assert response.status_code < 500, f"{route} as {caller}: {response.status_code} {response.text[:300]}"
            if route == "POST /login":  # signed in as t1b now: back to the caller's own session
                browser, token = web_client(client.app, world, username)
            if route == "POST /logout":
                browser, token = web_client(client.app, world, username)
            hidden = response.status_code == 404 and "不存在或无权查看" in response.text  # as the API hides it
            denied = response.status_code == 403 or to_login(response) or hidden
            if denied == (caller in EXPECTED[route]):
                mismatches.append(f"{route} as {caller}: {response.status_code} {response.headers.get('location')}")
            if caller == "anonymous" and route not in PUBLIC and not to_login(response):
                mismatches.append(f"{route} as anonymous: {response.status_code}, not sent to the login page")
            if response.status_code == 403 and "无权" not in response.text and "只" not in response.text:
                mismatches.append(f"{route} as {caller}: 403 without a Chinese reason")
    assert mismatches == []
