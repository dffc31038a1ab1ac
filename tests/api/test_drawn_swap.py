"""Issue 15, replacing a drawn officer (更换抽取的执法人员): when one of the drawn pair of a batch's or a plan's
inspection becomes unavailable, the batch's organiser (a plan's: the agency head) replaces him with another
certified officer of the same agency, drawn again at random (seed, reason and candidates recorded) or named with a
reason; the replaced officer loses the inspection from his inbox and can no longer complete its steps, the new one
gets it; the case record and the batch page show it. Anyone else, an ineligible officer, the other drawn officer and
a replacement after the on-site step are refused."""

from __future__ import annotations

from datetime import date

from api.identity.models import StaffCategory
from api.identity.service import create_user
from api.plans.service import schedule_due
from engine.db import transaction
from tests.api.conftest import PASSWORD, VALID
from tests.api.test_annual_plan import complete, task_of
from tests.api.test_inspection_batches import (
    SEED,
    inbox_case_ids,
    register,
    runtime,  # noqa: F401  (the real-models runtime fixture)
)
from tests.api.test_web_records import browser_for
from tests.procedure.inspection_steps import record


def add_officer(runtime, world, password_hash, username: str, agency: str = "township") -> None:  # noqa: F811
    with transaction(runtime.engine) as session:
        world.users[username] = create_user(
            session, username=username, display_name=f"用户{username}", password=PASSWORD,
            password_hash=password_hash, agency_id=getattr(world.agencies, agency).id, roles=["township_officer"],
            staff_category=StaffCategory.officer, certificate_number="赣36089999", certificate_expires=VALID)


def batch_inspection(client, auth, world, runtime, password_hash) -> tuple[dict, dict, str]:  # noqa: F811
    """A township's special inspection drawn from t1a, t1b, t1c: (batch, its inspection, the officer left out)."""
    add_officer(runtime, world, password_hash, "t1c")
    register(client, auth, world.agencies.township.id, 61, assigned_level="township")
    batch = client.post("/api/v1/plans/batches", headers=auth("c1"),
                        json={"kind": "special", "title": "烟花爆竹专项检查", "seed": SEED}).json()
    [inspection] = batch["inspections"]
    drawn = {o["user_id"] for o in inspection["officers"]}
    [left_out] = [name for name in ("t1a", "t1b", "t1c") if world.id(name) not in drawn]
    return batch, inspection, left_out


def name_of(world, user_id: int) -> str:
    return next(name for name, user in world.users.items() if user.id == user_id)


def onsite_data(client, auth, world, task_id: str, names: list[str]) -> dict:
    party = client.get(f"/api/v1/tasks/{task_id}", headers=auth(names[0])).json()["prefill"]["party"]
    return record("2026-03-02", [], party=party | {"legal_representative": "王林峰"}) | {
        "officers": [world.officer(n) for n in names]}


