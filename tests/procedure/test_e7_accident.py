"""E7 (DOMAIN.md §12, §3 R3): a township reports a worker killed at a sawmill. An accident goes to the county
(R3 beats R5): the county case waits for the accident investigation report approved by the county government,
recorded by an officer with its document reference, and is filed on it. Penalties on the approved report: the
unit 300,000–1,000,000 yuan (SPL Art. 114, a general accident), the principal 40% of last year's income (Art. 95).
"""

from datetime import date

import pytest

from engine.errors import ValidationFailed
from engine.vocab import CaseStatus
from tests.procedure import steps

SAWMILL = {"kind": "unit", "name": "遂川县某木材加工厂"}
# what the township's inspection passes on to the county case (runtime.INHERITED_KEYS)
PRINCIPAL = {"kind": "person", "name": "李某", "id_number": "360827198001010015", "address": "遂川县泉江镇",
             "employer": SAWMILL["name"], "post": "厂长"}
REPORTED = {"party": SAWMILL, "accident": True, "penalised_party": "unit", "violation_code": "SPL-114-1-01",
            "facts": "2026年3月10日，该厂一名工人在操作带锯机时被卷入死亡"}


def test_e7_the_county_case_waits_for_the_approved_accident_report_then_fines_the_unit(county_case):
    case = county_case
    case.start("2026-03-11", REPORTED, title="遂川县某木材加工厂“3·10”机械伤害事故案", party_name=SAWMILL["name"])
    waiting = case.task("登记经批复的事故调查报告")
    assert case.ready() == ["登记经批复的事故调查报告"] and waiting.role == "county_officer"
    assert case.case.status == CaseStatus.awaiting_accident_report
    assert case.wait_until("2026-05-20") == [] and case.case.status == CaseStatus.awaiting_accident_report

    case.complete("登记经批复的事故调查报告", steps.accident_report("2026-05-20"), on="2026-05-21")
    assert case.data["report_document"] == {"title": "事故调查报告及县政府批复", "reference": "证据第17号"}
    # the accident_penalty table: a general accident → SPL-114-1-01 (300,000–1,000,000 in the catalogue), 40% of income
    assert (case.data["accident_unit_violation_code"], case.data["principal_fine_rate"]) == ("SPL-114-1-01", 40)
    assert case.ready() == ["填写立案审批表"] and case.case.status == CaseStatus.filed

    case.complete("填写立案审批表", steps.filing("遂川县某木材加工厂“3·10”机械伤害事故案", "发生一般生产安全事故，死亡1人",
                                                 "《安全生产法》第一百一十四条第一款第一项"), on="2026-05-22")
    case.complete("审批立案", steps.approve("2026-05-22", "filing_approved"))
    assert case.data["decision_due"] == "2026-08-20"  # 90 days from filing, not from the accident
    case.complete("调查取证", steps.investigation(), on="2026-05-27")
    with pytest.raises(ValidationFailed) as below_range:
        case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=200000), on="2026-06-01")
    assert below_range.value.message == "对负有责任的事故发生单位的罚款应在《安全生产法》第一百一十四条规定的幅度内"
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=500000))
    case.complete("审批处理意见", steps.handling("2026-06-02", "penalty"), on="2026-06-02")
    assert case.data["hearing_eligible"] is True

    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-06-03"), on="2026-06-03")
    assert case.wait_until("2026-06-09") == [case.case.id]  # statement window: Saturday 6 June → Monday 8 June
    assert case.task("登记听证申请").due_on == date(2026, 6, 10)  # 4, 5, 8, 9, 10 June
    assert case.wait_until("2026-06-11") == [case.case.id]  # no request: hearing waived
    assert (case.data["legal_review"], case.data["collective_discussion"]) == (True, True)
    case.complete("法制审核", steps.legal_review("2026-06-12", True), on="2026-06-12")
    case.complete("集体讨论", steps.discussion("2026-06-15"), on="2026-06-15")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 500000), on="2026-06-16")
    # 7 working days over the Dragon Boat Festival (Friday 19 June): 17, 18, 22, 23, 24, 25, 26 June
    assert case.task("公示行政处罚决定").due_on == date(2026, 6, 26)
    case.complete("送达行政处罚决定书", steps.service("2026-06-17", case.data), on="2026-06-17")
    case.complete("公示行政处罚决定", steps.publication("2026-06-18"), on="2026-06-18")
    assert case.task("登记罚款缴纳").due_on == date(2026, 7, 2)
    case.complete("登记罚款缴纳", steps.payment("2026-06-30", 500000), on="2026-06-30")
    case.complete("填写结案审批表", steps.closing(), on="2026-07-01")
    case.complete("审批结案", steps.approve("2026-07-02", "closing_approved"), on="2026-07-02")
    case.complete("立卷归档", steps.archive("2026-07-02"), on="2026-07-03")
    assert (case.case.status, case.case.outcome) == (CaseStatus.archived, "penalised")
    assert case.path[:3] == ["登记经批复的事故调查报告", "填写立案审批表", "审批立案"]


def test_the_principal_is_fined_the_statutory_share_of_last_years_income(county_case):
    case = county_case
    case.start("2026-03-11", REPORTED | {"penalised_party": "principal"}, party_name="李某")
    case.complete("登记经批复的事故调查报告", steps.accident_report("2026-05-20", grade="larger", principal_income=250000),
                  on="2026-05-21")
    assert (case.data["principal_violation_code"], case.data["principal_fine_rate"]) == ("SPL-095-1-02", 60)  # a larger accident
    case.complete("填写立案审批表", steps.filing("李某未履行安全生产管理职责导致较大事故案", "主要负责人未履行职责",
                                                 "《安全生产法》第九十五条第二项", party=PRINCIPAL))
    case.complete("审批立案", steps.approve("2026-05-21", "filing_approved"))
    case.complete("调查取证", steps.investigation())
    with pytest.raises(ValidationFailed) as wrong_share:
        case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=100000))
    assert wrong_share.value.message == "对主要负责人的事故罚款应为其上一年年收入按《安全生产法》第九十五条规定比例计算的数额"
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=150000))
    assert case.ready() == ["审批处理意见"]
