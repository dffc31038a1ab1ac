"""The real inspection-stage process (bpmn/inspection.bpmn) run by the persistent runtime to each end state."""

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlmodel import Session, select

from engine import record, scripting, serialization
from engine.models import Case, WorkflowState
from engine.vocab import CaseStatus, Role
from tests.factories import actor

PARTY = {"name": "遂川县林峰家具厂", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
         "legal_representative": "王林峰", "phone": "0796-6300000"}
OFFICERS = [{"user_id": 11, "name": "刘强", "certificate_no": "36082701001"},
            {"user_id": 12, "name": "陈敏", "certificate_no": "36082701002"}]
PROBLEM = {"description": "未制定本单位安全生产教育和培训计划", "provision": "《安全生产法》第二十一条第三项", "violation_code": "SPL-094-1"}


def record_data(problems):
    return {"party": PARTY, "place": "遂川县泉江镇工业大道8号生产车间", "started_at": "2026-03-02T09:00", "ended_at": "2026-03-02T11:30",
            "officers": OFFICERS, "site_responsible": "王林峰",
            "unit_attendees": [{"role": "principal", "name": "王林峰", "post": "厂长"}, {"role": "safety_manager", "name": "李安", "post": "安全员"}],
            "checked_items": "安全生产责任制、教育培训、现场作业", "findings": "见问题清单" if problems else "未发现问题",
            "problems": problems, "handling": "责令限期整改" if problems else "无", "order_rectification": bool(problems),
            "unit_signature": "signed"}


ORDER = {"officers": OFFICERS, "inspection_date": "2026-03-02", "rectification_items": [
    {"problem": "未制定安全培训计划", "provision": "《安全生产法》第二十一条第三项", "requirement": "制定并实施年度培训计划", "deadline": "2026-03-16"},
    {"problem": "培训档案缺失", "provision": "《安全生产法》第二十八条第四款", "requirement": "建立培训档案", "deadline": "2026-03-13"}]}


def reinspection(rectified: bool):
    return {"order_number": "（遂泉）应急责改〔2026〕1号", "reinspection_date": "2026-03-17", "officers": OFFICERS,
            "reinspection_results": [{"problem": "未制定安全培训计划", "rectified": rectified, "result": "已整改" if rectified else "逾期未改正"}],
            "opinion": "整改完毕" if rectified else "经复查，你单位逾期未改正。", "penalty_needed": not rectified}


def assessment(**overrides):
    data = {"facts": "主要负责人未组织制定并实施本单位安全生产教育和培训计划, 逾期未改正", "violation_code": "SPL-094-1",
            "penalised_party": "principal", "penalty_kinds": ["fine"], "accident": False, "crime_suspected": False,
            "in_em_scope": True, "target_assigned_level": "county", "handling_opinion": "建议处罚"}
    return data | overrides


class Driver:
    def __init__(self, runtime, agency, role):
        self.runtime, self.officer = runtime, actor(role, agency)
        self.view = runtime.start_case("inspection", agency_id=agency.id, actor=self.officer, data={"party": PARTY},
                                       party_name=PARTY["name"], title="日常检查")
        self.path = []

    def do(self, name, data):
        [task] = [t for t in self.view.tasks if t.name == name]
        self.path.append((task.name, task.role))
        self.view = self.runtime.complete_task(task.id, data, self.officer)
        assert_round_trip(self.runtime, self.view.case)
        return self.view


def assert_round_trip(runtime, case):
    """The stored state restores to a workflow that serializes back to the same state, ready tasks included."""
    with Session(runtime.engine) as session:
        state = session.get(WorkflowState, case.id).state
        process = runtime.process_of(session, case)
    restored = serialization.load(state, process.spec, process.subprocess_specs, scripting.script_engine())
    assert serialization.dump(restored) == state
    ready = sorted(str(t.id) for t in restored.get_tasks(state=TaskState.READY, manual=True))
    assert ready == sorted(t.id for t in runtime.ready_tasks(case_id=case.id))


def test_no_violation_ends_the_inspection(inspection_runtime, frozen_clock):
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    assert d.view.case.number == "（遂泉）应急检〔2026〕1号" and d.view.case.status == CaseStatus.inspecting
    d.do("现场检查", record_data([]))
    assert (d.view.case.outcome, d.view.case.status, d.view.tasks) == ("no_violation", CaseStatus.closed_no_case, [])
    assert d.path == [("现场检查", "township_officer")]


def test_rectified_on_early_application(inspection_runtime, frozen_clock):
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([PROBLEM]))
    d.do("责令限期整改", ORDER)
    assert d.view.case.status == CaseStatus.rectifying
    assert d.view.case.next_due.isoformat().startswith("2026-03-16 16:00") or str(d.view.case.next_due).startswith("2026-03-16 16:00")
    d.do("登记单位提前申请复查", {"applied_on": "2026-03-10", "applicant": "王林峰"})
    [task] = d.view.tasks
    assert (task.name, str(task.due_on)) == ("整改复查", "2026-03-26")  # 10 days after the latest deadline 03-16
    assert d.view.case.next_due is None  # the application cancelled the deadline timer
    d.do("整改复查", reinspection(True))
    assert (d.view.case.outcome, d.view.case.status) == ("rectified", CaseStatus.closed_no_case)