def test_the_organiser_redraws_a_drawn_officer_who_then_loses_the_inspection(client, auth, world, runtime,  # noqa: F811
                                                                            password_hash):
    batch, inspection, left_out = batch_inspection(client, auth, world, runtime, password_hash)
    case_id = inspection["case_id"]
    out, stays = sorted(name_of(world, o["user_id"]) for o in inspection["officers"])
    [onsite] = [t for t in client.get("/api/v1/tasks", headers=auth(out)).json() if t["case_id"] == case_id]

    url = f"/api/v1/plans/drawn-inspections/{case_id}/replacements"
    swapped = client.post(url, headers=auth("c1"), json={"replaced_id": world.id(out), "reason": "因病住院", "seed": 7})
    assert swapped.status_code == 201, swapped.text
    body = swapped.json()
    # the auxiliary, the expired and the other drawn officer are no candidates: only the one left out remains
    assert body["candidates"] == [world.id(left_out)] and body["seed"] == "7" and body["mode"] == "random"
    assert body["replacement"]["user_id"] == world.id(left_out) and body["reason"] == "因病住院"

    assert case_id not in inbox_case_ids(client, auth(out))
    assert case_id in inbox_case_ids(client, auth(left_out)) and case_id in inbox_case_ids(client, auth(stays))
    refused = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth(out),
                          json={"data": onsite_data(client, auth, world, onsite["id"], [out, stays])})
    assert refused.status_code == 403 and "抽取的执法人员" in refused.json()["message"]

    [event] = [e for e in client.get(f"/api/v1/cases/{case_id}", headers=auth("c1")).json()["timeline"]
               if e["kind"] == "drawn_officer_replaced"]
    assert event["kind_label"] == "更换抽取的执法人员" and event["actor_id"] == world.id("c1")
    assert event["inputs"]["reason"] == "因病住院" and event["inputs"]["seed"] == "7"
    assert event["inputs"]["candidates"] == [world.id(left_out)]
    assert (event["inputs"]["replaced"]["user_id"], event["inputs"]["replacement"]["user_id"]) == (
        world.id(out), world.id(left_out))
    detail = client.get(f"/api/v1/plans/batches/{batch['id']}", headers=auth("c1")).json()
    assert {o["user_id"] for o in detail["inspections"][0]["officers"]} == {world.id(left_out), world.id(stays)}

    browser, _ = browser_for(client.app, world, "c1")
    page = browser.get(f"/plans/batches/{batch['id']}").text
    assert f"用户{out}→用户{left_out}" in page and "因病住院" in page
    assert f"用户{out}→用户{left_out}" in browser.get(f"/cases/{case_id}").text

    prefill = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth(left_out)).json()["prefill"]
    assert {o["user_id"] for o in prefill["officers"]} == {world.id(left_out), world.id(stays)}
    done = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth(left_out),
                       json={"data": onsite_data(client, auth, world, onsite["id"], [left_out, stays])})
    assert done.status_code == 200, done.text
    late = client.post(url, headers=auth("c1"), json={"replaced_id": world.id(stays), "reason": "调离"})
    assert late.status_code == 409 and late.json()["code"] == "drawn_onsite_done"


def test_replacements_by_others_or_to_ineligible_officers_are_refused(client, auth, world, runtime,  # noqa: F811
                                                                     password_hash):
    _, inspection, left_out = batch_inspection(client, auth, world, runtime, password_hash)
    case_id = inspection["case_id"]
    out, stays = sorted(name_of(world, o["user_id"]) for o in inspection["officers"])
    url = f"/api/v1/plans/drawn-inspections/{case_id}/replacements"

    def attempt(who: str, **body):
        return client.post(url, headers=auth(who), json={"replaced_id": world.id(out), "reason": "回避"} | body)

    for who in (out, stays, "head"):  # neither a drawn officer nor another head organises the batch
        response = attempt(who)
        assert response.status_code == 403 and response.json()["code"] == "drawn_replace_forbidden", who
    for named, code in (("t1aux", "replacement_not_eligible"), ("t1expired", "replacement_not_eligible"),
                        (stays, "replacement_already_drawn"), ("t2a", "replacement_not_eligible")):
        response = attempt("c1", replacement_id=world.id(named))
        assert response.status_code == 422 and response.json()["code"] == code, named
        assert response.json()["message"].startswith(f"用户{named}"), response.json()["message"]
    not_drawn = attempt("c1", replaced_id=world.id(left_out))
    assert not_drawn.status_code == 422 and not_drawn.json()["code"] == "not_drawn_officer"
    assert case_id in inbox_case_ids(client, auth(out))  # nothing changed

    named = attempt("c1", replacement_id=world.id(left_out), reason="t1c熟悉该企业工艺, 指定更换")
    assert named.status_code == 201 and named.json()["mode"] == "named", named.text
    assert case_id in inbox_case_ids(client, auth(left_out)) and case_id not in inbox_case_ids(client, auth(out))


