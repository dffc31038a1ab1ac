"""Case-file review pre-check (issue 14): the clean demo case passes every automatic item; a case file broken
in one way is flagged on exactly that item, with the evidence that decided it.

The demo script (api/demo.py, `zhifa demo`) builds the case; each broken variant changes one fact of it:
the fine in the script, an officer's certificate, the filing date or a record event in the database, or
a step left out of the case file as a historical file without it would read.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.demo import PARTY, SCRIPT, RuntimeDriver, demo_users
from api.identity.models import CaseMember, MemberPurpose, User
from documents.case_review.case_file import load_case_file
from documents.case_review.precheck import precheck
from engine.db import read_session, transaction
from engine.errors import ZhifaError
from engine.models import Case, RecordEvent

PASSWORD = "zhifa-demo-2026"
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def play(runtime, script=SCRIPT) -> int:
    driver = RuntimeDriver(runtime, lambda line: None, demo_users(runtime))
    return driver.play({"kind": "unit", **PARTY}, script).case.id


def get_precheck(runtime, case_id: int, username: str = "reviewer") -> tuple[int, dict]:
    with TestClient(create_app(runtime)) as client:
        login = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        response = client.get(f"/api/v1/cases/{case_id}/precheck",
                              headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    return response.status_code, response.json()


def api_precheck(runtime, case_id: int) -> dict:
    status, body = get_precheck(runtime, case_id)
    assert status == 200, body
    return body


def failed(result: dict) -> set[str]:
    return {item["code"] for item in result["items"] if item["status"] == "failed"}


def item(result: dict, code: str) -> dict:
    return next(row for row in result["items"] if row["code"] == code)


def case_file(runtime, case_id: int):
    """The case file as the pre-check reads it, for variants that leave a step out."""
    data = runtime.get_case(case_id).data
    with read_session(runtime.engine) as session:
        case = session.get(Case, case_id)
        tasks = runtime.process_of(session, case).tasks
        expiry = {user.id: user.certificate_expires for user in session.exec(select(User))}
        return load_case_file(session, case, data, tasks, expiry.get)


def test_the_clean_demo_case_passes_every_automatic_item(app_runtime):
    result = api_precheck(app_runtime, play(app_runtime))
    automatic = {row["code"]: row["status"] for row in result["items"] if row["automatic"]}
    # no evidence was preserved and no crime suspected: those two items do not apply and score in full
    assert {code for code, status in automatic.items() if status != "passed"} == {"preservation_deadline",
                                                                                   "referral_made"}
    assert {automatic["preservation_deadline"], automatic["referral_made"]} == {"not_applicable"}
    assert {"two_certified_officers", "fine_in_range", "legal_review", "collective_discussion", "decision_deadline",
            "service_deadline", "publication_deadline", "record_intact", "documents_numbered"} <= set(automatic)
    assert (result["automatic_score"], result["automatic_max"], result["automatic_score"] + result["manual_max"]) == (
        56, 56, 100)
    assert (result["vetoes"], result["grade"], result["provisional_grade"]) == ([], None, "优秀")
    decision = item(result, "decision_deadline")["evidence"]
    assert decision[1] == {"kind": "deadline", "what": "立案之日起90日内作出决定", "from": "2026-03-13",
                           "due": "2026-06-11", "done": "2026-04-10"}
    numbers = {row["doc_id"]: row["number"] for row in item(result, "documents_numbered")["evidence"]}
    assert numbers["penalty_decision"] == "（遂）应急罚〔2026〕1号"


def test_a_decision_on_day_91_without_extension_is_a_veto(app_runtime):
    case_id = play(app_runtime)
    with transaction(app_runtime.engine) as session:
        session.exec(sa.update(Case).where(Case.id == case_id).values(filed_on=date(2026, 4, 10) - timedelta(days=91)))
    result = api_precheck(app_runtime, case_id)
    assert failed(result) == {"decision_deadline"}
    assert [veto["code"] for veto in result["vetoes"]] == ["decision_deadline"]
    assert item(result, "decision_deadline")["evidence"][1]["due"] == "2026-04-09"
    assert result["grade"] == "不合格"


def test_an_expired_certificate_on_the_day_of_the_investigation_is_flagged(app_runtime):
    case_id = play(app_runtime)
    with transaction(app_runtime.engine) as session:
        session.exec(sa.update(User).where(User.username == "county2").values(certificate_expires=date(2026, 3, 19)))
    result = api_precheck(app_runtime, case_id)
    assert failed(result) == {"two_certified_officers"}
    [problem] = item(result, "two_certified_officers")["evidence"]
    assert (problem["step"], problem["on"], problem["problem"]) == ("调查取证", "2026-03-20", "钟海燕的执法证在2026-03-20无效")
    assert result["grade"] == "不合格"


def test_the_fine_is_read_against_the_tier_the_facts_select(app_runtime):
    result = api_precheck(app_runtime, play(app_runtime))
    assert item(result, "fine_in_range")["message"] == "决定罚款60000元, 在逾期未改正的法定幅度50000–200000元内"


def test_a_fine_above_the_tier_cannot_be_decided(app_runtime):
    def fine(step):
        if step.task == "制作案件调查报告和处理呈批表":
            return replace(step, data=step.data | {"fine_amount": 250000, "proposed_penalty": "罚款人民币250000元"})
        return step

    with pytest.raises(ZhifaError) as refused:
        play(app_runtime, [fine(step) for step in SCRIPT])
    assert refused.value.code == "fine_out_of_range" and "50000元至200000元" in refused.value.message


def test_a_tampered_record_event_is_flagged(app_runtime):
    case_id = play(app_runtime)
    with transaction(app_runtime.engine) as session:
        event = session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id, RecordEvent.kind == "task_completed",
                                                       RecordEvent.task_name == "调查取证")).one()
        session.exec(sa.update(RecordEvent).where(RecordEvent.id == event.id)
                     .values(inputs=event.inputs | {"evidence": "询问笔录1份"}))
    result = api_precheck(app_runtime, case_id)
    assert failed(result) == {"record_intact"}
    assert item(result, "record_intact")["evidence"][0]["seq"] == event.seq


def test_a_major_case_without_legal_review_is_a_veto(app_runtime):
    file = case_file(app_runtime, play(app_runtime))
    assert file.data["legal_review"] is True
    without = replace(file, steps=tuple(s for s in file.steps if s.name != "法制审核"),
                      documents=tuple(d for d in file.documents if d.doc_id != "legal_review_opinion"))
    result = precheck(without).as_dict()
    assert failed(result) == {"legal_review"}
    assert item(result, "legal_review")["message"] == "依重大执法决定表本案须法制审核, 但案卷中没有法制审核"
    assert [veto["code"] for veto in result["vetoes"]] == ["legal_review"]


def test_one_officer_named_a_missing_notice_and_no_referral_of_a_suspected_crime_are_flagged(app_runtime):
    file = case_file(app_runtime, play(app_runtime))

    def one_officer(step):
        if step.name != "调查取证":
            return step
        return replace(step, event=step.event.model_copy(update={"inputs": step.inputs | {
            "officers": step.inputs["officers"][:1]}}))

    result = precheck(replace(file, steps=tuple(one_officer(s) for s in file.steps))).as_dict()
    assert failed(result) == {"two_certified_officers"}
    assert item(result, "two_certified_officers")["message"] == "「调查取证」只有1名执法人员"

    flagged = precheck(replace(file, data=file.data | {"crime_suspected": True})).as_dict()
    assert failed(flagged) == {"referral_made"}
    assert [veto["code"] for veto in flagged["vetoes"]] == ["referral_made"]

    no_notice = replace(file, steps=tuple(s for s in file.steps if not s.name.startswith("送达行政处罚告知书")),
                        documents=tuple(d for d in file.documents if d.doc_id != "penalty_notice"))
    result = precheck(no_notice).as_dict()
    assert failed(result) == {"advance_notice"}


def test_the_assigned_supervisor_and_the_county_head_read_it_others_are_refused(app_runtime):
    case_id = play(app_runtime)
    assert get_precheck(app_runtime, case_id, "head")[0] == 200
    status, body = get_precheck(app_runtime, case_id, "county1")  # the case's own officer
    assert (status, body["code"]) == (403, "forbidden")
    assert get_precheck(app_runtime, case_id, "supervisor")[0] == 404  # not assigned: the case is hidden from them
    assert get_precheck(app_runtime, case_id, "quanjiang1")[0] == 404  # a township never sees a county case
    with transaction(app_runtime.engine) as session:
        supervisor = session.exec(select(User).where(User.username == "supervisor")).one()
        session.add(CaseMember(case_id=case_id, user_id=supervisor.id, purpose=MemberPurpose.review,
                               added_at=datetime.now(UTC)))
    status, body = get_precheck(app_runtime, case_id, "supervisor")
    assert (status, body["case_number"], body["vetoes"]) == (200, "（遂）应急立〔2026〕1号", [])
    with read_session(app_runtime.engine) as session:
        reads = session.exec(select(RecordEvent).where(RecordEvent.case_id == case_id,
                                                       RecordEvent.kind == "supervisor_read")).all()
    assert [(event.actor_name, event.inputs) for event in reads] == [("谢卫东", {"purpose": "案卷评查"})]
