"""Issue 14: the review's own steps reach the 待办 inbox of those who act on them — the head sees a submitted plan
to approve, the supervisor a returned plan to revise, the reviewed unit each open rectification task (overdue
flagged) — on the web inbox and at GET /api/v1/review-inbox; each leaves the inbox once done."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from api.casefile_review.models import ReviewFinding
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import transaction
from tests.review.test_review_pages import _token, browser_for
from tests.review.test_review_scoring import MANUAL

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def todo(review_world, username: str) -> list[dict]:
    response = review_world.call("GET", "/review-inbox", username)
    assert response.status_code == 200, response.text
    return response.json()


def test_plan_approval_and_rectifications_reach_the_inbox(review_world):
    supervisor, head = browser_for(review_world, "supervisor"), browser_for(review_world, "head")
    quanjiang = review_world.agencies["quanjiang"]
    form = supervisor.get("/reviews/new")
    created = supervisor.post("/reviews/new", data={
        "csrf_token": _token(form.text), "title": "2026年度泉江镇案卷评查", "period_from": "2026-01-01",
        "period_to": "2026-12-31", "unit_ids": [str(quanjiang)], "share_percent": "100", "minimum_per_unit": "1",
        "rectification_days": "15"})
    plan_url = created.headers["location"]

    # the head: the plan to approve, in the inbox with a link to the plan page
    [item] = todo(review_world, "head")
    assert (item["kind"], item["name"], item["href"]) == ("plan_approval", "审批评查方案", plan_url)
    inbox = head.get("/").text
    assert "评查待办" in inbox and "审批评查方案" in inbox and f'href="{plan_url}"' in inbox
    assert todo(review_world, "quanjiang1") == [] and todo(review_world, "yutian1") == []

    # returned: the supervisor's inbox shows it to revise; the head's no longer does
    page = head.get(plan_url).text
    head.post(f"{plan_url}/approve", data={"csrf_token": _token(page), "decision": "return", "head_opinion": "请补充抽取比例依据"})
    assert todo(review_world, "head") == []
    assert [i["name"] for i in todo(review_world, "supervisor")] == ["修改评查方案"]
    plan_id = int(plan_url.rsplit("/", 1)[1])
    plan = review_world.call("GET", f"/review-plans/{plan_id}", "supervisor").json()
    body = {key: plan[key] for key in ("title", "period_from", "period_to", "share_percent", "minimum_per_unit",
                                       "always_include", "township_reviewers")} | {"unit_ids": [quanjiang],
                                                                                   "rectification_days": 15}
    assert review_world.call("PUT", f"/review-plans/{plan_id}", "supervisor", json=body).status_code == 200
    assert todo(review_world, "supervisor") == [] and [i["kind"] for i in todo(review_world, "head")] == ["plan_approval"]
    page = head.get(plan_url).text
    assert head.post(f"{plan_url}/approve", data={"csrf_token": _token(page), "decision": "approve"}).status_code == 303
    assert todo(review_world, "head") == []

    # a deduction: the reviewed unit's officers see the rectification task; another township does not
    page = supervisor.get(plan_url).text
    supervisor.post(f"{plan_url}/draw", data={"csrf_token": _token(page)})
    sample_id = int(re.search(r'href="/review-samples/(\d+)"', supervisor.get(plan_url).text).group(1))
    scoring = supervisor.get(f"/review-samples/{sample_id}").text
    scores = {f"score__{code}": str(points) for code, points in MANUAL.items()} | {"score__archive_order": "2",
                                                                                    "comment__archive_order": "无备考表"}
    supervisor.post(f"/review-samples/{sample_id}", data={"csrf_token": _token(scoring), **scores})
    [task] = todo(review_world, "quanjiang1")
    due = (clock.now().astimezone(SHANGHAI).date() + timedelta(days=15)).isoformat()
    assert (task["kind"], task["due_on"], task["overdue"], task["href"]) == ("rectification", due, False, plan_url)
    township = browser_for(review_world, "quanjiang1")
    inbox = township.get("/").text
    assert "整改评查问题" in inbox and "逾期未整改" not in inbox
    assert todo(review_world, "yutian1") == [] and "整改评查问题" not in browser_for(review_world, "yutian1").get("/").text

    with transaction(review_world.runtime.engine) as session:  # the due day has passed
        session.exec(sa.update(ReviewFinding).values(due_on=clock.now().astimezone(SHANGHAI).date() - timedelta(days=1)))
    assert todo(review_world, "quanjiang1")[0]["overdue"] is True
    assert "逾期未整改" in township.get("/").text

    page = township.get(plan_url).text
    finding_id = int(re.search(r'action="/review-findings/(\d+)/rectification"', page).group(1))
    township.post(f"/review-findings/{finding_id}/rectification", data={"csrf_token": _token(page), "rectification": "已补充备考表"})
    assert todo(review_world, "quanjiang1") == [] and "整改评查问题" not in township.get("/").text
