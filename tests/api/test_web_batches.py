"""Issues 13/15 on the web: from the county's annual plan page an officer of the bureau organises a special
inspection (filters, optional seed), lands on the batch page that shows the recorded seed and inputs, each drawn
unit with its officer pair and the inspection started for it; a batch whose start was interrupted shows what is
missing and is finished from its page without doubling anything; the plan page lists the batch."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.api.test_inspection_batches import allow_case_links, refuse_case_links_of, register
from tests.api.test_web_plans_powers import runtime  # noqa: F401  (the real-models runtime fixture)
from tests.api.test_web_records import browser_for

SEED = 20260615


def county_plan(client, auth) -> int:
    created = client.post("/api/v1/plans", headers=auth("c1"), json={"year": 2026, "seed": SEED})
    assert created.status_code == 201, created.text
    return created.json()["id"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_county_organises_a_special_inspection_from_its_plan_page(client, auth, world, runtime):  # noqa: F811
    a = world.agencies
    chem = [register(client, auth, a.township.id, 51 + i, industry="hazardous_chemicals", assigned_level="township")
            for i in range(3)]
    register(client, auth, a.township.id, 59, industry="fireworks", assigned_level="township")  # filtered out
    plan_id = county_plan(client, auth)
    browser, token = browser_for(client.app, world, "c1")
    assert f'href="/plans/{plan_id}/batches/new"' in browser.get(f"/plans/{plan_id}").text
    form = browser.get(f"/plans/{plan_id}/batches/new").text
    assert "危险化学品" in form and "随机种子" in form and 'name="csrf_token"' in form

    body = {"csrf_token": token, "kind": "special", "title": "危险化学品专项检查", "industries": "hazardous_chemicals",
            "seed": str(SEED)}
    assert browser.post(f"/plans/{plan_id}/batches", data=body | {"title": ""}).status_code == 422
    refuse_case_links_of(runtime.engine, chem[1])
    with pytest.raises(sa.exc.DBAPIError, match="injected failure"):
        browser.post(f"/plans/{plan_id}/batches", data=body)
    listing = browser.get(f"/plans/{plan_id}").text
    assert "危险化学品专项检查" in listing and "1 / 3 家" in listing
    batch_url = re.search(r'href="(/plans/batches/\d+)"', listing).group(1)

    page = browser.get(batch_url).text
    assert str(SEED) in page and "专项检查" in page and "行业</dt><dd>危险化学品" in page
    assert "还有 2 家尚未发起检查" in page and "继续发起未发起的检查" in page
    allow_case_links(runtime.engine)
    resumed = browser.post(f"{batch_url}/start", data={"csrf_token": token})
    assert (resumed.status_code, resumed.headers["location"]) == (303, batch_url)

    page = browser.get(batch_url).text
    assert "未发起" not in page
    rows = re.findall(r"<tr><td data-label=\"检查对象\">(.*?)</tr>", page, re.S)
    assert len(rows) == 3 and all("检查中" in row and 'href="/cases/' in row for row in rows)
    pair = {f"用户{name}" for name in ("t1a", "t1b")}  # the township's only certified officers
    assert all(set(re.search(r'data-label="执法人员">(.*?)</td>', row).group(1).split("、")) == pair for row in rows)
    assert len({re.search(r'href="/cases/(\d+)"', row).group(1) for row in rows}) == 3
    assert "3 / 3 家" in browser.get(f"/plans/{plan_id}").text

    head, _ = browser_for(client.app, world, "head")  # reads the plan and its batches, does not organise them
    plan_page = head.get(f"/plans/{plan_id}").text
    assert "危险化学品专项检查" in plan_page and f'href="/plans/{plan_id}/batches/new"' not in plan_page
    assert head.get(f"/plans/{plan_id}/batches/new").status_code == 403
