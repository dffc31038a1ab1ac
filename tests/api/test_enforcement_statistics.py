"""Enforcement statistics (issue 14): every figure the API returns equals the same figure computed here, in
Python, from the rows of generated cases — the demo's full case in March–April and the five seeded cases at
different stages in the weeks before 15 June — for the county, one unit and a period.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.casefile_review.models import ReviewPlan, ReviewSample, ReviewScore
from api.demo import PARTY, SCRIPT, RuntimeDriver, demo_users
from api.demo_cases import seed_demo_cases
from api.identity.models import User
from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session
from engine.models import Agency, Case, RecordEvent, Task

PASSWORD = "zhifa-demo-2026"
TODAY = datetime(2026, 6, 15, 9, 0, tzinfo=SHANGHAI)
LATER = datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def generated(app_runtime):
    with clock.using(clock.FrozenClock(TODAY)):
        RuntimeDriver(app_runtime, lambda line: None, demo_users(app_runtime)).play({"kind": "unit", **PARTY}, SCRIPT)
        assert seed_demo_cases(app_runtime) == 5
        score_some_files(app_runtime)
        yield app_runtime


GRADES = ("优秀", "合格", "不合格", "合格", "优秀", "良好")


def score_some_files(runtime) -> None:
    """Review scores of varied grades on every generated case file, some scored before May (outside the period)."""
    with Session(runtime.engine) as session:
        county = session.exec(select(Agency).where(Agency.code == "suichuan-em")).one()
        supervisor = session.exec(select(User).where(User.username == "supervisor")).one()
        plan = ReviewPlan(agency_id=county.id, title="2026年案卷评查", period_from=date(2026, 1, 1),
                          period_to=date(2026, 12, 31), share_percent=100, minimum_per_unit=1, status="reviewing",
                          created_by=supervisor.id, created_at=TODAY)
        session.add(plan)
        session.flush()
        cases = session.exec(select(Case).where(Case.kind == "case").order_by(Case.id)).all()
        for index, case in enumerate(cases):
            sample = ReviewSample(plan_id=plan.id, case_id=case.id, unit_id=case.agency_id, reviewer_id=supervisor.id)
            session.add(sample)
            session.flush()
            session.add(ReviewScore(sample_id=sample.id, total=90 - 7 * index, grade=GRADES[index % len(GRADES)],
                                    rubric_effective_from=date(2026, 1, 1), scored_by=supervisor.id,
                                    scored_at=datetime(2026, 4 + index % 3, 10, 23, 30, tzinfo=SHANGHAI)))
        session.commit()


def fetch(runtime, username: str, **params) -> tuple[int, dict]:
    with TestClient(create_app(runtime)) as client:
        login = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        response = client.get("/api/v1/statistics", params=params,
                              headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    return response.status_code, response.json()


def local(moment: datetime) -> date:
    return (moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)).astimezone(SHANGHAI).date()


def expected(runtime, agencies: set[int], start: date | None = None, end: date | None = None,
             today: date = TODAY.date()) -> dict:
    """The figures, computed from every row without the database's help."""
    def within(moment) -> bool:
        return moment is not None and (start is None or local(moment) >= start) and (end is None or local(moment) <= end)

    with read_session(runtime.engine) as session:
        all_cases = {case.id: case for case in session.exec(select(Case))}
        tasks = list(session.exec(select(Task)))
        events = list(session.exec(select(RecordEvent)))
        names = {user.id: user.display_name for user in session.exec(select(User))}
        samples = {sample.id: sample for sample in session.exec(select(ReviewSample))}
        scores = list(session.exec(select(ReviewScore)))
    mine = {cid for cid, case in all_cases.items() if case.agency_id in agencies}
    cases = [all_cases[cid] for cid in mine if all_cases[cid].kind == "case" and within(all_cases[cid].started_at)]
    bpmn = {task.id: task.bpmn_id for task in tasks}
    steps = [e for e in events if e.kind == "task_completed" and e.case_id in mine and within(e.at)]
    overdue = [t for t in tasks if t.case_id in mine and t.status == "ready" and t.due_on and t.due_on < today]
    done = Counter(t.completed_by for t in tasks if t.case_id in mine and t.status == "completed" and t.completed_by
                   and within(t.completed_at))
    def total(key: str, persons: str, person_key: str, *step_ids: str) -> float:
        """Every party's amount: the unit's `key` and each person's `person_key` in the `persons` list of the steps."""
        return float(sum((e.inputs.get(key) or 0) + sum(p.get(person_key) or 0 for p in e.inputs.get(persons) or [])
                         for e in steps if not step_ids or bpmn.get(e.task_id) in step_ids))
    decided = (total("decided_fine", "responsible_persons", "fine_amount", "decide_penalty")
               + total("fine_amount", "-", "-", "issue_decision"))
    collected = total("paid_amount", "person_payments", "paid_amount")

    timely: dict = {}
    for t in tasks:
        if t.case_id in mine and t.status == "completed" and t.completed_by and t.due_on and within(t.completed_at):
            counts = timely.setdefault((t.completed_by, names[t.completed_by]), [0, 0])
            counts[0] += 1
            counts[1] += local(t.completed_at) <= t.due_on
    police = Counter(e.inputs.get("police_decision") for e in steps if bpmn.get(e.task_id) == "record_police_decision")
    return {
        "fines_outstanding": round(decided - collected, 2),
        "surcharges_collected": total("surcharge_paid", "person_payments", "surcharge_paid"),
        "referrals": sum(1 for e in steps if bpmn.get(e.task_id) == "transfer_to_police"),
        "referral_outcomes": dict(police),
        "remedies_filed": dict(Counter(e.inputs["data"].get("kind") for e in events if e.kind == "case_event"
                                       and e.inputs.get("message") == "remedy_filed" and e.case_id in mine and within(e.at))),
        "remedy_results": dict(Counter(e.inputs.get("outcome") for e in steps if bpmn.get(e.task_id) == "record_remedy_result")),
        "review_grades": dict(Counter(score.grade for score in scores
                                      if samples[score.sample_id].unit_id in agencies and within(score.scored_at))),
        "officer_timeliness": {key: tuple(counts) for key, counts in timely.items()},
        "cases": len(cases),
        "inspections": sum(1 for cid in mine if all_cases[cid].kind == "inspection" and within(all_cases[cid].started_at)),
        "by_status": dict(Counter(case.status for case in cases)),
        "by_procedure": dict(Counter(case.process_id for case in cases)),
        "by_agency": dict(Counter(case.agency_id for case in cases)),
        "overdue_tasks": len(overdue), "overdue_cases": len({t.case_id for t in overdue}),
        "fines_decided": decided, "fines_collected": collected,
        "hearings_held": sum(1 for e in steps if bpmn.get(e.task_id) == "hold_hearing"),
        "legal_reviews": sum(1 for e in steps if bpmn.get(e.task_id) == "legal_review"),
        "officer_workload": {(uid, names[uid]): count for uid, count in done.items()},
    }


