"""Issue 15, cross and special inspections the county organises: a special inspection over the register filtered by
industry and risk starts one inspection per unit in the agency of its level with a drawn pair of that agency's
officers; a cross inspection has each township's units inspected by another township's officers in a county case
they can act in; the seed reproduces the batch; a township cannot organise one; a draw short of officers starts
nothing; a batch interrupted half-way is finished by starting it again, never doubling an inspection; a drawn
inspection's steps are in the drawn pair's inbox only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from api.identity.models import StaffCategory
from api.identity.service import create_user
from api.plans.batch_draw import draw_batch
from engine.db import read_session, transaction
from engine.models import Case
from tests.api.conftest import PASSWORD, VALID
from tests.api.register_entries import entry
from tests.api.test_annual_plan import runtime  # noqa: F401  (the real-models runtime fixture)
from tests.procedure.inspection_steps import record

SEED = 20260302


def register(client, auth, township_id: int, serial: int, **changes) -> int:
    response = client.post("/api/v1/targets", headers=auth("c1"), json=entry(township_id, serial, **changes))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def inbox_case_ids(client, headers) -> set[int]:
    return {t["case_id"] for t in client.get("/api/v1/tasks", headers=headers).json()}


def test_a_special_inspection_starts_a_case_per_filtered_unit_in_the_agency_of_its_level(client, auth, world, runtime):  # noqa: F811
    a = world.agencies
    chem_town = register(client, auth, a.township.id, 1, industry="hazardous_chemicals", risk_level="major",
                         assigned_level="township")
    chem_county = register(client, auth, a.other_township.id, 2, industry="hazardous_chemicals", risk_level="large",
                           assigned_level="county")
    register(client, auth, a.township.id, 3, industry="hazardous_chemicals", risk_level="low", assigned_level="township")
    register(client, auth, a.township.id, 4, industry="fireworks", risk_level="major", assigned_level="township")

    body = {"kind": "special", "title": "危险化学品专项检查", "seed": SEED,
            "filters": {"industries": ["hazardous_chemicals"], "risk_levels": ["major", "large"]}}
    refused = client.post("/api/v1/plans/batches", headers=auth("t1a"), json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "batch_county_only"
    started = client.post("/api/v1/plans/batches", headers=auth("c1"), json=body)
    assert started.status_code == 201, started.text
    batch = started.json()
    assert batch["seed"] == str(SEED) and batch["kind_label"] == "专项检查"
    by_target = {i["target_id"]: i for i in batch["inspections"]}
    assert set(by_target) == {chem_town, chem_county}
    assert by_target[chem_town]["agency_id"] == a.township.id
    assert {o["user_id"] for o in by_target[chem_town]["officers"]} == {world.id("t1a"), world.id("t1b")}
    assert by_target[chem_county]["agency_id"] == a.county.id
    county_pool = {world.id(n) for n in ("c1", "c2", "c_reviewer")}
    assert {o["user_id"] for o in by_target[chem_county]["officers"]} < county_pool

    town_case = by_target[chem_town]["case_id"]
    assert town_case in inbox_case_ids(client, auth("t1a"))
    with read_session(runtime.engine) as session:
        case = session.get(Case, town_case)
        assert (case.agency_id, case.title, case.party_name) == (a.township.id, "危险化学品专项检查(专项检查)",
                                                                 "遂川县测试1号企业有限公司")
    file = client.get(f"/api/v1/targets/{chem_town}", headers=auth("t1a")).json()
    assert [c["id"] for c in file["inspections"]] == [town_case]


def test_a_cross_inspection_has_another_townships_officers_act_in_a_county_case(client, auth, world, runtime):  # noqa: F811
    a = world.agencies
    town_unit = register(client, auth, a.township.id, 11, assigned_level="township")
    other_unit = register(client, auth, a.other_township.id, 12, assigned_level="township")
    register(client, auth, a.township.id, 13, assigned_level="county")  # the county's own level: not crossed

    started = client.post("/api/v1/plans/batches", headers=auth("c1"),
                          json={"kind": "cross", "title": "2026年春季交叉检查", "seed": SEED})
    assert started.status_code == 201, started.text
    batch = started.json()
    assert {(p["township_id"], p["inspected_by"]) for p in batch["pairing"]} == {
        (a.township.id, a.other_township.id), (a.other_township.id, a.township.id)}
    by_target = {i["target_id"]: i for i in batch["inspections"]}
    assert set(by_target) == {town_unit, other_unit}
    assert all(i["agency_id"] == a.county.id for i in batch["inspections"])
    assert {o["user_id"] for o in by_target[town_unit]["officers"]} == {world.id("t2a"), world.id("t2b")}
    assert {o["user_id"] for o in by_target[other_unit]["officers"]} == {world.id("t1a"), world.id("t1b")}

    case_id = by_target[town_unit]["case_id"]
    assert case_id in inbox_case_ids(client, auth("t2a"))
    assert case_id not in inbox_case_ids(client, auth("t1a"))  # its own township's officers do not inspect it
    [onsite] = [t for t in client.get("/api/v1/tasks", headers=auth("t2a")).json() if t["case_id"] == case_id]
    party = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth("t2a")).json()["prefill"]["party"]
    data = record("2026-03-02", [], party=party | {"legal_representative": "王林峰"}) | {
        "officers": [world.officer("t2a"), world.officer("t2b")]}
    done = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth("t2a"), json={"data": data})
    assert done.status_code == 200, done.text

    with read_session(runtime.engine) as session:
        from api.plans.models import InspectionBatch
        stored = session.get(InspectionBatch, batch["id"])
        assert draw_batch(stored.inputs, int(stored.seed)) == {k: v for k, v in stored.result.items() if k != "cases"}


def test_a_batch_short_of_officers_starts_nothing(client, auth, world, runtime):  # noqa: F811
    register(client, auth, world.agencies.park.id, 21, assigned_level="township")  # the park has no officers
    refused = client.post("/api/v1/plans/batches", headers=auth("c1"),
                          json={"kind": "special", "title": "园区专项检查", "seed": SEED})
    assert refused.status_code == 422 and refused.json()["code"] == "batch_draw_impossible"
    assert [p["target_id"] for p in refused.json()["details"]] == [
        client.get("/api/v1/targets", headers=auth("c1")).json()[0]["id"]]
    with read_session(runtime.engine) as session:
        assert session.query(Case).filter(Case.process_id == "inspection").count() == 0
    empty = client.post("/api/v1/plans/batches", headers=auth("c1"),
                        json={"kind": "special", "title": "烟花爆竹专项检查", "filters": {"industries": ["fireworks"]}})
    assert empty.status_code == 422 and empty.json()["code"] == "batch_no_targets"


def refuse_case_links_of(engine, target_id: int) -> None:
    """A real failure in the database: linking an inspection to `target_id` fails, so its start rolls back."""
    statements = {
        "sqlite": [f"CREATE TRIGGER refuse_link BEFORE INSERT ON target_case WHEN NEW.target_id = {target_id} "
                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"],
        "postgresql": [f"CREATE FUNCTION refuse_link() RETURNS trigger AS $$ BEGIN IF NEW.target_id = {target_id} "
                       "THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                       "CREATE TRIGGER refuse_link BEFORE INSERT ON target_case FOR EACH ROW EXECUTE FUNCTION refuse_link()"],
    }[engine.dialect.name]
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)


def allow_case_links(engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TRIGGER refuse_link" + (" ON target_case" if engine.dialect.name == "postgresql" else ""))


def test_an_interrupted_batch_resumes_with_only_the_missing_inspections(client, auth, world, runtime):  # noqa: F811
    units = [register(client, auth, world.agencies.township.id, 30 + i, assigned_level="township") for i in range(5)]
    refuse_case_links_of(runtime.engine, units[2])
    body = {"kind": "special", "title": "春季专项检查", "seed": SEED}
    with pytest.raises(sa.exc.DBAPIError, match="injected failure"):
        client.post("/api/v1/plans/batches", headers=auth("c1"), json=body)
    [batch] = client.get("/api/v1/plans/batches", headers=auth("c1")).json()
    assert (batch["targets"], batch["started"]) == (5, 2)
    detail = client.get(f"/api/v1/plans/batches/{batch['id']}", headers=auth("c1")).json()
    assert [bool(i["case_id"]) for i in detail["inspections"]] == [True, True, False, False, False]

    allow_case_links(runtime.engine)
    resumed = client.post(f"/api/v1/plans/batches/{batch['id']}/start", headers=auth("c1"))
    assert resumed.status_code == 200, resumed.text
    cases = [i["case_id"] for i in resumed.json()["inspections"]]
    assert all(cases) and cases[:2] == [i["case_id"] for i in detail["inspections"][:2]]
    again = client.post(f"/api/v1/plans/batches/{batch['id']}/start", headers=auth("c1")).json()
    assert [i["case_id"] for i in again["inspections"]] == cases
    with read_session(runtime.engine) as session:
        started = session.exec(select(Case.id).where(Case.process_id == "inspection")).all()
        assert sorted(started) == sorted(cases)  # one inspection per unit, none doubled
    for unit, case_id in zip(units, cases, strict=True):
        assert [c["id"] for c in client.get(f"/api/v1/targets/{unit}", headers=auth("c1")).json()["inspections"]] == [case_id]


def test_a_drawn_inspection_is_in_the_inbox_of_the_drawn_pair_only(client, auth, world, runtime, password_hash):  # noqa: F811
    with transaction(runtime.engine) as session:
        third = create_user(session, username="t1c", display_name="用户t1c", password=PASSWORD,
                            password_hash=password_hash, agency_id=world.agencies.township.id,
                            roles=["township_officer"], staff_category=StaffCategory.officer,
                            certificate_number="赣36089999", certificate_expires=VALID)
        world.users["t1c"] = third
    unit = register(client, auth, world.agencies.township.id, 41, assigned_level="township")
    batch = client.post("/api/v1/plans/batches", headers=auth("c1"),
                        json={"kind": "special", "title": "烟花爆竹专项检查", "seed": SEED}).json()
    [inspection] = batch["inspections"]
    assert inspection["target_id"] == unit and inspection["status"] == "inspecting"
    drawn = {o["user_id"] for o in inspection["officers"]}
    township = {world.id(name): name for name in ("t1a", "t1b", "t1c")}
    [left_out] = [name for user_id, name in township.items() if user_id not in drawn]
    case_id = inspection["case_id"]
    for user_id in drawn:
        assert case_id in inbox_case_ids(client, auth(township[user_id]))
    assert case_id not in inbox_case_ids(client, auth(left_out))
    assert case_id not in inbox_case_ids(client, auth("c1"))

    [onsite] = [t for t in client.get("/api/v1/tasks", headers=auth(township[min(drawn)])).json()
                if t["case_id"] == case_id]
    assert client.get(f"/api/v1/cases/{case_id}", headers=auth(left_out)).status_code == 200  # still reads the case
    party = client.get(f"/api/v1/tasks/{onsite['id']}", headers=auth(left_out)).json()["prefill"]["party"]
    data = record("2026-03-02", [], party=party | {"legal_representative": "王林峰"}) | {
        "officers": [world.officer(left_out), world.officer(township[min(drawn)])]}
    refused = client.post(f"/api/v1/tasks/{onsite['id']}/complete", headers=auth(left_out), json={"data": data})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "抽取的执法人员" in refused.json()["message"]
