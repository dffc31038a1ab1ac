"""Login floods: an account or a client address with repeated failures is refused for a while (429 with
Retry-After), the lockout is on the accounts' audit trail, and a wrong password is hashed with no write
transaction open (issue 18, item 2)."""

import sqlite3
import threading

import pytest
from sqlmodel import Session, select

from api.identity import login as identity_login
from api.identity.models import AccountEvent
from tests.api.conftest import PASSWORD


def _login(client, username, password):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_five_failures_lock_the_account_until_the_window_passes(client, world, runtime, frozen_clock):
    for _ in range(5):
        assert _login(client, "t1a", "wrong").json()["code"] == "login_failed"
    locked = _login(client, "t1a", PASSWORD)  # even the right password, while locked
    assert (locked.status_code, locked.json()["code"]) == (429, "too_many_attempts")
    assert locked.json()["message"] == "登录失败次数过多, 账号已暂时锁定, 请15分钟后再试"
    assert locked.headers["Retry-After"] == "900"
    assert _login(client, "t1b", PASSWORD).status_code == 200  # other accounts are not affected
    with Session(runtime.engine) as session:
        events = session.exec(select(AccountEvent).where(AccountEvent.kind == "login_locked")).all()
    assert [(e.kind, e.username, e.user_id) for e in events] == [("login_locked", "t1a", world.id("t1a"))]
    frozen_clock.advance(minutes=14)
    assert _login(client, "t1a", PASSWORD).headers["Retry-After"] == "60"
    frozen_clock.advance(minutes=1)
    assert _login(client, "t1a", PASSWORD).status_code == 200


def test_a_success_forgets_the_accounts_failures(client, world, frozen_clock):
    for _ in range(4):
        _login(client, "t1a", "wrong")
    assert _login(client, "t1a", PASSWORD).status_code == 200
    for _ in range(4):
        _login(client, "t1a", "wrong")
    assert _login(client, "t1a", PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_throttled(client, world, frozen_clock):
    for n in range(30):
        assert _login(client, f"nobody{n}", "wrong").status_code == 401
    refused = _login(client, "t1a", PASSWORD)
    assert (refused.status_code, refused.json()["code"]) == (429, "too_many_attempts")
    assert refused.json()["message"].startswith("本机登录失败次数过多")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_hashing_a_wrong_password_holds_no_write_lock(client, world, runtime, monkeypatch, frozen_clock):
    hashing, release = threading.Event(), threading.Event()
    real_verify = identity_login.verify_password

    def slow_verify(password, password_hash):
        hashing.set()
        release.wait(10)
        return real_verify(password, password_hash)

    monkeypatch.setattr(identity_login, "verify_password", slow_verify)
    attempt = threading.Thread(target=_login, args=(client, "t1a", "wrong"))
    attempt.start()
    try:
        assert hashing.wait(10)
        writer = sqlite3.connect(runtime.engine.url.database, timeout=0.5, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")  # raises 'database is locked' if the login held the write lock
        writer.execute("ROLLBACK")
        writer.close()
    finally:
        release.set()
        attempt.join(10)
