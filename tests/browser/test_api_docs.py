"""Issue 10: the API docs page (/docs) works with no network beyond the application itself (no CDN)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.api.conftest import API_MODELS

APP_ORIGIN = "http://zhifa.test"


@pytest.fixture
def app_client(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'zhifa.db'}")
    with TestClient(create_app(build_runtime(bpmn_dir=API_MODELS, engine=engine))) as client:
        yield client
    engine.dispose()


@pytest.mark.browser
def test_the_docs_page_draws_every_operation_from_vendored_files(chromium, app_client):
    page = chromium.new_page()
    elsewhere, errors = [], []

    def serve(route):
        url = urlparse(route.request.url)
        if f"{url.scheme}://{url.netloc}" != APP_ORIGIN:
            elsewhere.append(route.request.url)
            return route.abort()
        response = app_client.get(url.path)
        return route.fulfill(status=response.status_code, body=response.content,
                             headers={"content-type": response.headers.get("content-type", "application/octet-stream")})

    page.route("**/*", serve)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{APP_ORIGIN}/docs")
    page.wait_for_selector(".opblock-summary", timeout=20_000)
    summaries = page.locator(".opblock-summary-description").all_inner_texts()
    page.close()
    assert "发起检查, 或由报告发起案件" in summaries
    assert len(summaries) == len([op for path in app_client.get("/openapi.json").json()["paths"].values() for op in path])
    assert elsewhere == [] and errors == []
