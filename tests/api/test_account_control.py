"""Separation of duties and account control (issue 18, item 6): an administrator never holds case roles,
a password reset or deactivation ends the account's sessions, and every account change is on an audit
trail the supervisor reads."""

from tests.api.conftest import PASSWORD


def _login(client, username, password=PASSWORD):
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_an_administrator_cannot_give_itself_or_anyone_case_roles_beside_admin(client, auth, world):
    refused = client.patch(f"/api/v1/users/{world.id('admin')}", headers=auth("admin"),
                           json={"roles": ["admin", "county_officer"]})
    assert (refused.status_code, refused.json()["code"]) == (422, "admin_role_exclusive")
    assert refused.json()["message"] == "系统管理员账号不能同时担任办案或监督角色(职责分离)"
    created = client.post("/api/v1/users", headers=auth("admin"), json={
        "username": "admin2", "display_name": "第二管理员", "password": "long-enough-1", "agency_id": world.agencies.county.id,
        "roles": ["admin", "supervisor"], "staff_category": "auxiliary"})
    assert created.json()["code"] == "admin_role_exclusive"
    assert client.get("/api/v1/cases", headers=auth("admin")).status_code == 403


def test_a_password_reset_or_deactivation_ends_existing_sessions(client, auth, world):
    old = _login(client, "t1a")
    assert client.get("/api/v1/me", headers=old).status_code == 200
    reset = client.patch(f"/api/v1/users/{world.id('t1a')}", headers=auth("admin"), json={"password": "new-password-9"})
    assert reset.status_code == 200
    stale = client.get("/api/v1/me", headers=old)
    assert (stale.status_code, stale.json()["code"]) == (401, "token_revoked")
    fresh = _login(client, "t1a", "new-password-9")
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    client.patch(f"/api/v1/users/{world.id('t1a')}", headers=auth("admin"), json={"active": False})
    assert client.get("/api/v1/me", headers=fresh).status_code == 401
    # a change of display name alone does not end sessions
    other = _login(client, "t1b")
    client.patch(f"/api/v1/users/{world.id('t1b')}", headers=auth("admin"), json={"display_name": "郭晓燕"})
    assert client.get("/api/v1/me", headers=other).status_code == 200


def test_account_changes_are_an_audit_trail_the_supervisor_reads_without_passwords(client, auth, world):
    client.patch(f"/api/v1/users/{world.id('t1a')}", headers=auth("admin"), json={"password": "new-password-9"})
    client.post("/api/v1/users", headers=auth("admin"), json={
        "username": "t1c", "display_name": "新执法员", "password": "long-enough-1", "agency_id": world.agencies.township.id,
        "roles": ["township_officer"], "staff_category": "officer"})
    events = client.get("/api/v1/users/events", headers=auth("supervisor"))
    assert events.status_code == 200
    recent = [(e["kind_label"], e["username"], e["actor_id"]) for e in events.json()[:2]]
    assert recent == [("创建账号", "t1c", world.id("admin")), ("修改账号", "t1a", world.id("admin"))]
    assert events.json()[1]["details"] == {"password": "(已重置)"}
    assert "new-password-9" not in events.text
    assert client.get("/api/v1/users/events", headers=auth("t1b")).status_code == 403


def test_another_jurisdictions_account_is_answered_like_a_missing_one(client, auth, world):
    created = client.post("/api/v1/users", headers=auth("admin"), json={
        "username": "t1admin", "display_name": "泉江镇管理员", "password": "long-enough-1",
        "agency_id": world.agencies.township.id, "roles": ["admin"], "staff_category": "auxiliary"})
    assert created.status_code == 201, created.text
    township_admin = _login(client, "t1admin", "long-enough-1")
    own = client.patch(f"/api/v1/users/{world.id('t1b')}", headers=township_admin, json={"display_name": "郭晓燕"})
    assert own.status_code == 200
    county = client.patch(f"/api/v1/users/{world.id('c1')}", headers=township_admin, json={"display_name": "改名"})
    missing = client.patch("/api/v1/users/999999", headers=township_admin, json={"display_name": "改名"})
    assert county.status_code == missing.status_code == 404
    assert county.json()["message"] == missing.json()["message"] == "用户不存在"
    assert client.get("/api/v1/users", headers=auth("admin")).json()  # the county account is unchanged
    assert [u["display_name"] for u in client.get("/api/v1/users", headers=auth("admin")).json()
            if u["id"] == world.id("c1")] == ["用户c1"]
