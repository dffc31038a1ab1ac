"""Agencies are administered: a county administrator adds a township over the API and it works end to end."""

from __future__ import annotations

from tests.api.conftest import PASSWORD, start_inspection

CAOLIN = {"code": "caolin", "name": "草林镇人民政府", "short_name": "遂草", "kind": "township", "seal_name": "草林镇人民政府"}


def login(client, username: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def officer(client, auth, agency_id: int, username: str) -> dict:
    body = {"username": username, "display_name": f"草林{username}", "password": PASSWORD, "agency_id": agency_id,
            "roles": ["township_officer"], "staff_category": "officer", "certificate_number": f"36082700{len(username)}",
            "certificate_expires": "2028-12-31"}
    response = client.post("/api/v1/users", json=body, headers=auth("admin"))
    assert response.status_code == 201, response.text
    return response.json()


def test_a_township_created_over_the_api_numbers_its_cases_sees_its_inbox_and_is_isolated(client, auth, world):
    created = client.post("/api/v1/agencies", json=CAOLIN, headers=auth("admin"))
    assert created.status_code == 201, created.text
    caolin = created.json()
    assert (caolin["parent_id"], caolin["seal_name"]) == (world.agencies.county.id, "草林镇人民政府")
    officer(client, auth, caolin["id"], "cl1")
    officer(client, auth, caolin["id"], "cl2")

    started = start_inspection(client, login(client, "cl1"), caolin["id"])
    assert started["case"]["number"] == "（遂草）应急检〔2026〕1号"
    inbox = client.get("/api/v1/tasks", headers=login(client, "cl2")).json()
    assert [(t["name"], t["case_number"]) for t in inbox] == [("现场检查", "（遂草）应急检〔2026〕1号")]

    case_id = started["case"]["id"]
    assert client.get(f"/api/v1/cases/{case_id}", headers=auth("t1a")).status_code == 404  # hidden like a missing case
    assert client.get("/api/v1/tasks", headers=auth("t1a")).json() == []
    assert client.get(f"/api/v1/cases/{case_id}", headers=auth("c1")).status_code == 200
    assert caolin["id"] in [a["id"] for a in client.get("/api/v1/agencies", headers=auth("t1a")).json()]


def test_agency_edits_keep_numbers_unique_and_only_the_county_administrator_makes_them(client, auth, world):
    taken = client.post("/api/v1/agencies", json=CAOLIN | {"short_name": "遂泉"}, headers=auth("admin"))
    assert (taken.status_code, taken.json()["code"]) == (409, "agency_short_name_taken")
    same_code = client.post("/api/v1/agencies", json=CAOLIN | {"code": "quanjiang"}, headers=auth("admin"))
    assert (same_code.status_code, same_code.json()["code"]) == (409, "agency_code_taken")
    bureau = client.post("/api/v1/agencies", json=CAOLIN | {"kind": "county_bureau"}, headers=auth("admin"))
    assert (bureau.status_code, bureau.json()["code"]) == (422, "validation_failed")
    refused = client.post("/api/v1/agencies", json=CAOLIN, headers=auth("c1"))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")

    township = world.agencies.township.id
    edited = client.patch(f"/api/v1/agencies/{township}", json={"name": "泉江镇政府", "seal_name": "泉江镇人民政府"},
                          headers=auth("admin"))
    assert edited.status_code == 200, edited.text
    assert (edited.json()["name"], edited.json()["seal_name"], edited.json()["code"]) == ("泉江镇政府", "泉江镇人民政府", "quanjiang")
    moved = client.patch(f"/api/v1/agencies/{township}", json={"code": "other"}, headers=auth("admin"))
    assert moved.status_code == 422
    clash = client.patch(f"/api/v1/agencies/{township}", json={"short_name": "遂雩"}, headers=auth("admin"))
    assert (clash.status_code, clash.json()["code"]) == (409, "agency_short_name_taken")
