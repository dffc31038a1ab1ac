"""Issue 13 leftovers: the annual plans and the power lists on the web, over the same services as /api/v1.

A township officer draws the year's plan in the page, sees the drawn units, months and officers, and takes it
through its approval steps to 计划已公布; the county bureau keeps a township's power list (adds an item, uploads
the entrustment letter, ends the item) while the township only reads it.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine
from engine.rules.violations import catalogue
from tests.api.test_annual_plan import register
from tests.api.test_web_records import browser_for

SEED = 20261206


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the annual_plan process; the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def open_step(page: str) -> str:
    match = re.search(r'href="/tasks/([0-9a-f-]+)"', page)
    assert match, page[-2000:]
    return match.group(1)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_township_officer_draws_the_plan_and_takes_it_to_publication_in_the_pages(client, auth, world):
    for serial in range(1, 5):
        register(client, auth, world, serial, key_target=serial == 1)
    browser, token = browser_for(client.app, world, "t1a")
    home = browser.get("/").text
    assert 'href="/plans"' in home and 'href="/powers"' in home  # the nav offers both

    listing = browser.get("/plans").text
    assert "抽取生成计划草案" in listing and "尚无年度计划" in listing
    bad = browser.post("/plans", data={"csrf_token": token, "year": "27"})
    assert bad.status_code == 422 and "请填写计划年度" in bad.text
    assert browser.post("/plans", data={"year": "2027"}).status_code == 403  # no CSRF token

    drawn = browser.post("/plans", data={"csrf_token": token, "year": "2027", "seed": str(SEED)})
    assert drawn.status_code == 303, drawn.text[-2000:]
    plan_url = drawn.headers["location"]
    page = browser.get(plan_url).text
    assert "2027年度监督检查计划" in page and str(SEED) in page and "计划编制中" in page
    assert world.users["t1a"].display_name in page and world.users["t1b"].display_name in page
    assert "提交年度计划草案" in page

    submitted = browser.post(f"/tasks/{open_step(page)}", data={
        "csrf_token": token, "submitted_on": "2026-03-02", "plan_note": "重点检查对象全覆盖, 其他对象随机抽取30%"})
    assert submitted.status_code == 303, submitted.text[-2000:]
    page = browser.get(plan_url).text
    assert "登记党委政府审定结果" in page and "计划审批中" in page
    approved = browser.post(f"/tasks/{open_step(page)}", data={
        "csrf_token": token, "plan_approved": "true", "approval_opinion": "同意", "approved_on": "2026-03-02",
        "approval_ref": "泉党政纪〔2026〕3号"})
    assert approved.status_code == 303, approved.text[-2000:]
    page = browser.get(plan_url).text
    assert "计划已公布" in page and "各月检查到月初自动发起" in page

    again = browser.post("/plans", data={"csrf_token": token, "year": "2027"})
    assert again.status_code == 409 and "2027年度计划已公布" in again.text
    other, _ = browser_for(client.app, world, "t2a")  # another township: not its plan
    hidden = other.get(plan_url)
    assert hidden.status_code == 404 and "年度计划不存在或无权查看" in hidden.text
    assert "尚无年度计划" in other.get("/plans").text


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_county_keeps_a_township_power_list_in_the_page_and_the_township_reads_it(client, world):
    township = world.agencies.township.id
    county, token = browser_for(client.app, world, "c1")
    assert f'href="/powers/{township}"' in county.get("/powers").text
    page = county.get(f"/powers/{township}").text
    assert "增加委托或赋权事项" in page and "按默认清单" in page

    code = next(iter(catalogue()))
    item = {"csrf_token": token, "item_code": "QJ-001", "name": "未按规定开展安全培训", "mode": "entrusted",
            "violation_codes": f"{code}, NOPE-1", "penalty_kinds": ["warning", "fine"], "valid_from": "2026-03-02"}
    wrong = county.post(f"/powers/{township}/items", data=item)
    assert wrong.status_code == 422 and 'id="e-violation_codes"' in wrong.text and "NOPE-1" in wrong.text
    assert 'value="未按规定开展安全培训"' in wrong.text  # what was typed is kept
    added = county.post(f"/powers/{township}/items", data={**item, "violation_codes": code})
    assert added.status_code == 303, added.text[-2000:]
    page = county.get(f"/powers/{township}").text
    assert "未按规定开展安全培训" in page and "警告、罚款" in page
    item_id = re.search(r'action="/powers/items/(\d+)/letter"', page.split("未按规定开展安全培训")[1]).group(1)

    upload = {"X-CSRF-Token": token, "Accept": "application/json"}  # as the page's script sends it
    forged = county.post(f"/powers/items/{item_id}/letter", files={"letter": ("委托书.pdf", PDF, "application/pdf")})
    assert forged.status_code == 403
    not_pdf = county.post(f"/powers/items/{item_id}/letter", headers=upload,
                          files={"letter": ("委托书.pdf", b"MZ not a pdf", "application/pdf")})
    assert not_pdf.status_code == 422 and not_pdf.json()["code"] == "power_letter_type"
    letter = county.post(f"/powers/items/{item_id}/letter", headers=upload,
                         files={"letter": ("泉江镇委托书.pdf", PDF, "application/pdf")})
    assert letter.status_code == 303, letter.text[-2000:]
    page = county.get(f"/powers/{township}").text
    assert "泉江镇委托书.pdf" in page and hashlib.sha256(PDF).hexdigest() in page

    ended = county.post(f"/powers/items/{item_id}/end", data={"csrf_token": token, "effective_on": "2026-04-01"})
    assert ended.status_code == 303, ended.text[-2000:]
    page = county.get(f"/powers/{township}").text
    assert "取消" in page.split("变更记录")[1]

    officer, officer_token = browser_for(client.app, world, "t1a")
    assert officer.get("/powers").headers["location"] == f"/powers/{township}"  # its own list only
    read = officer.get(f"/powers/{township}?on=2026-03-01").text
    assert "执法事项清单" in read and "增加委托或赋权事项" not in read
    refused = officer.post(f"/powers/{township}/items", data={**item, "csrf_token": officer_token,
                                                             "violation_codes": code})
    assert refused.status_code == 403 and "只有县局" in refused.text
    sibling, _ = browser_for(client.app, world, "t2a")
    assert sibling.get(f"/powers/{township}").status_code == 404
