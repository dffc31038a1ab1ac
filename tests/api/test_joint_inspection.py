"""Issue 15, joint inspections: a township officer the county bureau draws into its inspection sees the on-site
task in their inbox and completes it together with a county officer; before being drawn in they could not."""

from __future__ import annotations

import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.api.register_entries import entry
from tests.procedure.inspection_steps import record


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def test_a_township_officer_drawn_into_a_county_inspection_completes_its_onsite_task(client, auth, world):
    target = client.post("/api/v1/targets", headers=auth("c1"), json=entry(world.agencies.township.id, 3)).json()
    started = client.post(f"/api/v1/targets/{target['id']}/inspections", headers=auth("c1"), json={"title": "联合检查"})
    assert started.status_code == 201, started.text
    case_id, [onsite] = started.json()["case"]["id"], started.json()["tasks"]
    assert onsite["role"] == "county_officer"
    party = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth("c1")).json()["prefill"]["party"]
    data = record("2026-03-02", [], party=party | {"legal_representative": "王林峰"}) | {
        "officers": [world.officer("t1a"), world.officer("c1")]}

    before = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth("t1a"), json={"data": data})
    assert before.status_code == 404  # a county case the township officer was not drawn into
    added = client.post(f"/api/v1/cases/{case_id}/members", headers=auth("c1"), json={"user_id": world.id("t1a")})
    assert added.status_code == 201, added.text

    assert onsite["id"] in [t["id"] for t in client.get("/api/v1/tasks", headers=auth("t1a")).json()]
    assert onsite["id"] not in [t["id"] for t in client.get("/api/v1/tasks", headers=auth("t1b")).json()]
    refused = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth("t1b"), json={"data": data})
    assert refused.status_code == 404  # another officer of the same township, not drawn in

    done = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth("t1a"), json={"data": data})
    assert done.status_code == 200, done.text
    events = client.get(f"/api/v1/cases/{case_id}/record", headers=auth("c1")).json()
    completed = [e for e in (events["events"] if isinstance(events, dict) else events) if e["kind"] == "task_completed"]
    assert [(e["actor_name"], e["role"]) for e in completed] == [("用户t1a", "township_officer")]
