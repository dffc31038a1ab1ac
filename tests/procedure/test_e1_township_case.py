"""E1 (DOMAIN.md §12): at a daily inspection the township finds that the furniture plant's principal person
never set up a safety-training plan (SPL Art. 21(3)). The proposed fine of 25,000 yuan falls on the person
only, so R5 routes it to the township (entrusted, in the county bureau's name); it is far above the
simple-procedure limits, hearing-eligible under the Jiangxi profile (≥3,000 for a person) and therefore
a major decision (M4): legal review and collective discussion before the decision.

Lanes: the township officers inspect, investigate, serve the notice and the decision, publish it, record the
payment, draft the closing and archive the file; the approvals of filing, handling and closing, legal review,
collective discussion and the decision run in the county bureau's lanes.
"""

from datetime import date

from engine.vocab import CaseStatus
from tests.procedure import steps
from tests.procedure.inspection_steps import assessment, linked_case, record, start_inspection

TRAINING_PLAN = {"description": "主要负责人未组织制定本单位安全生产教育和培训计划", "provision": "《安全生产法》第二十一条第三项",
                 "violation_code": "SPL-094-1"}
# The fine falls on the principal person (SPL Art. 94), named at filing: the documents name him, not the plant.
PRINCIPAL = {"kind": "person", "name": "王林峰", "sex": "男", "id_number": "360827197803150031", "birth_date": "1978-03-15",
             "address": "遂川县泉江镇龙泉大道12号", "employer": "遂川县林峰家具厂", "post": "厂长", "phone": "13907960001"}
ORDER = {"officers": steps.OFFICERS, "inspection_date": "2026-06-01", "rectification_items": [
    {"problem": "未制定安全生产教育和培训计划", "provision": "《安全生产法》第二十一条第三项",
     "requirement": "制定并实施2026年度安全生产教育和培训计划", "deadline": "2026-06-12"}]}


def inspect_and_route(runtime, frozen_clock, agencies):
    inspection = start_inspection(runtime, frozen_clock, agencies.township, agencies.county, "2026-06-01")
    assert inspection.case.number == "（遂泉）应急检〔2026〕1号"
    inspection.complete("现场检查", record("2026-06-01", [TRAINING_PLAN], order_rectification=True))
    inspection.complete("责令限期整改", ORDER)
    inspection.complete("登记单位提前申请复查", {"applied_on": "2026-06-10", "applicant": "王林峰"}, on="2026-06-10")
    inspection.complete("整改复查", {
        "order_number": inspection.data["documents"]["rectification_order"], "reinspection_date": "2026-06-11",
        "officers": steps.OFFICERS, "reinspection_results": [{"problem": "未制定安全生产教育和培训计划", "rectified": True,
                                                              "result": "已制定培训计划"}],
        "opinion": "已整改;主要负责人未履行法定职责,依法应予处罚", "penalty_needed": True}, on="2026-06-11")
    inspection.complete("违法行为处理意见", assessment(penalty_kinds=["fine"]))
    assert (inspection.data["route"], inspection.case.outcome) == ("entrusted", "entrusted")
    assert {step.role for step in inspection.steps} == {"township_officer"}
    assert inspection.documents() == ["inspection_record", "rectification_order", "reinspection_opinion"]
    return inspection


