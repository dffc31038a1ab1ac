"""Credit events in a unit's file (一企一档, issues #14/#15), over HTTP: its penalty decision published, a credit repair
(信用修复) an officer records, and the publication's withdrawal — the first and last read from the publication itself.
A township officer, who may not see the county's case, sees none of them and cannot repair them.
"""

import re

import pytest

from api.identity.security import issue_token
from api.targets.service import link_case
from api.web.session import SESSION_COOKIE
from tests.api.register_entries import entry
from tests.procedure import steps
from tests.procedure.http_actors import add_township_officer, http_actors
from tests.procedure.test_publication import published_case

BASIS = "当事人已履行行政处罚决定，公示期满三个月，经申请予以信用修复"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    add_township_officer(runtime, agencies, actors)
    with client:
        yield actors


def repair(http, username: str, target_id: int, body: dict):
    return http.client.post(f"/api/v1/targets/{target_id}/credit-repairs", json=body, headers=http.headers(username))


def repair_on_the_page(http, username: str, target_id: int, body: dict):
    """The officer fills in the form under the publication on the unit's page."""
    http.client.cookies.set(SESSION_COOKIE, issue_token(http.user_ids[username]).token)
    try:
        page = http.client.get(f"/targets/{target_id}").text
        assert f'name="publication_id" value="{body["publication_id"]}"' in page
        token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
        return http.client.post(f"/targets/{target_id}/credit-repairs", data={"csrf_token": token, **body},
                                follow_redirects=False)
    finally:
        http.client.cookies.clear()


def test_the_units_file_lists_its_publication_repair_and_withdrawal(county_case, agencies, http):
    created = http.client.post("/api/v1/targets", json=entry(agencies.township.id, 7), headers=http.headers("officer"))
    assert created.status_code == 201, created.text
    target_id = created.json()["id"]
    case = published_case(county_case)
    link_case(case.runtime.engine, target_id, case.case.id)

    [published] = http.get(f"/targets/{target_id}", "officer")["credit_events"]
    assert (published["kind"], published["kind_label"], published["on"], published["case_id"]) == (
        "published", "行政处罚信息公示", "2026-03-19", case.case.id)
    assert http.get(f"/targets/{target_id}", "township")["credit_events"] == []  # the county's case is not theirs

    body = {"publication_id": published["publication_id"], "repaired_on": "2026-03-30", "basis": BASIS}
    refused = repair(http, "officer", target_id, body | {"repaired_on": "2026-03-31"})
    assert (refused.status_code, refused.json()["code"]) == (422, "repaired_on_in_future")
    assert refused.json()["message"] == "修复日期不能晚于今天"
    hidden = repair(http, "township", target_id, body)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "publication_not_found")
    assert "登记信用修复" not in http.web_page("township", f"/targets/{target_id}")
    recorded = repair_on_the_page(http, "officer", target_id, body)
    assert recorded.status_code == 303, recorded.text[-1500:]
    assert recorded.headers["location"] == f"/targets/{target_id}#credit-events"
    events = http.get(f"/targets/{target_id}", "officer")["credit_events"]
    assert [(e["kind_label"], e["on"], e["detail"], e["by"]) for e in events] == [
        ("行政处罚信息公示", "2026-03-19", "", ""), ("信用修复", "2026-03-30", BASIS, "用户officer")]
    assert "登记信用修复" not in http.web_page("officer", f"/targets/{target_id}")  # repaired: no form left
    twice = repair(http, "officer", target_id, body)
    assert (twice.status_code, twice.json()["code"]) == (409, "credit_already_repaired")

    revoked = steps.remedy("reconsideration", "2026-04-10", "revoked", "2026-05-15")
    case.complete("填写结案审批表", steps.closing_with_remedies(revoked), on="2026-05-18")
    case.complete("撤回公示", steps.publication_withdrawal("2026-05-19"), on="2026-05-19")
    events = http.get(f"/targets/{target_id}", "officer")["credit_events"]
    assert [(e["kind"], e["on"]) for e in events] == [
        ("published", "2026-03-19"), ("repaired", "2026-03-30"), ("withdrawn", "2026-05-19")]
    assert events[-1]["detail"] == "行政处罚决定已被行政复议机关撤销"

    page = http.web_page("officer", f"/targets/{target_id}")
    assert "<h2>信用记录</h2>" in page
    rows = page.split('id="credit-events"')[1].split("</table>")[0]
    assert [rows.index(label) for label in ("行政处罚信息公示", "信用修复", "撤回公示")] == sorted(
        rows.index(label) for label in ("行政处罚信息公示", "信用修复", "撤回公示"))
    assert BASIS in rows and "行政处罚决定已被行政复议机关撤销" in rows


def test_the_units_change_record_reads_in_local_time_and_names_the_fields_in_chinese(agencies, http):
    created = http.client.post("/api/v1/targets", json=entry(agencies.township.id, 8), headers=http.headers("officer"))
    target_id = created.json()["id"]
    changed = http.client.patch(f"/api/v1/targets/{target_id}", json={"risk_level": "较大", "key_target": True},
                                headers=http.headers("officer"))
    assert changed.status_code == 200, changed.text

    page = http.web_page("officer", f"/targets/{target_id}")
    record = page[page.index("<h2>变更记录</h2>"):]
    assert "2026年3月2日 09:00" in record  # the frozen clock's 09:00 in Beijing time, not 01:00 UTC
    assert "风险等级、重点检查对象" in record
    assert "risk_level" not in record and "T01:00" not in record
