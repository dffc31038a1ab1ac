"""Issue 13: a task's page says, before anything is filled in, when the task is not the user's to complete."""

import re

import pytest
from fastapi.testclient import TestClient

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.api.test_cases_and_tasks import _county_case_under_review


def task_page(app, world, username: str, task_id: str) -> str:
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(world.id(username)).token)
    response = browser.get(f"/tasks/{task_id}")
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_reviewer_who_investigated_the_case_sees_why_the_review_is_not_theirs(client, auth, world):
    _case_id, review_id = _county_case_under_review(client, auth, world)

    page = task_page(client.app, world, "c_reviewer", review_id)
    assert "用户c_reviewer参与了本案调查, 不能担任法制审核人员" in page
    assert not re.search(r'<form method="post" action="/tasks/', page)

    page = task_page(client.app, world, "reviewer", review_id)
    assert "参与了本案调查" not in page
    assert re.search(rf'<form method="post" action="/tasks/{review_id}"', page)

    page = task_page(client.app, world, "c1", review_id)  # a county officer: not a legal reviewer
    assert "该任务须由" in page and "法制审核人员办理" in page
