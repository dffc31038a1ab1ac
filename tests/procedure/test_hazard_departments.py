"""吹哨报到 by department accounts and escalation to the county (issue 16): a summoned department's 报到 and action
report are in its own accounts' inbox only; the township follows progress; a report not triaged in time and an
overdue department go to the county's 待办 with a badge."""

from __future__ import annotations

from tests.procedure.test_hazard_reports import complete, on, report, task, world  # noqa: F401

REPORT_TASK = "部门报到和报告处置情况"


def inbox(client, user: str) -> list[dict]:
    response = client.get("/api/v1/tasks", headers=client.headers_for(user))
    assert response.status_code == 200, response.text
    return response.json()


def test_only_the_summoned_departments_accounts_get_and_complete_its_tasks(world):  # noqa: F811
    filed = report(world)
    complete(world, "t1", "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇水利站"]})
    station_task = task(world, "water_station", REPORT_TASK)
    assert station_task["role_label"] == "被召集部门"
    # the township, a department not summoned (the county's 县水利局, the forestry station) and the same department
    # of another township have nothing in their inbox and cannot act on it
    for user in ("t1", "water_bureau", "forestry", "other_station"):
        assert REPORT_TASK not in [t["name"] for t in inbox(world, user)], user
        refused = world.post(f"/api/v1/tasks/{station_task['id']}/complete", headers=world.headers_for(user),
                             json={"data": {"department": "乡镇水利站", "report_kind": "ack"}})
        assert refused.status_code in (403, 404), (user, refused.text)
    assert world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("forestry")).status_code == 404
    # the summoned department reads the report it acts on, and reports in
    assert world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("water_station")).status_code == 200
    complete(world, "water_station", REPORT_TASK, {"department": "乡镇水利站", "report_kind": "ack", "contact": "李站长"})
    progress = world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("t1")).json()
    assert [(d["name"], d["acknowledged"], d["action"]) for d in progress["departments"]] == [("乡镇水利站", True, None)]
    complete(world, "water_station", REPORT_TASK, {"department": "乡镇水利站", "report_kind": "action",
                                                   "action_taken": "设置警示标志并封堵管涌"})
    assert REPORT_TASK not in [t["name"] for t in inbox(world, "water_station")]
    progress = world.get(f"/api/v1/hazards/{filed['id']}", headers=world.headers_for("t1")).json()
    assert progress["departments"][0]["action"] == "设置警示标志并封堵管涌" and progress["status_label"] == "待复核"
    record = world.get(f"/api/v1/cases/{filed['case_id']}/record", headers=world.headers_for("t1")).text
    assert "用户water_station" in record


def test_an_administrator_creates_department_accounts_bound_to_a_configured_department(world, agencies):  # noqa: F811
    body = {"username": "dept2", "display_name": "县林业局值班", "password": "long-enough-1", "agency_id": agencies.county.id,
            "roles": ["department"], "staff_category": "auxiliary"}
    headers = world.headers_for("admin")
    unbound = world.post("/api/v1/users", json=body, headers=headers)
    assert unbound.status_code == 422 and unbound.json()["code"] == "department_required"
    unknown = world.post("/api/v1/users", json={**body, "department": "县教育局"}, headers=headers)
    assert unknown.status_code == 422 and unknown.json()["code"] == "department_required"
    created = world.post("/api/v1/users", json={**body, "department": "县林业局"}, headers=headers)
    assert created.status_code == 201 and created.json()["department"] == "县林业局"


def test_a_report_not_triaged_in_time_goes_to_the_countys_inbox_with_a_badge(world, runtime, frozen_clock):  # noqa: F811
    late = report(world)
    on(frozen_clock, "2026-03-03", 23)  # the triage period (1 day) ends at 24:00 on 3 March
    assert runtime.fire_due() == []
    on(frozen_clock, "2026-03-04", 0)
    assert runtime.fire_due() == [late["case_id"]]
    escalated = [t for t in inbox(world, "c1") if t["name"] == "督办逾期未研判的隐患报告"]
    assert [(t["case_id"], t["escalation"]) for t in escalated] == [(late["case_id"], True)]
    assert task(world, "t1", "研判隐患报告")["escalation"] is False  # the township still triages it
    assert "督办逾期未研判的隐患报告" not in [t["name"] for t in inbox(world, "t2")]
    complete(world, "c1", "督办逾期未研判的隐患报告", {"supervised_on": "2026-03-04", "supervision_opinion": "当日研判"})
    complete(world, "t1", "研判隐患报告", {"triage_decision": "whistle", "departments": ["乡镇水利站"]})
    # the 报到 period passes without the station reporting in: the county supervises, also with the badge
    on(frozen_clock, "2026-03-06", 0)
    assert runtime.fire_due() == [late["case_id"]]
    assert task(world, "c1", "督办逾期部门")["escalation"] is True


def test_a_report_triaged_in_time_never_reaches_the_county(world, runtime, frozen_clock):  # noqa: F811
    filed = report(world)
    complete(world, "t1", "研判隐患报告", {"triage_decision": "dismiss", "dismiss_reason": "已自行消除"})
    on(frozen_clock, "2026-03-05", 0)
    runtime.fire_due()
    assert [t for t in inbox(world, "c1") if t["case_id"] == filed["case_id"]] == []
