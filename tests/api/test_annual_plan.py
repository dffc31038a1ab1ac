"""Issue 15, annual plans (年度监督检查计划): drawn from the register with a recorded seed, approved through the
`annual_plan` process, redrawn exactly by `zhifa plan redraw`, and scheduled as inspections that reach the drawn
officers' inbox in their month; an officer who declared a conflict (回避) is never drawn."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from api.bootstrap import build_runtime
from api.cli import app as cli_app
from api.plans.service import schedule_due
from engine.db import get_engine
from engine.settings import get_settings
from tests.api.register_entries import entry

SEED = 20261206


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def register(client, auth, world, serial: int, **changes) -> int:
    body = entry(world.agencies.township.id, serial, **({"assigned_level": "township"} | changes))
    response = client.post("/api/v1/targets", headers=auth("t1a"), json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def task_of(client, headers, case_id: int) -> dict:
    [task] = [t for t in client.get("/api/v1/tasks", headers=headers).json() if t["case_id"] == case_id]
    return task


def complete(client, headers, task: dict, data: dict) -> None:
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", headers=headers, json={"data": data})
    assert response.status_code == 200, response.text


def test_a_plan_is_drawn_approved_redrawn_and_scheduled_into_the_officers_inbox(client, auth, world, db_url, monkeypatch):
    key = register(client, auth, world, 1, key_target=True, standardisation="level2")
    others = [register(client, auth, world, serial) for serial in range(2, 6)]
    register(client, auth, world, 9, assigned_level="county")  # the county's level: not in the township's plan

    created = client.post("/api/v1/plans", headers=auth("t1a"), json={"year": 2027, "seed": SEED})
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["seed"] == str(SEED) and plan["status"] == "plan_drafting"
    planned = {v["target_id"] for v in plan["visits"]}
    assert key in planned and len(planned - {key}) == 2  # key target covered; 30 % of 4 others, rounded up
    assert planned <= {key, *others}
    assert len([v for v in plan["visits"] if v["target_id"] == key]) == 2  # key_target_visits 2, cap for level2 is 2
    pair = sorted([world.id("t1a"), world.id("t1b")])  # the only certified officers with valid certificates
    assert all(sorted(o["user_id"] for o in v["officers"]) == pair for v in plan["visits"])

    monkeypatch.setenv("ZHIFA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    redrawn = CliRunner().invoke(cli_app, ["plan", "redraw", str(plan["id"])])
    assert redrawn.exit_code == 0, redrawn.output
    assert '"same": true' in redrawn.output

    complete(client, auth("t1a"), task_of(client, auth("t1a"), plan["case_id"]),
             {"submitted_on": "2026-03-02", "plan_note": "重点检查对象全覆盖, 其他对象随机抽取30%"})
    approval = task_of(client, auth("t1a"), plan["case_id"])
    assert approval["name"] == "登记党委政府审定结果"
    refused = client.post(f"/api/v1/tasks/{approval['id']}/complete", headers=auth("t1a"), json={"data": {
        "plan_approved": True, "approval_opinion": "同意", "approved_on": "2026-03-02"}})
    assert refused.status_code == 422 and "会议纪要或批复文号" in refused.text
    complete(client, auth("t1a"), approval, {"plan_approved": True, "approval_opinion": "同意",
                                             "approved_on": "2026-03-02", "approval_ref": "泉党政纪〔2026〕3号"})
    published = client.get(f"/api/v1/plans/{plan['id']}", headers=auth("t1a")).json()
    assert published["published"] is True and published["status"] == "plan_published"
    again = client.post("/api/v1/plans", headers=auth("t1b"), json={"year": 2027})
    assert again.status_code == 409 and again.json()["code"] == "plan_published"

    first_month = min(v["month"] for v in plan["visits"])
    assert schedule_due(client.app.state.runtime, on=date(2026, 12, 31)) == 0  # nothing before the plan's year
    started = schedule_due(client.app.state.runtime, on=date(2027, first_month, 1))
    due = [v for v in plan["visits"] if v["month"] == first_month]
    assert started == len(due)
    scheduled = client.get(f"/api/v1/plans/{plan['id']}", headers=auth("t1a")).json()["visits"]
    case_ids = [v["case_id"] for v in scheduled if v["month"] == first_month]
    assert all(case_ids) and not any(v["case_id"] for v in scheduled if v["month"] > first_month)
    onsite = task_of(client, auth("t1b"), case_ids[0])
    assert onsite["name"] == "现场检查"
    detail = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth("t1b")).json()
    assert sorted(o["user_id"] for o in detail["prefill"]["officers"]) == pair
    assert schedule_due(client.app.state.runtime, on=date(2027, first_month, 1)) == 0  # each visit once
    unit = client.get(f"/api/v1/targets/{due[0]['target_id']}", headers=auth("t1a")).json()
    assert case_ids[0] in [c["id"] for c in unit["inspections"]]


def test_an_officer_who_declared_a_conflict_is_never_drawn(client, auth, world):
    key = register(client, auth, world, 1, key_target=True)
    declared = client.post("/api/v1/plans/conflicts", headers=auth("t1a"),
                           json={"target_id": key, "reason": "本人配偶在该单位任安全管理人员"})
    assert declared.status_code == 201, declared.text
    refused = client.post("/api/v1/plans", headers=auth("t1a"), json={"year": 2027, "seed": SEED})
    assert refused.status_code == 422 and refused.json()["code"] == "plan_draw_impossible"
    assert {p["target_id"] for p in refused.json()["details"]} == {key}
    assert client.get("/api/v1/plans", headers=auth("t1a")).json() == []  # nothing stored


def test_the_county_plan_covers_county_level_units_and_is_approved_by_the_head(client, auth, world):
    county_unit = register(client, auth, world, 11, assigned_level="county", key_target=True)
    register(client, auth, world, 12)  # the township's level: not in the county's plan
    plan = client.post("/api/v1/plans", headers=auth("c1"), json={"year": 2027, "seed": SEED}).json()
    assert {v["target_id"] for v in plan["visits"]} == {county_unit}
    county_officers = {world.id(name) for name in ("c1", "c2", "c_reviewer")}
    assert all({o["user_id"] for o in v["officers"]} <= county_officers for v in plan["visits"])
    complete(client, auth("c1"), task_of(client, auth("c1"), plan["case_id"]),
             {"submitted_on": "2026-03-02", "plan_note": "县级重点检查对象全覆盖"})
    approval = task_of(client, auth("head"), plan["case_id"])
    assert (approval["name"], approval["role"]) == ("审批年度计划", "agency_head")
    complete(client, auth("head"), approval, {"plan_approved": False, "approval_opinion": "补充执法力量安排",
                                              "approved_on": "2026-03-02"})
    assert task_of(client, auth("c1"), plan["case_id"])["name"] == "提交年度计划草案"  # returned for redrafting
    assert client.get(f"/api/v1/plans/{plan['id']}", headers=auth("c1")).json()["published"] is False
