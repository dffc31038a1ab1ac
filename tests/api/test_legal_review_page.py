"""The legal reviewer reads the case file beside the approve/return form (法制审核, issues #14/#15), over HTTP: the
investigation report, the proposed decision, the statutory tier with the discretion's reasons, the evidence and the
documents so far, and the dossier as it stands — the demo's case awaiting legal review, seeded as `zhifa serve --demo`
seeds it.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import object_store
from api.demo_cases import seed_demo_cases
from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from documents.rendition import render_pending
from engine import clock
from engine.calendar import SHANGHAI

PASSWORD = "zhifa-demo-2026"
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def sign_in(client: TestClient, username: str) -> list[dict]:
    """Sign the client's pages in as the demo user; their inbox."""
    token = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.cookies.set(SESSION_COOKIE, issue_token(client.get("/api/v1/me", headers=headers).json()["id"]).token)
    return client.get("/api/v1/tasks", headers=headers).json()


@pytest.fixture
def reviewer(app_runtime):
    """A browser session of the demo's legal reviewer, and the id of their 法制审核 task."""
    with clock.using(clock.FrozenClock(TODAY)):
        assert seed_demo_cases(app_runtime) == 5
        with TestClient(create_app(app_runtime), follow_redirects=False) as client:
            [task] = sign_in(client, "reviewer")
            assert task["name"] == "法制审核"
            yield client, task["id"]


def section(page: str, heading_id: str) -> str:
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert found, heading_id
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def test_the_case_file_stands_beside_the_review_form(reviewer):
    client, task_id = reviewer
    page = client.get(f"/tasks/{task_id}").text
    beside = page.index('<div class="beside">')
    assert beside < page.index('<div class="beside-file">') < page.index('<div class="beside-form">') < page.index(
        f'<form method="post" action="/tasks/{task_id}"')
    assert "复查时逾期未改正" in section(page, "cf-report-h") and "建议对当事人处罚款人民币60000元" in section(page, "cf-report-h")
    decision = section(page, "cf-decision-h")
    assert "对当事人处罚款人民币60000元；对直接负责的主管人员王林峰处罚款人民币12000元" in decision and "60000" in decision
    discretion = section(page, "cf-discretion-h")
    assert re.search(r"法定处罚档次\s+逾期未改正\b", discretion)  # the penalty_tier table's answer for the facts
    assert "无从重、从轻情节，在幅度内从低裁量" in discretion
    evidence = section(page, "cf-evidence-h")
    assert re.search(r"\d+ 项", evidence) and "0 项" not in evidence
    assert "案件调查报告" in section(page, "cf-docs-h")
    # the dossier opens in the page's viewer, not in a new window
    assert f'data-pdf-src="/tasks/{task_id}/dossier.pdf"' in page and 'target="_blank"' not in page
    assert '<dialog id="pdf-preview"' in page


def test_other_steps_keep_their_single_column_and_have_no_dossier_preview(reviewer):
    client, _ = reviewer
    [payment] = [t for t in sign_in(client, "county1") if t["name"] == "登记罚款缴纳"]
    page = client.get(f"/tasks/{payment['id']}").text
    assert f'<form method="post" action="/tasks/{payment["id"]}"' in page and 'class="beside"' not in page
    refused = client.get(f"/tasks/{payment['id']}/dossier.pdf")
    assert refused.status_code == 404 and "本环节不提供卷宗预览" in refused.text


@pytest.mark.libreoffice
def test_the_dossier_as_it_stands_is_a_pdf(reviewer, app_runtime):
    client, task_id = reviewer
    render_pending(app_runtime.engine, object_store())
    response = client.get(f"/tasks/{task_id}/dossier.pdf")
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