def test_the_agency_head_replaces_a_drawn_officer_of_a_plan_visit_from_the_case_page(client, auth, world):
    register(client, auth, world.agencies.township.id, 71, assigned_level="county", key_target=True)
    plan = client.post("/api/v1/plans", headers=auth("c1"), json={"year": 2026, "seed": SEED}).json()
    complete(client, auth("c1"), task_of(client, auth("c1"), plan["case_id"]),
             {"submitted_on": "2026-03-02", "plan_note": "县级重点检查对象全覆盖"})
    complete(client, auth("head"), task_of(client, auth("head"), plan["case_id"]),
             {"plan_approved": True, "approval_opinion": "同意", "approved_on": "2026-03-02"})
    assert schedule_due(client.app.state.runtime, on=date(2026, 12, 1)) >= 1
    visit = next(v for v in client.get(f"/api/v1/plans/{plan['id']}", headers=auth("c1")).json()["visits"]
                 if v["case_id"])
    drawn = {o["user_id"] for o in visit["officers"]}
    [left_out] = [n for n in ("c1", "c2", "c_reviewer") if world.id(n) not in drawn]
    out = name_of(world, min(drawn))
    case_id = visit["case_id"]

    refused = client.post(f"/api/v1/plans/drawn-inspections/{case_id}/replacements", headers=auth("c1"),
                          json={"replaced_id": world.id(out), "reason": "借调"})
    assert refused.status_code == 403 and refused.json()["code"] == "drawn_replace_forbidden"
    browser, token = browser_for(client.app, world, "head")
    page = browser.get(f"/cases/{case_id}").text
    assert "更换抽取的执法人员" in page and 'name="replaced_id"' in page
    assert 'name="replaced_id"' not in browser_for(client.app, world, "c2")[0].get(f"/cases/{case_id}").text
    no_reason = browser.post(f"/cases/{case_id}/drawn-replacements",
                             data={"csrf_token": token, "replaced_id": str(world.id(out)), "reason": " "})
    assert no_reason.status_code == 422 and "请填写更换理由" in no_reason.text
    assert case_id in inbox_case_ids(client, auth(out))
    posted = browser.post(f"/cases/{case_id}/drawn-replacements",
                          data={"csrf_token": token, "replaced_id": str(world.id(out)), "reason": "借调至市局"})
    assert (posted.status_code, posted.headers["location"]) == (303, f"/cases/{case_id}")
    assert f"用户{out}→用户{left_out}" in browser.get(f"/cases/{case_id}").text
    assert case_id in inbox_case_ids(client, auth(left_out)) and case_id not in inbox_case_ids(client, auth(out))

    # the plan shows the pair that inspects now, and that it was replaced
    stays = name_of(world, max(drawn))
    shown = next(v for v in client.get(f"/api/v1/plans/{plan['id']}", headers=auth("c1")).json()["visits"]
                 if v["case_id"] == case_id)
    assert {o["user_id"] for o in shown["officers"]} == {world.id(left_out), world.id(stays)}
    assert [(r["replaced"]["name"], r["replacement"]["name"], r["reason"]) for r in shown["replacements"]] == [
        (f"用户{out}", f"用户{left_out}", "借调至市局")]
    row = next(r for r in browser.get(f"/plans/{plan['id']}").text.split("<tr>") if f'href="/cases/{case_id}"' in r)
    officers = row.split('data-label="执法人员">')[1].split("<ul")[0]
    assert f"用户{left_out}" in officers and f"用户{out}" not in officers
    assert f"用户{out}→用户{left_out}" in row and "借调至市局" in row


def test_in_a_cross_inspection_the_replacement_from_the_other_township_acts_in_the_county_case(
        client, auth, world, runtime, password_hash):  # noqa: F811
    add_officer(runtime, world, password_hash, "t2c", "other_township")
    unit = register(client, auth, world.agencies.township.id, 81, assigned_level="township")
    register(client, auth, world.agencies.other_township.id, 82, assigned_level="township")
    batch = client.post("/api/v1/plans/batches", headers=auth("c1"),
                        json={"kind": "cross", "title": "交叉检查", "seed": SEED}).json()
    inspection = next(i for i in batch["inspections"] if i["target_id"] == unit)
    drawn = {o["user_id"] for o in inspection["officers"]}
    [left_out] = [n for n in ("t2a", "t2b", "t2c") if world.id(n) not in drawn]
    out, stays = sorted(name_of(world, i) for i in drawn)
    case_id = inspection["case_id"]
    swapped = client.post(f"/api/v1/plans/drawn-inspections/{case_id}/replacements", headers=auth("c1"),
                          json={"replaced_id": world.id(out), "reason": "与该企业负责人系近亲属, 申请回避"})
    assert swapped.status_code == 201 and swapped.json()["candidates"] == [world.id(left_out)], swapped.text
    assert case_id not in inbox_case_ids(client, auth(out))
    [onsite] = [t for t in client.get("/api/v1/tasks", headers=auth(left_out)).json() if t["case_id"] == case_id]
    done = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth(left_out),
                       json={"data": onsite_data(client, auth, world, onsite["id"], [left_out, stays])})
    assert done.status_code == 200, done.text
