"""`zhifa serve --demo` seeds cases at different stages: every demo login has work on the first visit.

The clock is frozen inside 2026 (holiday data ends there); the seeding places each case's last step
in the week before "today", whatever today is.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.demo_cases import seed_demo_cases
from documents.models import IssuedDocument
from documents.render import render_docx
from engine import clock, record
from engine.calendar import SHANGHAI
from engine.models import Case
from tests.documents.rendering_helpers import docx_text
from tests.documents.test_document_text import problems

PASSWORD = "zhifa-demo-2026"
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def seeded(app_runtime):
    with clock.using(clock.FrozenClock(TODAY)):
        assert seed_demo_cases(app_runtime) == 5
        yield app_runtime


def headers(client: TestClient, username: str) -> dict:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_demo_login_has_work_in_the_inbox(seeded):
    with TestClient(create_app(seeded)) as client:
        inbox = {username: client.get("/api/v1/tasks", headers=headers(client, username)).json()
                 for username in ("quanjiang1", "county1", "reviewer", "head")}
        supervisor = client.get("/api/v1/cases", headers=headers(client, "supervisor")).json()["items"]
    assert "整改复查" in [t["name"] for t in inbox["quanjiang1"]]
    assert "登记罚款缴纳" in [t["name"] for t in inbox["county1"]]
    assert [t["name"] for t in inbox["reviewer"]] == ["法制审核"]
    assert "审批立案" in [t["name"] for t in inbox["head"]]
    # the supervisor acts in no process lane: their work is the archived files assigned for review
    assert [(c["party_name"], c["status"]) for c in supervisor] == [("遂川县鑫达建材有限公司", "archived")]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cases_are_dated_in_the_weeks_before_today_and_seeded_once(seeded):
    with Session(seeded.engine) as session:
        cases = session.exec(select(Case)).all()
        assert record.verify(session) == []
    assert all(c.started_at < TODAY and c.updated_at <= TODAY for c in cases)
    assert max(c.updated_at for c in cases) > TODAY.replace(day=TODAY.day - 7)
    with clock.using(clock.FrozenClock(TODAY)):
        assert seed_demo_cases(seeded) == 0
    with Session(seeded.engine) as session:
        assert len(session.exec(select(Case)).all()) == len(cases)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_every_document_the_seeded_cases_issued_reads_as_chinese_prose(seeded):
    with Session(seeded.engine) as session:
        documents = session.exec(select(IssuedDocument)).all()
    assert len({d.doc_id for d in documents}) >= 12
    assert {d.doc_id: problems(docx_text(render_docx(d.snapshot))) for d in documents} == {d.doc_id: [] for d in documents}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_the_day_of_the_release_the_supervisor_draws_files_under_the_demos_review_plan(app_runtime):
    with clock.using(clock.FrozenClock(datetime(2026, 12, 6, 9, 0, tzinfo=SHANGHAI))):  # `zhifa serve --demo` today
        assert seed_demo_cases(app_runtime) == 5
        assert seed_demo_cases(app_runtime) == 0  # the plan is not added twice either
        with TestClient(create_app(app_runtime)) as client:
            supervisor = headers(client, "supervisor")
            [plan] = client.get("/api/v1/review-plans", headers=supervisor).json()
            assert (plan["title"], plan["status_label"], plan["period_to"]) == ("2026年度行政执法案卷评查", "已批准待抽取", "2026-12-06")
            drawn = client.post(f"/api/v1/review-plans/{plan['id']}/draw", headers=supervisor)
    assert drawn.status_code == 200, drawn.text
    assert drawn.json()["status"] == "reviewing"
    with Session(app_runtime.engine) as session:
        drawn_parties = [session.get(Case, s["case_id"]).party_name for s in drawn.json()["samples"]]
    assert "遂川县鑫达建材有限公司" in drawn_parties
