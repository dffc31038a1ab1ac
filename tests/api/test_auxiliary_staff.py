"""Auxiliary staff (辅助人员) assist officers: they read their agency's cases but never start a case, act in a
step or appear as the actor of an enforcement act (issue 18, item 1)."""

from sqlmodel import Session, select

from engine.models import RecordEvent
from tests.api.conftest import start_inspection


def test_auxiliary_staff_cannot_start_a_case_of_any_process(client, auth, world):
    for process in ("inspection_api", "case_api"):
        refused = client.post("/api/v1/cases", headers=auth("t1aux"), json={
            "process": process, "agency_id": world.agencies.township.id, "party": {"kind": "unit", "name": "某厂"},
            "title": "检查"})
        assert (refused.status_code, refused.json()["code"]) == (403, "auxiliary_staff"), process
        assert refused.json()["message"] == "辅助人员不能发起案件或办理执法环节, 请由执法人员办理"


def test_auxiliary_staff_read_their_agencys_cases_have_no_inbox_and_cannot_act(client, auth, world, runtime):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    case_id, task_id = case["case"]["id"], case["tasks"][0]["id"]
    assert client.get(f"/api/v1/cases/{case_id}", headers=auth("t1aux")).status_code == 200
    assert client.get("/api/v1/tasks", headers=auth("t1aux")).json() == []
    refused = client.post(f"/api/v1/tasks/{task_id}/complete", headers=auth("t1aux"),
                          json={"data": {"officers": [world.officer("t1a"), world.officer("t1b")], "findings": "无"}})
    assert (refused.status_code, refused.json()["code"]) == (403, "auxiliary_staff")
    with Session(runtime.engine) as session:
        actors = set(session.exec(select(RecordEvent.actor_id).where(RecordEvent.case_id == case_id)).all())
    assert world.id("t1aux") not in actors
    # the task is still there for the officers
    assert task_id in [t["id"] for t in client.get("/api/v1/tasks", headers=auth("t1a")).json()]


def test_auxiliary_staff_are_offered_no_process_to_start(client, auth, world):
    assert client.get("/api/v1/processes", headers=auth("t1aux")).json() == []
    assert client.get("/api/v1/processes", headers=auth("t1a")).json() != []
