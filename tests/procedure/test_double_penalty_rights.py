"""The double penalty, each party's own statement, defence and hearing request (docs/DOUBLE_PENALTY.md), over
HTTP: the statement and hearing-request steps record each party (the unit, each person by ID number); a person's
hearing window runs from the service of HIS notice; any party's request leads to the case's one hearing; and
each party's 行政处罚决定书 states how THAT party used or waived his rights, citing his own 告知书 (APL Art. 59).

The unit is fined 10,000 yuan (no hearing right: Jiangxi's unit threshold is 20,000) or 30,000 (a hearing right);
its manager 王某 5,000 (a hearing right: the person threshold is 3,000)."""

import pytest

from tests.procedure import steps
from tests.procedure.http_actors import http_actors
from tests.procedure.test_double_penalty_parties import docx_text, notify, to_notice
from tests.procedure.test_penalty_tiers import PERSON, UNIT

HIM = {"name": PERSON["name"], "id_number": PERSON["id_number"]}
REQUEST = "登记听证申请"
WAIVED = "在规定期限内未提出陈述、申辩意见，视为放弃陈述、申辩权利。"


@pytest.fixture
def http(runtime, agencies, monkeypatch, frozen_clock):
    client, actors = http_actors(runtime, agencies, monkeypatch)
    with client:
        yield actors


def post(http, case, name: str, data: dict):
    response = http.post_task("officer", case.case.id, name, data)
    case.refresh()
    return response


def decide(case, fine: float, person_fine: float, on: str) -> dict:
    for name, data in (("法制审核", steps.legal_review(on, True)), ("集体讨论", steps.discussion(on))):
        if name in case.ready():
            case.complete(name, data, on=on)
    decision = {**steps.decision(["fine"], fine), "decided_responsible_persons_fine": person_fine,
                "responsible_persons": [{"party": PERSON, "fine_amount": person_fine, "penalty": f"罚款{person_fine:g}元"}]}
    case.complete("作出行政处罚决定", decision, on=on)
    [person] = case.data["responsible_persons"]
    return person


def test_each_decision_states_how_that_party_used_his_rights(county_case, http):
    case = to_notice(county_case, 10000, 5000)
    http.case_id = case.case.id
    told = notify(http, case, 5000)  # 18 March, his notice and the unit's
    case.on("2026-03-19")
    stranger = {"party": {"name": "李某", "id_number": "360827198001010012"}, "statements": "我不是负责人"}
    statement = {**steps.statement("2026-03-19"), "unit_stated": False,
                 "person_statements": [{"party": HIM, "statements": "本人已组织培训，请求从轻处罚"}]}
    refused = post(http, case, "记录陈述申辩并复核", {**statement, "person_statements": [stranger]})
    assert (refused.status_code, refused.json()["code"]) == (422, "person_unknown")
    assert post(http, case, "记录陈述申辩并复核", statement).status_code == 200
    assert post(http, case, REQUEST, {"person_hearing_requests": [{"party": HIM, "hearing_requested_on": "2026-03-19"}]
                                      }).status_code == 200
    assert case.data["hearing_parties"] == ["王某"]
    case.complete("制作听证会通知书", steps.hearing_schedule("2026-03-31T09:00:00+08:00"), on="2026-03-20")
    assert "hearing_meeting_notice" not in case.data["documents"]  # the unit did not ask: it is not summoned
    [summoned] = case.data["hearing_persons"]
    meeting = docx_text(http, summoned["documents"]["hearing_meeting_notice"])
    assert "王某" in meeting and "根据你的申请" in meeting and UNIT["name"] + "：" not in meeting
    case.complete("举行听证", steps.hearing("2026-03-31"), on="2026-03-31")
    person = decide(case, 10000, 5000, "2026-04-01")

    unit_text = docx_text(http, case.data["documents"]["penalty_decision"])
    assert case.data["documents"]["penalty_notice"] + "行政处罚告知书告知你单位" in unit_text
    assert "你单位" + WAIVED in unit_text and "要求举行听证" not in unit_text  # the unit had no hearing right
    his_text = docx_text(http, person["document_number"])
    assert f"{told['documents']['penalty_notice']}行政处罚告知书、{told['documents']['hearing_notice']}听证告知书告知你" in his_text
    assert "你在规定期限内提出了陈述、申辩意见，经复核，申辩理由不能成立。" in his_text and WAIVED not in his_text
    assert "你要求举行听证，本机关依法举行了听证。" in his_text
    assert case.data["documents"]["penalty_notice"] not in his_text


def test_a_person_served_later_asks_within_his_own_window_the_unit_waives(county_case, http):
    case = to_notice(county_case, 30000, 5000)
    http.case_id = case.case.id
    case.on("2026-03-20")  # the unit was served on Wednesday 18 March, its manager on Friday 20 March
    later = {"party": PERSON, "fine_amount": 5000, "proposed_penalty": "拟处罚款5000元", "notice_served_on": "2026-03-20"}
    served = post(http, case, "送达行政处罚告知书和听证告知书", steps.notice("2026-03-18") | {"person_notices": [later]})
    assert served.status_code == 200, served.text
    case.wait_until("2026-03-26")  # the unit's 5 working days ended on the 25th, his run to Friday 27 March
    assert case.ready() == [REQUEST]
    late_unit = post(http, case, REQUEST, {"hearing_requested": True, "hearing_requested_on": "2026-03-26"})
    assert (late_unit.status_code, late_unit.json()["code"]) == (422, "hearing_request_late")
    case.on("2026-03-30")
    his_late = post(http, case, REQUEST, {"person_hearing_requests": [{"party": HIM, "hearing_requested_on": "2026-03-30"}]})
    assert (his_late.status_code, his_late.json()["code"]) == (422, "hearing_request_late")
    assert "王某" in his_late.json()["message"]
    asked = post(http, case, REQUEST, {"person_hearing_requests": [{"party": HIM, "hearing_requested_on": "2026-03-27"}]})
    assert asked.status_code == 200, asked.text
    assert case.ready() == ["制作听证会通知书"]
    case.complete("制作听证会通知书", steps.hearing_schedule("2026-04-10T09:00:00+08:00"), on="2026-03-31")
    case.complete("举行听证", steps.hearing("2026-04-10"), on="2026-04-10")
    person = decide(case, 30000, 5000, "2026-04-13")

    unit_text = docx_text(http, case.data["documents"]["penalty_decision"])
    assert "你单位在规定期限内未要求听证，视为放弃听证权利。" in unit_text and "本机关于2026年3月18日以" in unit_text
    his_text = docx_text(http, person["document_number"])
    assert "本机关于2026年3月20日以" in his_text and "你要求举行听证，本机关依法举行了听证。" in his_text
    assert "你" + WAIVED in his_text
