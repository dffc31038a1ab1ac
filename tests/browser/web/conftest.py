"""`zhifa serve --demo` in a subprocess on a free 127.0.0.1 port, and Chromium pages signed in as its demo users.

The server runs on SQLite in a fresh data directory with the demo county seeded, on a clock frozen
inside 2026 (ZHIFA_NOW). Every page fails its test if it asked for anything outside the server or
logged an error (a Content-Security-Policy violation is logged as one).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.services.http_server import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "docs" / "screenshots"
NOW = "2026-06-15T09:00:00+08:00"
SECRET = "web-test-secret-key-0123456789abcdef"
PASSWORD = "zhifa-demo-2026"
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
LAPTOP = {"width": 1366, "height": 768}
LOAD_FAILED = "Failed to load resource"  # Chromium's line for a response of status >= 400, recorded with its URL below


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The base URL of a running `zhifa serve --demo`."""
    data = tmp_path_factory.mktemp("web-data")
    port = free_port()
    env = {**os.environ, "ZHIFA_DATA_DIR": str(data), "ZHIFA_NOW": NOW, "ZHIFA_SECRET_KEY": SECRET,
           "ZHIFA_PDF_RENDITION": "false", "PYTHONPATH": str(ROOT),
           "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1"}  # where `zhifa serve` refuses ZHIFA_NOW without it
    for name in ("ZHIFA_DATABASE_URL", "ZHIFA_S3_ENDPOINT"):
        env.pop(name, None)
    log = data / "serve.log"  # a file, not a pipe: a full pipe would stall the server
    process = subprocess.Popen([sys.executable, "-m", "api", "serve", "--demo", "--host", "127.0.0.1", "--port", str(port)],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(f"{base}/api/v1/health", process, describe_exit=lambda: log.read_text(errors="replace"))
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Browser:
    """Opens pages on the server; records requests that left it and errors the pages logged."""

    chromium: object
    base: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)
    expected_statuses: set[int] = field(default_factory=set)  # refusals a test provokes on purpose

    def page(self, viewport: dict = LAPTOP, username: str | None = None):
        context = self.chromium.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.on("request", lambda r: None if r.url.startswith((self.base, "data:", "blob:")) else self.outside.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" and not m.text.startswith(LOAD_FAILED) else None)
        page.on("response", lambda r: self.errors.append(f"{r.status} {r.request.method} {r.url}")
                if r.status >= 400 and r.status not in self.expected_statuses else None)
        if username:
            login(page, self.base, username)
        return page


def login(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def browser(chromium, server):
    opened = Browser(chromium, server)
    yield opened
    for context in opened.contexts:
        context.close()
    assert opened.outside == [], "pages asked for something outside the server"
    assert opened.errors == [], "pages logged errors"


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """docs/screenshots/<name>.png, shown in the README."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def api_client(base: str, username: str) -> httpx.Client:
    """The JSON API as one demo user, to set cases up quickly where a test is about something else."""
    token = httpx.post(f"{base}/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()
    return httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token['access_token']}"},
                        timeout=30)


def officer_entry(base: str, username: str) -> dict:
    """How a form names a demo officer: account id, registered name and certificate number."""
    me = api_client(base, username).get("/me").json()
    return {"user_id": me["id"], "name": me["display_name"], "certificate_no": me["certificate_number"]}
