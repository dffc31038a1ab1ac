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
from api.demo import demo_users
from api.demo_cases import seed_demo_cases
from api.demo_register import seed_register_and_plans
from api.identity.security import issue_token
from api.plans.service import schedule_due
from api.web.session import SESSION_COOKIE
from documents.models import IssuedDocument
from documents.render import render_docx
from engine import clock, record
from engine.calendar import SHANGHAI
from engine.models import Case
from tests.documents.rendering_helpers import docx_text
from tests.documents.test_document_text import problems

PASSWORD = "zhifa-demo-2026"
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)
RELEASE = datetime(2026, 12, 6, 9, 0, tzinfo=SHANGHAI)  # `zhifa serve --demo` on the day of the walkthrough


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
    with clock.using(clock.FrozenClock(RELEASE)):
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


def web_page(app, runtime, username: str):
    """A page getter signed in as the demo user `username`."""
    browser = TestClient(app, follow_redirects=False)
    browser.cookies.set(SESSION_COOKIE, issue_token(demo_users(runtime)[username].id).token)
    return lambda path: browser.get(path).text


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_the_day_of_the_release_the_register_and_the_annual_plans_are_there(app_runtime):
    with clock.using(clock.FrozenClock(RELEASE)):
        seed_demo_cases(app_runtime)
        assert seed_register_and_plans(app_runtime, demo_users(app_runtime)) == 0  # nothing added twice
        with TestClient(create_app(app_runtime)) as client:
            county, township = web_page(client.app, app_runtime, "county1"), web_page(client.app, app_runtime, "quanjiang1")
            # 一企一档: the county sees the units of all its townships and the park, 泉江镇 its own
            register = county("/targets")
            for name in ("遂川县顺安烟花爆竹批发有限公司", "遂川县宏达石材开采有限公司", "遂川县珠田新兴页岩砖厂", "江西金鑫化工有限公司"):
                assert name in register
            assert "91360827MA3FR2B058" in register and "危险化学品" in register and "重大" in register
            assert "遂川县城南木业有限公司" in township("/targets") and "江西金鑫化工有限公司" not in township("/targets")

            plans = {(p["agency_id"], p["year"]): p for p in client.get(
                "/api/v1/plans", headers=headers(client, "county1")).json()}
            users = demo_users(app_runtime)
            county_id, township_id = users["county1"].agency_id, users["quanjiang1"].agency_id
            assert sorted(plans) == sorted([(county_id, 2026), (county_id, 2027), (township_id, 2026)])
            assert [plans[k]["published"] for k in sorted(plans)] == [True, False, True]
            listed = township("/plans")
            assert "2026年度" in listed and "已公布" in listed and "2027年度" not in listed
            this_year = county(f"/plans/{plans[(county_id, 2026)]['id']}")
            assert "江西金鑫化工有限公司" in this_year and "王振宇、钟海燕" in this_year and "未发起" in this_year
            draft = client.get(f"/api/v1/plans/{plans[(county_id, 2027)]['id']}", headers=headers(client, "county1")).json()
            assert draft["status"] == "plan_drafting" and draft["visits"]
            assert "提交年度计划草案" in [t["name"] for t in client.get("/api/v1/tasks", headers=headers(client, "county1")).json()]

            # the worker starts this year's visits (every month has begun): the drawn officers find them in the inbox
            assert schedule_due(app_runtime) > 0
            visits = client.get(f"/api/v1/plans/{plans[(township_id, 2026)]['id']}", headers=headers(client, "quanjiang1")).json()["visits"]
            assert visits and all(v["case_id"] for v in visits)
            inbox = {t["case_id"] for t in client.get("/api/v1/tasks", headers=headers(client, "quanjiang1")).json()}
            assert {v["case_id"] for v in visits} <= inbox
            assert "未发起" not in township(f"/plans/{plans[(township_id, 2026)]['id']}")
