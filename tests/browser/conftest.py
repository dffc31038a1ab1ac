"""A headless Chromium (Debian's) showing tests/browser/harness.html with the vendored viewers.

Pages are served by Playwright's request routing from files on disk under a made-up origin, so
nothing reaches the network: any request the harness makes for a file that is not there is
aborted and recorded, and the tests fail on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HARNESS_ORIGIN = "http://harness.zhifa.test"
HARNESS_FILE = Path(__file__).with_name("harness.html")
VENDOR_DIR = Path(__file__).resolve().parents[2] / "api" / "static" / "vendor"


@dataclass
class Harness:
    """The harness page, with what went wrong while it ran."""

    page: object
    unserved_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def evaluate(self, function: str, argument=None):
        return self.page.evaluate(function, argument)


def _served_file(url: str) -> Path | None:
    parsed = urlparse(url)
    if f"{parsed.scheme}://{parsed.netloc}" != HARNESS_ORIGIN:
        return None
    if parsed.path == "/harness.html":
        return HARNESS_FILE
    if parsed.path.startswith("/vendor/"):
        candidate = (VENDOR_DIR / parsed.path.removeprefix("/vendor/")).resolve()
        if candidate.is_relative_to(VENDOR_DIR) and candidate.is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash scripts/setup-system.sh` as root (it installs Debian's chromium)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def harness(chromium):
    """A fresh harness page; fails the test if the page requested a file it could not be served."""
    page = chromium.new_page(viewport={"width": 1600, "height": 900})
    harness = Harness(page)

    def serve(route):
        served = _served_file(route.request.url)
        if served is None:
            harness.unserved_requests.append(route.request.url)
            route.abort()
        else:
            route.fulfill(path=served)

    page.route("**/*", serve)
    page.on("pageerror", lambda error: harness.page_errors.append(str(error)))
    page.goto(f"{HARNESS_ORIGIN}/harness.html")
    page.wait_for_load_state("load")
    yield harness
    page.close()
    assert harness.unserved_requests == [], "the harness asked for files that are not vendored"
    assert harness.page_errors == [], "uncaught errors in the harness page"
