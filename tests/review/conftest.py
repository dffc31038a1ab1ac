"""Archived case files of several units for a review plan: the demo case (`zhifa demo`) played a few times, each
file then filed under the unit named (as historical files of that unit would be), and an API client per user."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import select

from api.app import create_app
from api.demo import PARTY, SCRIPT, RuntimeDriver, demo_users
from engine.db import read_session, transaction
from engine.models import Agency, Case

PASSWORD = "zhifa-demo-2026"


@dataclass
class ReviewWorld:
    runtime: object
    client: TestClient
    cases: dict[str, int]  # unit code → archived case id
    agencies: dict[str, int]
    tokens: dict[str, str]

    def headers(self, username: str) -> dict[str, str]:
        if username not in self.tokens:
            response = self.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def call(self, method: str, path: str, username: str, **kwargs):
        return self.client.request(method, f"/api/v1{path}", headers=self.headers(username), **kwargs)

    def plan(self, **overrides) -> dict:
        body = {"title": "2026年度案卷评查", "period_from": "2026-01-01", "period_to": "2026-12-31",
                "unit_ids": sorted(self.agencies.values()), "share_percent": 100, "minimum_per_unit": 1,
                "always_include": [], "township_reviewers": True} | overrides
        response = self.call("POST", "/review-plans", "supervisor", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def drawn_plan(self, **overrides) -> dict:
        plan = self.plan(**overrides)
        assert self.call("POST", f"/review-plans/{plan['id']}/approve", "head").status_code == 200
        response = self.call("POST", f"/review-plans/{plan['id']}/draw", "supervisor")
        assert response.status_code == 200, response.text
        return response.json()


def play_cases(runtime, units: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    users = demo_users(runtime)
    cases = {}
    for unit in units:
        cases[unit] = RuntimeDriver(runtime, lambda line: None, users).play({"kind": "unit", **PARTY}, SCRIPT).case.id
    with read_session(runtime.engine) as session:
        agencies = {a.code: a.id for a in session.exec(select(Agency))}
    with transaction(runtime.engine) as session:
        for unit, case_id in cases.items():
            session.exec(sa.update(Case).where(Case.id == case_id).values(agency_id=agencies[unit]))
    return cases, agencies


@pytest.fixture
def review_world(app_runtime) -> ReviewWorld:
    cases, agencies = play_cases(app_runtime, ["quanjiang", "yutian", "suichuan-em"])
    with TestClient(create_app(app_runtime)) as client:
        yield ReviewWorld(app_runtime, client, cases, agencies, {})
