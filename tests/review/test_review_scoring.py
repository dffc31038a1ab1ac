"""Scoring a sampled file over HTTP: the form shows the pre-check and the manual items, the result carries
per-item scores, vetoes and the grade by the rubric; deductions and vetoes become the unit's rectification
tasks, overdue ones flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from api.casefile_review.models import ReviewFinding
from api.identity.models import User
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import read_session, transaction

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

MANUAL = {"filing_content": 4, "investigation_records": 9, "evidence_sufficient": 10, "characterisation_reasons": 7,
          "decision_content": 3, "enforcement": 6, "archive_order": 5}


def full_marks(**changes) -> list[dict]:
    items = {code: {"code": code, "score": points} for code, points in MANUAL.items()}
    for code, change in changes.items():
        items[code] = {"code": code, **items.get(code, {}), **change}
    return list(items.values())


@pytest.fixture
def sample(review_world) -> dict:
    plan = review_world.drawn_plan(unit_ids=[review_world.agencies["quanjiang"]], township_reviewers=False)
    [drawn] = plan["samples"]
    return drawn


def user_id(review_world, username: str) -> int:
    with read_session(review_world.runtime.engine) as session:
        return session.exec(select(User.id).where(User.username == username)).one()


def test_the_form_shows_the_precheck_the_manual_items_and_the_dossier_link(review_world, sample):
    form = review_world.call("GET", f"/review-samples/{sample['id']}", "supervisor").json()
    assert form["may_score"] is True and form["unit_name"] == "泉江镇人民政府"
    assert form["dossier_url"] == f"/cases/{sample['case_id']}/dossier"
    items = {row["code"]: row for row in form["precheck"]["items"]}
    assert {code for code, row in items.items() if not row["automatic"]} == set(MANUAL)
    assert items["decision_deadline"]["status"] == "passed" and items["decision_deadline"]["evidence"]
    assert "刘建华" in {o["name"] for o in form["officers"]}  # took part in the inspection the case came from


def test_full_marks_on_a_clean_file_grade_excellent_with_no_findings(review_world, sample):
    response = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": full_marks()})
    assert response.status_code == 200, response.text
    assert (response.json()["total"], response.json()["grade"], response.json()["vetoes"]) == (100, "优秀", [])
    plan_id = review_world.call("GET", f"/review-samples/{sample['id']}", "supervisor").json()["plan_id"]
    assert review_world.call("GET", f"/review-plans/{plan_id}/findings", "supervisor").json() == []


def test_deductions_grade_the_file_and_name_the_responsible_officer(review_world, sample):
    officer = user_id(review_world, "county1")
    items = full_marks(investigation_records={"score": 3, "comment": "询问笔录未逐页签名", "officer_ids": [officer]},
                       archive_order={"score": 2, "comment": "卷内目录页码不全"})
    result = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": items}).json()
    assert (result["total"], result["grade"]) == (91, "优秀")
    items = full_marks(investigation_records={"score": 0}, archive_order={"score": 0}, enforcement={"score": 3},
                       characterisation_reasons={"score": 1})
    result = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": items}).json()
    assert (result["total"], result["grade"]) == (77, "合格")


def test_a_veto_zeroes_the_file_and_becomes_a_finding_the_unit_rectifies(review_world, sample):
    officer = user_id(review_world, "county2")
    items = full_marks(evidence_sufficient={"score": 0, "veto": True, "comment": "现场照片不能证明违法事实",
                                            "officer_ids": [officer]})
    result = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": items}).json()
    assert (result["total"], result["grade"], [v["code"] for v in result["vetoes"]]) == (0, "不合格", ["evidence_sufficient"])
    plan_id = review_world.call("GET", f"/review-samples/{sample['id']}", "supervisor").json()["plan_id"]
    [finding] = review_world.call("GET", f"/review-plans/{plan_id}/findings", "quanjiang1").json()
    assert (finding["veto"], finding["points_lost"], finding["officers"]) == (True, 10, [{"id": officer, "name": "钟海燕"}])
    assert finding["overdue"] is False
    assert review_world.call("GET", f"/review-plans/{plan_id}/findings", "yutian1").json() == []
    refused = review_world.call("POST", f"/review-findings/{finding['id']}/rectification", "yutian1",
                                json={"rectification": "x"})
    assert (refused.status_code, refused.json()["code"]) == (403, "not_the_reviewed_unit")
    done = review_world.call("POST", f"/review-findings/{finding['id']}/rectification", "quanjiang1",
                             json={"rectification": "已组织全体执法人员学习证据规则, 补充调查取证"})
    assert done.status_code == 200, done.text
    assert done.json()["rectified_by"] == "刘建华" and done.json()["overdue"] is False
    again = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": full_marks()})
    assert (again.status_code, again.json()["code"]) == (409, "review_score_locked")


def test_a_rectification_not_reported_by_its_due_day_is_flagged_overdue(review_world, sample):
    items = full_marks(archive_order={"score": 1, "comment": "备考表缺失"})
    review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": items})
    plan_id = review_world.call("GET", f"/review-samples/{sample['id']}", "supervisor").json()["plan_id"]
    [finding] = review_world.call("GET", f"/review-plans/{plan_id}/findings", "supervisor").json()
    assert finding["due_on"] == (clock.now().astimezone(SHANGHAI).date() + timedelta(days=30)).isoformat()
    with transaction(review_world.runtime.engine) as session:  # the 30 days have passed
        session.exec(sa.update(ReviewFinding).values(due_on=clock.now().astimezone(SHANGHAI).date() - timedelta(days=1)))
    [late] = review_world.call("GET", f"/review-plans/{plan_id}/findings", "supervisor").json()
    assert late["overdue"] is True


@pytest.mark.parametrize(("change", "problem"), [
    ({"fine_in_range": {"score": 0}}, "修正「罚款在法定幅度内」的自动评分须写明理由"),
    ({"archive_order": {"score": 6}}, "得分6超过该项分值5"),
    ({"archive_order": {"score": None}}, "「一案一卷，封面、目录、备考表齐全，排序与页码规范」未评分"),
    ({"archive_order": {"veto": True}}, "不是否决项"),
    ({"archive_order": {"officer_ids": [99999]}}, "责任人员须为参与本案的人员"),
])
def test_a_bad_score_is_refused_with_what_is_wrong(review_world, sample, change, problem):
    response = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor",
                                 json={"items": full_marks(**change)})
    assert (response.status_code, response.json()["code"]) == (422, "review_score_invalid")
    assert problem in response.json()["message"]


def test_an_override_with_a_reason_replaces_the_automatic_score(review_world, sample):
    items = full_marks(fine_in_range={"score": 2, "override_reason": "裁量说理不足, 部分扣分"})
    result = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": items}).json()
    row = next(r for r in result["items"] if r["code"] == "fine_in_range")
    assert (row["score"], row["precheck_score"], row["overridden"], result["total"]) == (2, 5, True, 97)


def test_only_the_assigned_reviewer_scores(review_world, sample):
    response = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "head", json={"items": full_marks()})
    assert (response.status_code, response.json()["code"]) == (403, "not_the_reviewer")
    hidden = review_world.call("GET", f"/review-samples/{sample['id']}", "yutian1")
    assert hidden.status_code == 404


def test_an_automatic_veto_zeroes_the_file_unless_the_reviewer_overrides_it_with_a_reason(review_world, sample):
    from datetime import date

    from engine.models import Case

    with transaction(review_world.runtime.engine) as session:  # decided on day 91 without an extension on record
        session.exec(sa.update(Case).where(Case.id == sample["case_id"]).values(filed_on=date(2026, 4, 10) - timedelta(days=91)))
    form = review_world.call("GET", f"/review-samples/{sample['id']}", "supervisor").json()
    assert [v["code"] for v in form["precheck"]["vetoes"]] == ["decision_deadline"]
    vetoed = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor",
                               json={"items": full_marks()}).json()
    assert (vetoed["total"], vetoed["grade"], [v["code"] for v in vetoed["vetoes"]]) == (0, "不合格", ["decision_deadline"])
    overridden = full_marks(decision_deadline={"score": 3, "override_reason": "卷内有负责人批准延期的审批表(纸质), 系统未登记"})
    result = review_world.call("PUT", f"/review-samples/{sample['id']}/score", "supervisor", json={"items": overridden}).json()
    assert (result["total"], result["grade"], result["vetoes"]) == (100, "优秀", [])
