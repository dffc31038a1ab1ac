"""Login, the current user, and the error model on authentication failures."""

from engine.settings import get_settings
from tests.api.conftest import PASSWORD


def test_login_returns_a_token_that_identifies_the_user(client):
    response = client.post("/api/v1/auth/login", json={"username": "t1a", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_at"] == "2026-03-02T17:00:00+08:00"  # 8 hours after 09:00, in China time as every API time
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert (me["username"], me["agency"]["name"], me["roles"]) == ("t1a", "泉江镇人民政府", ["township_officer"])
    assert (me["staff_category_label"], me["certificate_valid"]) == ("执法人员", True)


def test_wrong_password_and_missing_token_answer_401_in_the_error_model(client):
    wrong = client.post("/api/v1/auth/login", json={"username": "t1a", "password": "not-the-password"})
    assert wrong.status_code == 401
    assert wrong.json() == {"code": "login_failed", "message": "用户名或密码错误, 或账号已停用", "details": None}
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthenticated" and anonymous.json()["message"] == "请先登录"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert (forged.status_code, forged.json()["code"]) == (401, "unauthenticated")


def test_an_expired_token_is_refused(client, auth, frozen_clock):
    from datetime import timedelta

    headers = auth("t1a")
    frozen_clock.at += timedelta(hours=8, seconds=1)
    response = client.get("/api/v1/me", headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_a_deactivated_user_cannot_use_an_old_token_or_log_in(client, auth, world):
    headers = auth("t1b")
    changed = client.patch(f"/api/v1/users/{world.id('t1b')}", json={"active": False}, headers=auth("admin"))
    assert changed.status_code == 200 and changed.json()["active"] is False
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    login = client.post("/api/v1/auth/login", json={"username": "t1b", "password": PASSWORD})
    assert login.status_code == 401


def test_admin_creates_a_user_who_can_log_in_and_only_admin_may(client, auth, world):
    body = {"username": "new-officer", "display_name": "赵新", "password": "long-enough-1",
            "agency_id": world.agencies.park.id, "roles": ["township_officer"], "staff_category": "officer",
            "certificate_number": "赣36080099", "certificate_expires": "2027-01-01"}
    assert client.post("/api/v1/users", json=body, headers=auth("head")).status_code == 403
    created = client.post("/api/v1/users", json=body, headers=auth("admin"))
    assert created.status_code == 201
    assert created.json()["certificate_valid"] is True
    again = client.post("/api/v1/users", json=body, headers=auth("admin"))
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    bad_role = client.post("/api/v1/users", json={**body, "username": "x2", "roles": ["mayor"]}, headers=auth("admin"))
    assert (bad_role.status_code, bad_role.json()["code"]) == (422, "validation_failed")
    login = client.post("/api/v1/auth/login", json={"username": "new-officer", "password": "long-enough-1"})
    assert login.status_code == 200


def test_the_app_reads_the_one_settings_object(client, monkeypatch):
    """No copy of the settings on the app: a changed setting is what login uses, as the rest of zhifa does."""
    monkeypatch.setenv("ZHIFA_TOKEN_TTL_MINUTES", "5")
    get_settings.cache_clear()
    response = client.post("/api/v1/auth/login", json={"username": "t1a", "password": PASSWORD})
    assert response.json()["expires_at"] == "2026-03-02T09:05:00+08:00"  # 09:05 Shanghai
