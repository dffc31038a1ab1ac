"""An API over the small test models in tests/api/models, with Suichuan's agencies and a user per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build_runtime
from api.identity.models import StaffCategory, User
from api.identity.security import hash_password, issue_token
from api.identity.service import create_user
from engine.db import get_engine, transaction
from engine.settings import get_settings
from tests.factories import Agencies, seed_agencies

API_MODELS = Path(__file__).parent / "models"
PASSWORD = "correct-horse-9"
VALID = date(2028, 12, 31)

# username: (agency attribute, roles, staff category, certificate expiry)
USERS = {
    "t1a": ("township", ["township_officer"], StaffCategory.officer, VALID),
    "t1b": ("township", ["township_officer"], StaffCategory.officer, VALID),
    "t1aux": ("township", ["township_officer"], StaffCategory.auxiliary, None),
    "t1expired": ("township", ["township_officer"], StaffCategory.officer, date(2026, 3, 1)),
    "t2a": ("other_township", ["township_officer"], StaffCategory.officer, VALID),
    "t2b": ("other_township", ["township_officer"], StaffCategory.officer, VALID),
    "c1": ("county", ["county_officer"], StaffCategory.officer, VALID),
    "c2": ("county", ["county_officer"], StaffCategory.officer, VALID),
    "c_reviewer": ("county", ["county_officer", "legal_reviewer"], StaffCategory.officer, VALID),
    "reviewer": ("county", ["legal_reviewer"], StaffCategory.officer, VALID),
    "host": ("county", ["hearing_host"], StaffCategory.officer, VALID),
    "head": ("county", ["agency_head"], StaffCategory.officer, VALID),
    "supervisor": ("county", ["supervisor"], StaffCategory.officer, VALID),
    "admin": ("county", ["admin"], StaffCategory.auxiliary, None),
}


@dataclass
class World:
    agencies: Agencies
    users: dict[str, User]

    def id(self, username: str) -> int:
        return self.users[username].id

    def officer(self, username: str) -> dict:
        """How a form names an officer taking part in a step."""
        user = self.users[username]
        return {"user_id": user.id, "name": user.display_name, "certificate_no": user.certificate_number}


@pytest.fixture(autouse=True)
def signing_key(zhifa_env, monkeypatch):
    """Replicas share ZHIFA_SECRET_KEY; PostgreSQL runs refuse to start without one."""
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "test-signing-key-" + "k" * 32)
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def runtime(db_url):
    engine = get_engine(db_url)
    yield build_runtime(bpmn_dir=API_MODELS, engine=engine)
    engine.dispose()


@pytest.fixture
def world(runtime, password_hash) -> World:
    agencies = seed_agencies(runtime.engine)
    users = {}
    with transaction(runtime.engine) as session:
        for username, (agency, roles, staff, expires) in USERS.items():
            users[username] = create_user(
                session, username=username, display_name=f"用户{username}", password=PASSWORD,
                password_hash=password_hash, agency_id=getattr(agencies, agency).id, roles=roles,
                staff_category=staff, certificate_number=f"赣3608{len(users):04d}" if expires else None,
                certificate_expires=expires)
    return World(agencies, users)


@pytest.fixture
def client(runtime, world, frozen_clock):
    with TestClient(create_app(runtime)) as test_client:
        yield test_client


@pytest.fixture
def auth(world):
    """Bearer headers for a test user (a token issued directly; login itself is tested separately)."""

    def headers(username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {issue_token(world.id(username)).token}"}

    return headers


PARTY = {"kind": "unit", "name": "遂川县某家具厂"}


def start_inspection(client, headers, agency_id: int, **extra) -> dict:
    body = {"process": "inspection_api", "agency_id": agency_id, "party": PARTY, "title": "日常检查", **extra}
    response = client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def store_kind(request, monkeypatch) -> str:
    """Object storage for the test: the local directory, or the real S3 server (ZHIFA_S3_* set)."""
    if request.param == "s3":
        for name, value in request.getfixturevalue("s3_env").items():
            monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return request.param
