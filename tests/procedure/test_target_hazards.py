"""Hazards in a unit's file (一企一档, issues 15/16): a grid report naming a register unit (by name or credit code)
is linked to its entry; the target's file lists it with the unit's risk score, and the ledger filters and links by
it; another township sees neither the entry nor the report."""

from __future__ import annotations

from api.identity.security import issue_token
from api.web.session import SESSION_COOKIE
from tests.api.register_entries import credit_code, entry
from tests.procedure.test_hazard_reports import report, world  # noqa: F401  (the grid world fixture)


def register(client, township_id: int, serial: int, **changes) -> dict:
    response = client.post("/api/v1/targets", headers=client.headers_for("t1"),
                           json=entry(township_id, serial, **changes))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_report_naming_a_register_unit_appears_in_its_file_and_ledger(world, agencies):  # noqa: F811
    client = world
    unit = register(client, agencies.township.id, 7, name="遂川县某砂石场", risk_level="large")
    other = register(client, agencies.township.id, 8)
    by_name = report(client)
    by_code = report(client, unit_name=credit_code(8), place="工业大道")
    unknown = report(client, unit_name="名录外的作坊", place="河西路")
    assert (by_name["target_id"], by_code["target_id"], unknown["target_id"]) == (unit["id"], other["id"], None)

    file = client.get(f"/api/v1/targets/{unit['id']}", headers=client.headers_for("t1")).json()
    assert [r["id"] for r in file["hazard_reports"]] == [by_name["id"]]
    assert file["hazard_reports"][0]["status_label"] and file["hazard_reports"][0]["place"] == "城南社区河堤"
    # the score: risk level 较大 (25) + credit 守信 (0) + one hazard (3); no penalties or accidents yet
    assert file["risk"]["score"] == 28
    assert file["risk"]["parts"] == {"risk_level": 25, "credit_level": 0, "hazards": 3, "penalties": 0, "accidents": 0}

    ledger = client.get("/api/v1/hazards", params={"target_id": other["id"]}, headers=client.headers_for("c1")).json()
    assert [r["id"] for r in ledger["items"]] == [by_code["id"]]
    client.cookies.set(SESSION_COOKIE, issue_token(client.user_ids["t1"]).token)
    page = client.get(f"/targets/{unit['id']}")
    assert page.status_code == 200 and "城南社区河堤" in page.text and "风险评分" in page.text
    ledger_page = client.get("/hazards")
    assert f'href="/targets/{unit["id"]}"' in ledger_page.text

    client.cookies.clear()
    hidden = client.get(f"/api/v1/targets/{unit['id']}", headers=client.headers_for("t2"))
    assert hidden.status_code == 404
    assert client.get("/api/v1/hazards", params={"target_id": unit["id"]},
                      headers=client.headers_for("t2")).json()["items"] == []