@pytest.mark.parametrize("agency, role, overrides, outcome, status, case_agency", [
    ("township", Role.township_officer, {}, "entrusted", CaseStatus.closed_no_case, "township"),
    ("township", Role.township_officer, {"violation_code": "SPL-099-1-01", "penalised_party": "unit"}, "county", CaseStatus.reported, "county"),
    ("county", Role.county_officer, {"target_assigned_level": "city"}, "higher_level", CaseStatus.reported, None),
])
def test_rectification_deadline_passes_and_the_route_decides_the_end(inspection_runtime, frozen_clock, agency, role, overrides,
                                                                     outcome, status, case_agency):
    runtime, agencies = inspection_runtime
    d = Driver(runtime, getattr(agencies, agency), role)
    d.do("现场检查", record_data([PROBLEM]))
    d.do("责令限期整改", ORDER)
    frozen_clock.advance(days=15)  # 2026-03-17 09:00, past 03-16 24:00
    assert runtime.fire_due() == [d.view.case.id]
    d.view = runtime.get_case(d.view.case.id)
    assert [t.name for t in d.view.tasks] == ["整改复查"]
    d.do("整改复查", reinspection(False))
    d.do("违法行为处理意见", assessment(**overrides))
    assert (d.view.case.outcome, d.view.case.status) == (outcome, status)
    assert {lane for _, lane in d.path} == {str(role)}
    with Session(runtime.engine) as session:
        kinds = [e.kind for e in record.events(session, d.view.case.id)]
    assert kinds[:6] == ["case_started", "task_completed", "task_completed", "timer_fired", "task_completed", "task_completed"]
    with Session(runtime.engine) as session:
        children = session.exec(select(Case).where(Case.parent_case_id == d.view.case.id)).all()
    if case_agency is None:
        assert children == [] and kinds[6:] == []
    else:
        [child] = children
        linked = runtime.get_case(child.id)
        assert (child.kind, child.process_id, child.agency_id) == ("case", "general_procedure", getattr(agencies, case_agency).id)
        assert [(t.name, t.role) for t in linked.tasks] == [("填写立案审批表", "county_officer" if case_agency == "county" else "township_officer")]
        assert linked.data["party"] == PARTY and linked.data["violation_code"] == assessment(**overrides)["violation_code"]
        assert kinds[6:] == ["case_linked"]


def test_outside_em_scope_is_transferred_with_a_transfer_letter(inspection_runtime, frozen_clock):
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    d.do("现场检查", record_data([{"description": "锅炉未按期检验", "provision": "《特种设备安全法》第四十条"}]) | {"order_rectification": False})
    d.do("违法行为处理意见", assessment(in_em_scope=False, violation_code=None, penalised_party="unit"))
    [task] = d.view.tasks
    assert task.name == "制作案件移送书"
    assert runtime.specs.latest("inspection").tasks[task.bpmn_id].documents == ("case_transfer_letter",)
    d.do("制作案件移送书", {"receiving_agency": "遂川县市场监督管理局", "transfer_reason": "特种设备未按期检验, 属市场监管部门管辖",
                        "materials": "现场检查记录1份", "contact": "刘强 0796-6300001"})
    assert (d.view.case.outcome, d.view.case.status) == ("transfer", CaseStatus.transferred)


@pytest.mark.parametrize("order_rectification", [True, False])
def test_major_hazard_is_reported_to_the_county_which_opens_a_measures_case(inspection_runtime, frozen_clock,
                                                                            order_rectification):
    """R9: whatever else the record says, a major accident hazard goes to the county's compulsory-measures case."""
    runtime, agencies = inspection_runtime
    d = Driver(runtime, agencies.township, Role.township_officer)
    hazard = {"description": "粉尘涉爆除尘系统未设置锁气卸灰装置", "provision": "《安全生产法》第三十六条", "major_hazard": True}
    d.do("现场检查", record_data([PROBLEM, hazard]) | {"order_rectification": order_rectification})
    assert [t.name for t in d.view.tasks] == ["记录重大事故隐患并立即报告县局"]
    d.do("记录重大事故隐患并立即报告县局", {"facts": "除尘系统存在粉尘爆炸重大事故隐患", "proposed_measure": "onsite",
                                    "reported_at": "2026-03-02T11:40", "reported_to": "县局执法大队值班室"})
    assert (d.view.case.outcome, d.view.case.status) == ("measures", CaseStatus.reported)
    assert d.path == [("现场检查", "township_officer"), ("记录重大事故隐患并立即报告县局", "township_officer")]
    with Session(runtime.engine) as session:
        [child] = session.exec(select(Case).where(Case.parent_case_id == d.view.case.id)).all()
    assert (child.process_id, child.agency_id) == ("compulsory_measures", agencies.county.id)
    linked = runtime.get_case(child.id)
    assert [(t.name, t.role, t.agency_id) for t in linked.tasks] == [
        ("审查隐患报告并提出措施意见", "county_officer", agencies.county.id)]
    assert linked.data["facts"] == "除尘系统存在粉尘爆炸重大事故隐患" and linked.data["problems"][1]["major_hazard"] is True
