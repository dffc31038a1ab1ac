"""The demo county seeds once, and its published logins work."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from api.identity.models import User
from api.identity.seed import seed_demo
from engine.models import Agency


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_demo_seed_is_idempotent_and_demo_users_log_in(runtime, frozen_clock):
    first = seed_demo(runtime.engine)
    assert (first.agencies_added, first.users_added) == (5, 18)
    again = seed_demo(runtime.engine)
    assert (again.agencies_added, again.users_added) == (0, 0)
    with Session(runtime.engine) as session:
        names = sorted(a.name for a in session.exec(select(Agency)))
        aux = session.exec(select(User).where(User.username == "quanjiang-aux")).one()
        grid = session.exec(select(User).where(User.username == "quanjiang-grid")).one()
        water = session.exec(select(User).where(User.username == "quanjiang-water")).one()
    assert names == sorted(["遂川县应急管理局", "泉江镇人民政府", "雩田镇人民政府", "珠田乡人民政府", "遂川工业园区管委会"])
    assert (aux.staff_category, aux.certificate_number) == ("auxiliary", None)
    assert (grid.roles, grid.grid) == (["grid_member"], "城南社区网格")
    assert (water.roles, water.department) == (["department"], "乡镇水利站")  # summoned by 吹哨 for floods
    with TestClient(create_app(runtime)) as client:
        token = client.post("/api/v1/auth/login", json={"username": "quanjiang1", "password": "zhifa-demo-2026"})
        assert token.status_code == 200
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"}).json()
    assert (me["display_name"], me["agency"]["short_name"], me["certificate_valid"]) == ("刘建华", "遂泉", True)
