"""The scoring form as a page: the supervisor sees the pre-check with its evidence and the manual items, the
dossier link beside them, saves the score and downloads the report."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.identity.models import User
from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from engine.db import read_session
from tests.review.test_review_scoring import MANUAL

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def browser_for(review_world, username: str) -> TestClient:
    with read_session(review_world.runtime.engine) as session:
        user_id = session.exec(select(User.id).where(User.username == username)).one()
    browser = TestClient(review_world.client.app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(user_id).token)
    return browser


def test_a_supervisor_scores_a_file_on_the_page_and_downloads_the_report(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["quanjiang"]], township_reviewers=False)
    [sample] = plan["samples"]
    browser = browser_for(review_world, "supervisor")
    listing = browser.get("/reviews")
    assert listing.status_code == 200 and f'href="/review-samples/{sample["id"]}"' in listing.text
    page = browser.get(f"/review-samples/{sample['id']}")
    assert page.status_code == 200, page.text
    assert f'href="/cases/{sample["case_id"]}/dossier"' in page.text
    assert "自动预审" in page.text and "立案之日起90日内作出决定" in page.text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)
    form = {"csrf_token": token, **{f"score__{code}": str(points) for code, points in MANUAL.items()}}
    form["score__archive_order"] = "3"
    form["comment__archive_order"] = "卷内目录缺页码"
    missing = browser.post(f"/review-samples/{sample['id']}", data={**form, "score__enforcement": ""})
    assert missing.status_code == 422 and "未评分" in missing.text
    saved = browser.post(f"/review-samples/{sample['id']}", data=form)
    assert saved.status_code == 303, saved.text
    result = browser.get(saved.headers["location"]).text
    assert "98分 · 优秀" in result
    plan_page = browser.get(f"/reviews/{plan['id']}").text
    assert "卷内目录缺页码" in plan_page and "98分 · 优秀" in plan_page
    report = browser.get(f"/reviews/{plan['id']}/report.docx")
    assert report.status_code == 200 and report.content[:2] == b"PK"
    assert browser_for(review_world, "yutian1").get(f"/review-samples/{sample['id']}").status_code == 403


def _token(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', page_text).group(1)


def test_the_plan_runs_on_its_pages_from_draft_to_rectification(review_world):
    supervisor = browser_for(review_world, "supervisor")
    form = supervisor.get("/reviews/new")
    assert form.status_code == 200 and "提交负责人审批" in form.text
    quanjiang = review_world.agencies["quanjiang"]
    created = supervisor.post("/reviews/new", data={
        "csrf_token": _token(form.text), "title": "2026年度泉江镇案卷评查", "period_from": "2026-01-01",
        "period_to": "2026-12-31", "unit_ids": [str(quanjiang)], "share_percent": "100", "minimum_per_unit": "1",
        "rectification_days": "15"})
    assert created.status_code == 303, created.text
    plan_url = created.headers["location"]
    head = browser_for(review_world, "head")
    page = head.get(plan_url).text
    assert "当前环节：<strong>审批评查方案</strong>（局负责人）" in page
    assert head.post(f"{plan_url}/approve", data={"csrf_token": _token(page), "decision": "approve"}).status_code == 303
    page = supervisor.get(plan_url).text
    assert "抽取案卷并交叉指派评查人员" in page
    assert supervisor.post(f"{plan_url}/draw", data={"csrf_token": _token(page)}).status_code == 303
    page = supervisor.get(plan_url).text
    sample_id = int(re.search(r'href="/review-samples/(\d+)"', page).group(1))
    scoring = supervisor.get(f"/review-samples/{sample_id}").text
    scores = {f"score__{code}": str(points) for code, points in MANUAL.items()} | {"score__archive_order": "2",
                                                                                    "comment__archive_order": "无备考表"}
    assert supervisor.post(f"/review-samples/{sample_id}", data={"csrf_token": _token(scoring), **scores}).status_code == 303
    township = browser_for(review_world, "quanjiang1")
    page = township.get(plan_url).text
    assert "无备考表" in page and "报告整改" in page
    finding_id = int(re.search(r'action="/review-findings/(\d+)/rectification"', page).group(1))
    done = township.post(f"/review-findings/{finding_id}/rectification",
                         data={"csrf_token": _token(page), "rectification": "已补充备考表"})
    assert done.status_code == 303 and done.headers["location"] == plan_url
    assert "已补充备考表（刘建华）" in township.get(plan_url).text
    page = supervisor.get(plan_url).text
    assert supervisor.post(f"{plan_url}/report", data={"csrf_token": _token(page)}).status_code == 303
    assert "已通报" in supervisor.get(plan_url).text
