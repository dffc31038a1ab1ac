"""Issue 13: axe-core (vendored into the tests by scripts/vendor-web.sh, not served by the app) finds no
critical accessibility violation on the main pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.web.conftest import LAPTOP, PHONE

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CRITICAL = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter((v) => v.impact === 'critical')
    .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def critical_violations(page) -> list[str]:
    page.evaluate(AXE.read_text())  # evaluated through the DevTools protocol: the page's CSP does not apply
    return page.evaluate(CRITICAL)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_main_pages_have_no_critical_accessibility_violations(browser, viewport):
    base = browser.base
    found = {}
    anonymous = browser.page(viewport)
    anonymous.goto(f"{base}/login")
    found["login"] = critical_violations(anonymous)

    officer = browser.page(viewport, "county1")
    officer.goto(f"{base}/")
    found["inbox"] = critical_violations(officer)
    task_href = officer.locator("a.task-link").first.get_attribute("href")
    officer.goto(f"{base}/cases")
    found["case list"] = critical_violations(officer)
    officer.locator("#case-results a").first.click()
    officer.locator("#diagram[data-ready=true]").wait_for()
    found["case page"] = critical_violations(officer)
    officer.goto(f"{base}{task_href}")
    assert officer.locator("form.task-form").count() == 1
    found["task form"] = critical_violations(officer)

    admin = browser.page(viewport, "admin")
    admin.goto(f"{base}/admin/users")
    found["admin users"] = critical_violations(admin)
    admin.goto(f"{base}/admin/users/new")
    found["new user"] = critical_violations(admin)

    assert {page: problems for page, problems in found.items() if problems} == {}
