"""The 24-hour transfer after a criminal referral is approved (issue #11.4; M54 Art. 7, 国务院令第310号): a due
instant, not a day. Approved at 10:00 on 15 April 2026, the transfer is due at 10:00 on 16 April; at 11:00 that
day the officer's inbox shows it overdue (a date-based limit would not, the date being today), and a transfer
after the instant needs a recorded reason (`late_transfer_reason_required`)."""

from datetime import datetime

import pytest

from engine import record
from engine.db import read_session
from tests.conftest import SHANGHAI
from tests.procedure import steps
from tests.procedure.http_actors import http_actors
from tests.procedure.test_e6_referral import referred

TRANSFER = "移送公安机关并抄送检察院"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def approved_for_referral(case):
    referred(case)
    case.complete("成立专案组并制作移送报告", steps.referral_team("2026-04-13"))
    case.complete("审批是否移送公安机关", steps.referral_approval("2026-04-15"), on="2026-04-15")  # at 10:00
    return case


def transfer_task(http, case) -> dict:
    [task] = [t for t in http.inbox("officer", case.case.id) if t["name"] == TRANSFER]
    return task


def transfer_event(case) -> dict:
    with read_session(case.runtime.engine) as session:
        [event] = [e for e in record.events(session, case.case.id) if e.task_name == TRANSFER]
    return event


def test_a_transfer_after_the_24_hours_is_overdue_by_the_hour_and_needs_a_recorded_reason(county_case, http):
    case = approved_for_referral(county_case)
    task = transfer_task(http, case)
    assert datetime.fromisoformat(task["due_at"]) == datetime(2026, 4, 16, 10, 0, tzinfo=SHANGHAI)
    assert (task["due_on"], task["overdue"]) == ("2026-04-16", False)
    assert "04月16日10:00前到期" in http.web_page("officer", "/")

    case.clock.at = datetime(2026, 4, 16, 9, 59, tzinfo=SHANGHAI)
    assert transfer_task(http, case)["overdue"] is False
    case.clock.at = datetime(2026, 4, 16, 11, 0, tzinfo=SHANGHAI)
    assert transfer_task(http, case)["overdue"] is True  # same day, past the hour
    assert "已超时 1 小时" in http.web_page("officer", "/")

    late = steps.referral_transfer("2026-04-16T10:30:00+08:00", "2026-04-16")
    refused = http.post_task("officer", case.case.id, TRANSFER, late)
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["message"]) == (
        "late_transfer_reason_required", "批准移送后超过24小时才移送的，应当记录迟延移送的理由")
    future = http.post_task("officer", case.case.id, TRANSFER, steps.referral_transfer("2026-04-16T12:00:00+08:00", "2026-04-16"))
    assert (future.status_code, future.json()["message"]) == (422, "移送时间不能晚于现在")

    reason = "移送材料中的鉴定意见当日上午方送达，待补齐后移送"
    done = http.post_task("officer", case.case.id, TRANSFER, late | {"late_reason": reason})
    assert done.status_code == 200, done.text
    event = transfer_event(case)
    assert event.inputs["late_reason"] == reason
    assert {"computed": {"transfer_late": True}} in event.outputs


def test_a_transfer_within_the_24_hours_needs_no_reason(county_case, http):
    case = approved_for_referral(county_case)
    case.clock.at = datetime(2026, 4, 16, 9, 30, tzinfo=SHANGHAI)
    done = http.post_task("officer", case.case.id, TRANSFER, steps.referral_transfer("2026-04-16T09:00:00+08:00", "2026-04-16"))
    assert done.status_code == 200, done.text
    assert {"computed": {"transfer_late": False}} in transfer_event(case).outputs
    assert [t["name"] for t in http.inbox("officer", case.case.id)] == ["登记公安机关是否立案"]