def reported(body: dict) -> dict:
    return {
        **{key: body[key] for key in ("cases", "inspections", "overdue_tasks", "overdue_cases", "fines_decided",
                                      "fines_collected", "hearings_held", "legal_reviews", "fines_outstanding",
                                      "surcharges_collected", "referrals")},
        "referral_outcomes": {row["outcome"]: row["cases"] for row in body["referral_outcomes"]},
        "remedies_filed": {row["kind"]: row["cases"] for row in body["remedies_filed"]},
        "remedy_results": {row["outcome"]: row["cases"] for row in body["remedy_results"]},
        "review_grades": {row["grade"]: row["files"] for row in body["review_grades"]},
        "officer_timeliness": {(row["user_id"], row["name"]): (row["with_deadline"], row["on_time"])
                               for row in body["officer_timeliness"]},
        "by_status": {row["status"]: row["cases"] for row in body["by_status"]},
        "by_procedure": {row["process_id"]: row["cases"] for row in body["by_procedure"]},
        "by_agency": {row["agency_id"]: row["cases"] for row in body["by_agency"]},
        "officer_workload": {(row["user_id"], row["name"]): row["tasks_completed"] for row in body["officer_workload"]},
    }


def test_every_figure_equals_its_independent_count(generated):
    with read_session(generated.engine) as session:
        agencies = {a.code: a.id for a in session.exec(select(Agency))}
    county = set(agencies.values())  # the county bureau's jurisdiction is every unit
    status, body = fetch(generated, "head")
    assert status == 200, body
    figures = reported(body)
    assert figures == expected(generated, county)
    # the generated data exercises every figure
    assert figures["cases"] >= 4 and len(figures["by_status"]) >= 3 and figures["fines_decided"] > 0
    assert figures["fines_collected"] > 0 and figures["legal_reviews"] >= 2
    assert len(figures["officer_workload"]) >= 4 and len(figures["by_status"]) >= 4
    assert len(figures["review_grades"]) >= 3 and figures["officer_timeliness"]
    assert figures["fines_outstanding"] == round(figures["fines_decided"] - figures["fines_collected"], 2)
    assert figures["fines_outstanding"] == body["fines_unpaid"]  # every party's fine decided is paid or owed
    # the unit's 60,000 and its responsible person's 12,000, served last week: not yet due
    assert (body["fines_unpaid"], body["surcharges_owed"]) == (72000, 0)

    with clock.using(clock.FrozenClock(LATER)):  # the open cases' tasks are overdue by then
        status, body = fetch(generated, "head")
    assert reported(body) == expected(generated, county, today=LATER.date())
    assert reported(body)["overdue_tasks"] >= 2 and reported(body)["overdue_cases"] >= 2
    # the seeded case awaiting payment is long overdue by then: its surcharge has reached the fine (the cap)
    assert (body["arrears_on"], body["fines_unpaid"], body["surcharges_owed"]) == ("2026-09-01", 72000, 72000)
    assert [(r["agency_id"], r["decisions"], r["person_decisions"]) for r in body["arrears_by_agency"]] == [
        (agencies["suichuan-em"], 2, 1)]

    status, body = fetch(generated, "head", **{"from": "2026-05-01", "to": "2026-06-15"})
    assert reported(body) == expected(generated, county, date(2026, 5, 1), date(2026, 6, 15))
    assert reported(body)["cases"] < figures["cases"]  # the demo's March case falls outside
    assert sum(reported(body)["review_grades"].values()) < sum(figures["review_grades"].values())

    township = agencies["quanjiang"]
    status, body = fetch(generated, "supervisor", agency_id=township)
    assert (status, body["agency_ids"]) == (200, [township])
    assert reported(body) == expected(generated, {township})


