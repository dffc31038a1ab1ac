"""A review plan over HTTP: a supervisor drafts it, the head approves, the draw samples archived files of each
unit and assigns cross reviewers; `zhifa review redraw PLAN` replays it from the recorded seed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select
from typer.testing import CliRunner

from api.casefile_review.models import ReviewSample
from api.cli import app as cli
from engine.db import read_session, transaction
from engine.models import RecordEvent
from engine.settings import get_settings
from engine.vocab import Role

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def test_the_plan_is_drawn_only_after_the_head_approves_it(review_world):
    plan = review_world.plan()
    refused = review_world.call("POST", f"/review-plans/{plan['id']}/draw", "supervisor")
    assert (refused.status_code, refused.json()["code"]) == (409, "review_plan_state")
    not_head = review_world.call("POST", f"/review-plans/{plan['id']}/approve", "supervisor")
    assert not_head.status_code == 403
    township = review_world.call("POST", "/review-plans", "quanjiang1", json={
        "title": "x", "period_from": "2026-01-01", "period_to": "2026-12-31", "unit_ids": [1]})
    assert township.status_code == 403
    assert review_world.call("POST", f"/review-plans/{plan['id']}/approve", "head").json()["status"] == "approved"
    drawn = review_world.call("POST", f"/review-plans/{plan['id']}/draw", "supervisor").json()
    assert drawn["status"] == "reviewing" and len(drawn["seed"]) == 32
    assert sorted(s["case_id"] for s in drawn["samples"]) == sorted(review_world.cases.values())


def test_a_plan_with_bad_dates_or_rules_is_refused_in_chinese(review_world):
    response = review_world.call("POST", "/review-plans", "supervisor", json={
        "title": "x", "period_from": "2026-12-31", "period_to": "2026-01-01", "unit_ids": [1]})
    assert response.status_code == 422
    assert "截止日期早于起始日期" in response.text


def test_cross_review_never_assigns_own_unit_or_a_participant(review_world):
    plan = review_world.drawn_plan()
    by_case = {s["case_id"]: s for s in plan["samples"]}
    with read_session(review_world.runtime.engine) as session:
        from api.identity.models import User

        users = {u.id: u for u in session.exec(select(User))}
        for case_id, sample in by_case.items():
            actors = set(session.exec(select(RecordEvent.actor_id).where(RecordEvent.case_id == case_id)))
            reviewer = users[sample["reviewer_id"]]
            # the bureau's supervisors and legal staff review its brigade's files as the legal-supervision office
            # (api/casefile_review); anyone else never reviews a file of their own unit
            supervision_office = (any(reviewer.has_role(r) for r in (Role.supervisor, Role.legal_reviewer))
                                  and not reviewer.has_role(Role.county_officer))
            assert reviewer.agency_id != sample["unit_id"] or supervision_office
            assert reviewer.id not in actors
    # never a county officer (the brigade) on the county bureau's own file
    county_file = by_case[review_world.cases["suichuan-em"]]
    assert not users[county_file["reviewer_id"]].has_role("county_officer")
    # the legal reviewer reviewed every demo case, so she is never their file reviewer
    assert all(users[s["reviewer_id"]].username != "reviewer" for s in plan["samples"])


def test_the_bureau_supervisor_reviews_the_brigade_file(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["suichuan-em"]], township_reviewers=False)
    assert [s["reviewer_name"] for s in plan["samples"]] == ["谢卫东"]


def test_without_an_eligible_reviewer_the_draw_is_refused_and_nothing_is_stored(review_world):
    plan = review_world.plan(unit_ids=[review_world.agencies["quanjiang"]], township_reviewers=False)
    review_world.call("POST", f"/review-plans/{plan['id']}/approve", "head")
    review_world.headers("supervisor")
    with transaction(review_world.runtime.engine) as session:  # the supervisor took part in the case
        session.exec(sa.update(RecordEvent).where(RecordEvent.case_id == review_world.cases["quanjiang"],
                                                  RecordEvent.kind == "case_started").values(actor_id=_user_id(review_world, "supervisor")))
    response = review_world.call("POST", f"/review-plans/{plan['id']}/draw", "supervisor")
    assert (response.status_code, response.json()["code"]) == (422, "no_eligible_reviewer")
    assert response.json()["details"]["case_ids"] == [review_world.cases["quanjiang"]]
    after = review_world.call("GET", f"/review-plans/{plan['id']}", "supervisor").json()
    assert (after["status"], after["seed"], after["samples"]) == ("approved", None, [])


def _user_id(review_world, username: str) -> int:
    from api.identity.models import User

    with read_session(review_world.runtime.engine) as session:
        return session.exec(select(User.id).where(User.username == username)).one()


def test_the_assigned_reviewer_reads_the_file_and_its_precheck(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["quanjiang"]], township_reviewers=False)
    [sample] = plan["samples"]
    assert sample["reviewer_name"] == "谢卫东"  # the county supervisor: the legal reviewer took part in the case
    response = review_world.call("GET", f"/cases/{sample['case_id']}/precheck", "supervisor")
    assert response.status_code == 200, response.text


def test_a_township_reviewer_reads_the_county_file_assigned_to_them_and_no_other(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["suichuan-em"]])
    [sample] = plan["samples"]
    with read_session(review_world.runtime.engine) as session:
        from api.identity.models import User

        user = session.get(User, sample["reviewer_id"])
        reviewer = user.username
    assert review_world.call("GET", f"/cases/{sample['case_id']}/precheck", reviewer).status_code == 200
    other = next(case_id for unit, case_id in review_world.cases.items()
                 if unit != "suichuan-em" and review_world.agencies[unit] != user.agency_id)
    assert review_world.call("GET", f"/cases/{other}", reviewer).status_code == 404


def test_redraw_reproduces_the_sample_and_says_when_it_does_not(review_world, monkeypatch):
    plan = review_world.drawn_plan(share_percent=50, minimum_per_unit=1)
    monkeypatch.setenv("ZHIFA_DATABASE_URL", str(review_world.runtime.engine.url))
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["review", "redraw", str(plan["id"])])
    assert result.exit_code == 0, result.output
    assert f"随机种子 {plan['seed']}" in result.output
    assert "一致: 重新抽取的案卷和评查人员与已抽取的相同" in result.output
    assert "抽取依据(案卷、评查人员、参与人员)与抽取时记录的一致" in result.output
    api = review_world.call("GET", f"/review-plans/{plan['id']}/redraw", "supervisor").json()
    assert (api["sample_matches"], api["digest_matches"], api["inputs_unchanged"]) == (True, True, True)

    first = plan["samples"][0]
    other = next(s["reviewer_id"] for s in plan["samples"] if s["reviewer_id"] != first["reviewer_id"]) \
        if len({s["reviewer_id"] for s in plan["samples"]}) > 1 else first["reviewer_id"] + 1
    with transaction(review_world.runtime.engine) as session:
        session.exec(sa.update(ReviewSample).where(ReviewSample.id == first["id"]).values(reviewer_id=other))
    result = CliRunner().invoke(cli, ["review", "redraw", str(plan["id"])])
    assert result.exit_code == 1
    assert "不一致" in result.output


def test_the_plan_follows_its_bpmn_model_the_head_returns_it_and_the_supervisor_revises(review_world):
    plan = review_world.plan()
    assert (plan["status"], plan["waiting"]["name"], plan["waiting"]["lane_label"]) == ("draft", "审批评查方案", "局负责人")
    silent = review_world.call("POST", f"/review-plans/{plan['id']}/approve", "head", json={"plan_approved": False})
    assert (silent.status_code, silent.json()["code"]) == (422, "rule_violated")
    assert "不批准的，应当写明退回修改的意见" in silent.json()["message"]
    returned = review_world.call("POST", f"/review-plans/{plan['id']}/approve", "head",
                                 json={"plan_approved": False, "head_opinion": "请增加必查的听证案件"}).json()
    assert (returned["status"], returned["waiting"]["name"], returned["waiting"]["lane_label"]) == (
        "returned", "起草评查方案", "执法监督人员")
    assert review_world.call("POST", f"/review-plans/{plan['id']}/draw", "supervisor").json()["code"] == "review_plan_state"
    body = {"title": "2026年度案卷评查(修改)", "period_from": "2026-01-01", "period_to": "2026-12-31",
            "unit_ids": [review_world.agencies["quanjiang"]], "always_include": ["hearing"]}
    revised = review_world.call("PUT", f"/review-plans/{plan['id']}", "supervisor", json=body).json()
    assert (revised["status"], revised["title"], revised["always_include"]) == ("draft", "2026年度案卷评查(修改)", ["hearing"])
    approved = review_world.call("POST", f"/review-plans/{plan['id']}/approve", "head").json()
    assert (approved["status"], approved["waiting"]["name"]) == ("approved", "抽取案卷并交叉指派评查人员")


def test_a_cross_reviewers_reading_of_the_file_is_in_its_record(review_world):
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["suichuan-em"]])
    [sample] = plan["samples"]
    reviewer = _username(review_world, sample["reviewer_id"])
    before = _reads(review_world, sample["case_id"])
    assert review_world.call("GET", f"/cases/{sample['case_id']}/precheck", reviewer).status_code == 200
    assert _reads(review_world, sample["case_id"]) == before + 1
    # read as the file's reviewer (案卷评查), not as supervision (执法监督)
    read = review_world.call("GET", f"/cases/{sample['case_id']}/record", reviewer).json()[-2]
    assert (read["kind"], read["kind_label"], read["actor_id"]) == ("review_read", "案卷评查查阅", sample["reviewer_id"])


def _username(review_world, user_id: int) -> str:
    from api.identity.models import User

    with read_session(review_world.runtime.engine) as session:
        return session.get(User, user_id).username


def _reads(review_world, case_id: int) -> int:
    with read_session(review_world.runtime.engine) as session:
        return len(session.exec(select(RecordEvent.id).where(RecordEvent.case_id == case_id,
                                                             RecordEvent.kind == "review_read")).all())