def test_e1_township_case_runs_to_archive_with_the_major_decision_in_county_lanes(
        runtime, agencies, frozen_clock, use_profile):
    use_profile("jiangxi")
    inspection = inspect_and_route(runtime, frozen_clock, agencies)
    case = linked_case(inspection, "general_procedure")
    assert case.case.agency_id == agencies.township.id
    assert case.data["source"]["case_number"] == inspection.case.number
    record_number = case.data["source"]["documents"]["inspection_record"]  # the source cited by a document's number
    assert (case.data["case_source_kind"], case.data["case_source"]) == ("inspection", f"检查发现：现场检查记录{record_number}")

    case.complete("填写立案审批表", steps.filing("王林峰未履行主要负责人安全生产管理职责案",
                                                 "日常检查发现主要负责人未组织制定安全生产教育和培训计划",
                                                 "《安全生产法》第二十一条第三项、第九十四条第一款", party=PRINCIPAL)
                  | {"case_source": case.data["case_source"]}, on="2026-06-12")
    case.complete("审批立案", steps.approve("2026-06-12", "filing_approved"))
    assert case.data["decision_due"] == "2026-09-10"  # 90 days after filing on 12 June
    case.complete("调查取证", steps.investigation(), on="2026-06-16")
    case.complete("制作案件调查报告和处理呈批表", steps.report(penalty_kinds=["fine"], fine=25000),
                  on="2026-06-17")
    case.complete("审批处理意见", steps.handling("2026-06-18", "penalty"), on="2026-06-18")

    assert (case.data["party_type"], case.case.party_name) == ("person", "王林峰")
    assert (case.data["hearing_threshold_person"], case.data["hearing_eligible"]) == (3000, True)
    case.complete("送达行政处罚告知书和听证告知书", steps.notice("2026-06-22"), on="2026-06-22")
    assert case.case.status == CaseStatus.notified
    # no statement: the 3-day window closes at the end of Thursday 25 June
    assert case.wait_until("2026-06-26") == [case.case.id]
    # 5 working days from Monday 22 June to request a hearing: 23, 24, 25, 26, 29 June; none → waived
    assert case.task("登记听证申请").due_on == date(2026, 6, 29)
    assert case.wait_until("2026-06-29") == []
    assert case.wait_until("2026-06-30") == [case.case.id]

    assert (case.data["major"], case.data["legal_review"], case.data["collective_discussion"]) == (True, True, True)
    review = case.task("法制审核")
    assert (review.role, review.agency_id) == ("legal_reviewer", agencies.county.id)
    case.complete("法制审核", steps.legal_review("2026-07-01", True), on="2026-07-01")
    case.complete("集体讨论", steps.discussion("2026-07-02"), on="2026-07-02")
    case.complete("作出行政处罚决定", steps.decision(["fine"], 25000), on="2026-07-03")
    assert case.case.status == CaseStatus.serving
    # township-handled, decided in the county bureau's name and series
    assert case.data["documents"]["penalty_decision"] == "（遂）应急罚〔2026〕1号"

    # service and publication within 7 working days of Friday 3 July: 6, 7, 8, 9, 10, 13, 14 July
    assert (case.task("送达行政处罚决定书").due_on, case.task("公示行政处罚决定").due_on) == (date(2026, 7, 14),
                                                                                      date(2026, 7, 14))
    case.complete("送达行政处罚决定书", steps.service("2026-07-06", case.data), on="2026-07-06")
    case.complete("公示行政处罚决定", steps.publication("2026-07-08"), on="2026-07-08")
    assert case.case.status == CaseStatus.enforcing
    assert case.task("登记罚款缴纳").due_on == date(2026, 7, 21)  # 15 days from service on Monday 6 July
    case.complete("登记罚款缴纳", steps.payment("2026-07-20", 25000), on="2026-07-20")
    case.complete("填写结案审批表", steps.closing(), on="2026-07-22")
    case.complete("审批结案", steps.approve("2026-07-23", "closing_approved"), on="2026-07-23")
    assert case.ready() == ["立卷归档"]  # found by an inspection, nobody to report back to
    case.complete("立卷归档", steps.archive("2026-07-23"), on="2026-07-24")
    assert (case.case.completed, case.case.status, case.case.outcome) == (True, CaseStatus.archived, "penalised")

    lanes = {step.name: step.role for step in case.steps}
    assert {lanes[name] for name in ("填写立案审批表", "调查取证", "制作案件调查报告和处理呈批表",
                                     "送达行政处罚告知书和听证告知书", "送达行政处罚决定书", "公示行政处罚决定",
                                     "登记罚款缴纳", "填写结案审批表", "立卷归档")} == {"township_officer"}
    assert {lanes[name] for name in ("审批立案", "审批处理意见", "集体讨论", "作出行政处罚决定", "审批结案")} == {"agency_head"}
    assert lanes["法制审核"] == "legal_reviewer"
    county_steps = {step.name for step in case.steps if step.role != "township_officer"}
    assert county_steps == {"审批立案", "审批处理意见", "法制审核", "集体讨论", "作出行政处罚决定", "审批结案"}
    assert [name for name in case.path if name in ("送达行政处罚告知书", "登记听证申请", "举行听证")] == []
    assert case.documents() == ["filing_approval", "investigation_report", "case_handling_approval", "penalty_notice",
                                "hearing_notice", "service_receipt", "legal_review_opinion", "collective_discussion_record",
                                "penalty_decision", "closing_approval"]  # the notices' receipt, then the decision's