def test_a_township_sees_only_its_own_figures(generated):
    with read_session(generated.engine) as session:
        agencies = {a.code: a.id for a in session.exec(select(Agency))}
    status, body = fetch(generated, "quanjiang1")
    assert (status, body["agency_ids"]) == (200, [agencies["quanjiang"]])
    assert reported(body) == expected(generated, {agencies["quanjiang"]})
    status, body = fetch(generated, "quanjiang1", agency_id=agencies["suichuan-em"])
    assert (status, body["code"]) == (403, "forbidden")
    assert fetch(generated, "admin")[0] == 403


def test_the_page_shows_the_api_figures_and_refuses_a_bad_period(generated):
    status, body = fetch(generated, "supervisor", **{"from": "2026-05-01"})
    with read_session(generated.engine) as session:
        supervisor_id = session.exec(select(User.id).where(User.username == "supervisor")).one()
    with TestClient(create_app(generated), follow_redirects=False) as browser:
        browser.cookies.set(SESSION_COOKIE, issue_token(supervisor_id).token)
        page = browser.get("/statistics", params={"from": "2026-05-01", "to": "", "agency_id": ""})
        refused = browser.get("/statistics", params={"from": "2026-13-01"})
    assert page.status_code == 200
    shown = dict(re.findall(r'data-figure="(\w+)">([^<；]*)', page.text))
    for key in ("cases", "inspections", "overdue_tasks", "overdue_cases", "referrals", "hearings_held", "legal_reviews"):
        assert shown[key] == str(body[key]), key
    for key in ("fines_decided", "fines_collected", "fines_outstanding", "surcharges_collected"):
        assert shown[key] == f"{body[key]:.2f}", key
    charts = [json.loads(html.unescape(raw)) for raw in re.findall(r'data-chart="([^"]*)"', page.text)]
    assert [c["values"] for c in charts][:2] == [[r["cases"] for r in body["by_status"]],
                                                 [r["cases"] for r in body["by_agency"]]]
    assert refused.status_code == 422 and "invalid_period" in refused.text and "统计期间的日期格式不正确" in refused.text
