"""The public (no-login) endpoints are rate limited per client address (issue 16): the 举报 form and API, the
publication page and its JSON feed answer 429 `rate_limited` with Retry-After once an address used up its requests."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from engine.settings import get_settings

CITIZEN = {"agency_code": "quanjiang", "category": "safety_production", "place": "工业大道8号",
           "description": "仓库堆放大量烟花爆竹", "reporter_name": "王秀英", "reporter_phone": "13907960001"}


@pytest.fixture
def app(runtime, agencies, frozen_clock, monkeypatch):
    monkeypatch.setenv("ZHIFA_PUBLIC_RATE_BURST", "3")
    monkeypatch.setenv("ZHIFA_PUBLIC_RATE_PER_MINUTE", "6")  # a request back every 10 seconds
    get_settings.cache_clear()
    return create_app(runtime)


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/public/publications"), ("GET", "/public/publications"),
                                          ("POST", "/api/v1/public/hazard-reports"), ("GET", "/public/hazard-report")])
def test_an_address_that_used_up_its_requests_waits_and_others_are_served(app, frozen_clock, method, path):
    with TestClient(app, client=("203.0.113.7", 5000)) as flooding, TestClient(app, client=("198.51.100.2", 5000)) as other:
        def send(client):
            return client.request(method, path, json=CITIZEN if method == "POST" else None)

        assert [send(flooding).status_code for _ in range(3)] == [201 if method == "POST" else 200] * 3
        refused = send(flooding)
        assert refused.status_code == 429 and refused.headers["retry-after"] == "10"
        if path.startswith("/api/"):
            assert refused.json()["code"] == "rate_limited" and refused.json()["message"] == "请求过于频繁, 请稍后再试"
        else:
            assert "请求过于频繁" in refused.text
        assert send(other).status_code in (200, 201)  # another address has its own bucket
        frozen_clock.at += timedelta(seconds=10)
        assert send(flooding).status_code in (200, 201)
        assert send(flooding).status_code == 429


def test_the_citizen_page_refuses_a_flood_of_reports_from_one_address(app):
    with TestClient(app, client=("203.0.113.9", 5000)) as client:
        form = client.get("/public/hazard-report")
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text).group(1)
        fields = {**CITIZEN, "csrf_token": token}
        assert [client.post("/public/hazard-report", data=fields).status_code for _ in range(3)] == [200, 200, 429]
