"""The inspection-stage process (`bpmn/inspection.bpmn`) run with bare SpiffWorkflow.

The model is parsed with the spiff parser (XSD validation on) and run as a BpmnWorkflow with the
engine's restricted script environment (`engine.scripting`); timers read the engine clock,
which the tests hold still and move. Each path completes the user tasks with form data that the
task's JSON Schema accepts, checks the model's validation rules and the declared documents'
required fields on the data the engine would issue them from, and ends at one end event.
"""

import json
import shutil
from datetime import datetime

import pytest
from jsonschema import Draft202012Validator
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

import bpmn
from documents.catalogue import get_catalogue
from documents.issuing import check_values
from engine import clock, forms, scripting
from engine.calendar import SHANGHAI
from engine.errors import ModelError, ValidationFailed
from engine.powers.power_list import default_items, step_facts
from engine.rules.violations import catalogue
from engine.specs import SpecLibrary
from engine.timers import use_engine_clock
from engine.vocab import LANE_LABELS, Lane

BPMN_DIR = bpmn.MODELS_DIR
OWN_FILES = [
    "inspection.bpmn",
    "jurisdiction.dmn",
    "forms/inspection.start.schema.json",  # its start schema is part of its version
    *(f"forms/{p.name}" for p in sorted((BPMN_DIR / "forms").glob("inspection_*.schema.json"))),
    *(f"forms/{p.name}" for p in sorted((BPMN_DIR / "forms").glob("reinspection*.schema.json"))),
    *(f"forms/{p.name}" for p in sorted((BPMN_DIR / "forms").glob("record_*.schema.json"))),  # records made on site
]
CASE_OFFICERS = LANE_LABELS[Lane.case_officer]  # the owning agency's officers, township or county


def shanghai(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def spec():
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_file(str(BPMN_DIR / "inspection.bpmn"))
    parser.add_dmn_file(str(BPMN_DIR / "jurisdiction.dmn"))
    process = parser.get_spec("inspection")
    use_engine_clock(process)
    return process


@pytest.fixture
def frozen_clock():
    frozen = clock.FrozenClock(shanghai("2026-03-02T09:00:00"))
    clock.set_clock(frozen)
    yield frozen
    clock.set_clock(None)


def properties(task_spec) -> dict:
    return (getattr(task_spec, "extensions", None) or {}).get("properties", {})


class Inspection:
    """One run of the process, completed task by task as an officer would."""

    def __init__(self, spec, detected_by: str, **start):
        self.workflow = BpmnWorkflow(spec, script_engine=scripting.script_engine())
        for task in self.workflow.get_tasks(state=TaskState.READY):
            task.data.update(detected_by=detected_by, **start)  # set by the runtime from the case's agency
            if detected_by != "county":  # the runtime adds the township's power list (here: the default list)
                task.data.update(power_list={"version": 0, "items": default_items()})
        self.workflow.do_engine_steps()

    def ready(self) -> list[str]:
        return [t.task_spec.bpmn_id for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def status(self) -> str:
        [task] = self.workflow.get_tasks(state=TaskState.READY, manual=True)
        return properties(task.task_spec)["caseStatus"]

    def complete(self, bpmn_id: str, data: dict) -> None:
        [task] = [t for t in self.workflow.get_tasks(state=TaskState.READY, manual=True)
                  if t.task_spec.bpmn_id == bpmn_id]
        props = properties(task.task_spec)
        forms.validate(form_validator(props["formJsonSchemaFilename"]), data)
        merged = {**task.data, **data}
        for rule in [v for k, v in props.items() if k.startswith("validation")]:
            expression, _, message = rule.partition(";;")
            assert scripting.evaluate(expression, merged), message
        for doc_id in filter(None, props["documents"].split(",")):
            check_values(get_catalogue().get(doc_id), merged)
        task.set_data(**data, **step_facts(merged, data))  # as the runtime's power-list step hook does
        task.run()
        self.workflow.do_engine_steps()

    def fire_timers_at(self, moment: datetime, frozen) -> None:
        frozen.at = moment
        self.workflow.refresh_timers()
        self.workflow.do_engine_steps()

    def end(self) -> tuple[str, str, str]:
        assert self.workflow.is_completed()
        [end] = [t for t in self.workflow.get_tasks(state=TaskState.COMPLETED)
                 if "outcome" in properties(t.task_spec)]
        props = properties(end.task_spec)
        return end.task_spec.bpmn_name, props["outcome"], props["caseStatus"]


def form_validator(filename: str) -> Draft202012Validator:
    schema = json.loads((BPMN_DIR / "forms" / filename).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


OFFICERS = [{"user_id": 1, "name": "刘明", "certificate_no": "36080001"}, {"user_id": 2, "name": "陈华", "certificate_no": "36080002"}]
TRAINING_PLAN = {"description": "主要负责人未组织制定并实施本单位安全生产教育和培训计划",
                 "provision": "《安全生产法》第二十一条第三项", "violation_code": "SPL-094-1"}
WARNING_SIGNS = {"description": "喷漆车间未设置明显的安全警示标志",
                 "provision": "《安全生产法》第三十五条", "violation_code": "SPL-099-1-01"}


def record(problems: list[dict], **changes) -> dict:
    data = {
        "party": {"name": "遂川县鑫达家具厂", "credit_code": "91360827MA35ABCD1X", "address": "遂川县工业园区",
                  "legal_representative": "王强"},
        "place": "遂川县鑫达家具厂生产车间",
        "started_at": "2026-03-02T09:00:00+08:00",
        "ended_at": "2026-03-02T11:30:00+08:00",
        "officers": OFFICERS,
        "site_responsible": "王强",
        "unit_attendees": [{"role": "principal", "name": "王强", "post": "厂长"},
                           {"role": "safety_manager", "name": "李芳", "post": "安全员"}],
        "experts": [{"name": "张工", "employer": "吉安市安全生产协会", "specialty": "木材加工"}],
        "checked_items": "安全生产责任制、教育培训、隐患排查治理、安全警示标志",
        "findings": "检查了生产车间、仓库和安全管理台账" + ("" if problems else ",未发现问题"),
        "problems": problems,
        "handling": "当场责令限期整改" if problems else "无",
        "unit_signature": "signed",
    }
    if problems:
        data["order_rectification"] = True
    return {**data, **changes}


ORDER = {
    "officers": OFFICERS,
    "inspection_date": "2026-03-02",
    "rectification_items": [
        {"problem": TRAINING_PLAN["description"], "provision": TRAINING_PLAN["provision"], "deadline": "2026-03-10",
         "requirement": "制定年度安全生产教育和培训计划并组织实施"},
        {"problem": WARNING_SIGNS["description"], "provision": WARNING_SIGNS["provision"], "deadline": "2026-03-16"},
    ],
}


def reinspection(*rectified: bool, penalty_needed: bool) -> dict:
    return {
        "order_number": "（遂）应急责改〔2026〕3号",
        "reinspection_date": "2026-03-18",
        "officers": OFFICERS,
        "reinspection_results": [
            {"problem": item["problem"], "rectified": done, "result": "已整改" if done else "未整改"}
            for item, done in zip(ORDER["rectification_items"], rectified)
        ],
        "opinion": "整改完毕" if all(rectified) else "逾期未整改",
        "penalty_needed": penalty_needed,
    }


def assessment(**changes) -> dict:
    return {
        "facts": "主要负责人未组织制定本单位安全生产教育和培训计划",
        "violation_code": "SPL-094-1",
        "penalised_party": "principal",
        "penalty_kinds": ["fine"],
        "accident": False,
        "crime_suspected": False,
        "in_em_scope": True,
        "target_assigned_level": "county",
        "handling_opinion": "拟对主要负责人处二万五千元罚款",
        **changes,
    }


def inspected_with_order(spec, detected_by="township") -> Inspection:
    run = Inspection(spec, detected_by)
    assert run.ready() == ["onsite_inspection"] and run.status() == "inspecting"
    run.complete("onsite_inspection", record([TRAINING_PLAN, WARNING_SIGNS]))
    assert run.ready() == ["rectification_order"]
    run.complete("rectification_order", ORDER)
    assert run.ready() == ["early_application"] and run.status() == "rectifying"
    return run


# ---- the model file ----------------------------------------------------------------------------

USER_TASKS = {
    # bpmn_id: (name, documents, caseStatus, form, twoOfficers)
    "onsite_inspection": ("现场检查", "inspection_record", "inspecting", "inspection_record.schema.json", "true"),
    "rectification_order": ("责令限期整改", "rectification_order", "rectifying",
                            "inspection_rectification_order.schema.json", "true"),
    "early_application": ("登记单位提前申请复查", "", "rectifying", "reinspection_application.schema.json", None),
    "reinspection": ("整改复查", "reinspection_opinion", "rectifying", "reinspection.schema.json", "true"),
    "violation_assessment": ("违法行为处理意见", "", "inspecting", "inspection_assessment.schema.json", None),
    "case_transfer": ("制作案件移送书", "case_transfer_letter", "inspecting", "inspection_case_transfer.schema.json", None),
    "report_major_hazard": ("记录重大事故隐患并立即报告县局", "", "inspecting", "inspection_hazard_report.schema.json", None),
    # 三位一体 mode only (start-form flag trinity_mode): the meetings before and after the on-site inspection
    "kickoff_meeting": ("召开启动会", "kickoff_meeting_record", "inspecting", "inspection_kickoff_meeting.schema.json", None),
    "summary_meeting": ("召开总结会", "summary_meeting_record", "inspecting", "inspection_summary_meeting.schema.json",
                        None),
    # beside the handling of a random inspection: no status of its own, the case shows what the handling does
    "publish_inspection_result": ("公示抽查结果", "", None, "inspection_result_publication.schema.json", None),
}


def test_user_tasks_declare_lane_documents_status_and_form(spec):
    user_tasks = {ts.bpmn_id: ts for ts in spec.task_specs.values() if getattr(ts, "manual", False)}
    assert set(user_tasks) == set(USER_TASKS)
    for bpmn_id, (name, documents, status, form, two_officers) in USER_TASKS.items():
        task_spec, props = user_tasks[bpmn_id], properties(user_tasks[bpmn_id])
        assert task_spec.bpmn_name == name
        assert task_spec.lane == CASE_OFFICERS
        assert props["documents"] == documents
        assert props.get("caseStatus") == status
        assert props["formJsonSchemaFilename"] == form
        assert props.get("twoOfficers") == two_officers


def test_end_events_declare_outcome_and_status(spec):
    ends = {ts.bpmn_name: (properties(ts)["outcome"], properties(ts)["caseStatus"])
            for ts in spec.task_specs.values() if "outcome" in properties(ts)}
    assert ends == {
        "无违法行为": ("no_violation", "closed_no_case"),
        "已整改/无需处罚": ("rectified", "closed_no_case"),
        "委托乡镇处理": ("entrusted", "closed_no_case"),
        "报告县局": ("county", "reported"),
        "报告上级": ("higher_level", "reported"),
        "移送其他部门": ("transfer", "transferred"),
        "报告县局采取强制措施": ("measures", "reported"),
    }


def test_engine_loader_accepts_the_model_and_versions_it_by_its_own_files(tmp_path):
    """The engine's own loader (conventions, forms, called decisions) takes the model as it is; the
    version covers exactly the inspection's files, and the follow-up process it opens must exist."""
    loaded = SpecLibrary(BPMN_DIR).latest("inspection")
    assert loaded.name == "现场检查与整改复查"
    assert loaded.tasks["reinspection"].lane == Lane.case_officer
    assert loaded.tasks["reinspection"].documents == ("reinspection_opinion",)
    assert loaded.tasks["onsite_inspection"].two_officers is True
    assert set(loaded.files) == set(OWN_FILES)
    assert (loaded.tasks["county_end"].start_case, loaded.tasks["county_end"].start_case_in) == ("general_procedure", "county")
    for name in OWN_FILES:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy(BPMN_DIR / name, tmp_path / name)
    with pytest.raises(ModelError, match="startCase 引用的流程 general_procedure 不存在"):
        SpecLibrary(tmp_path)


# ---- paths to each end -------------------------------------------------------------------------

def test_no_problems_found_ends_without_violation(spec, frozen_clock):
    run = Inspection(spec, "township")
    run.complete("onsite_inspection", record([]))
    assert run.end() == ("无违法行为", "no_violation", "closed_no_case")


ATTENDEES = [{"role": "principal", "name": "王林峰", "post": "总经理"},
             {"role": "safety_manager", "name": "李安", "post": "安全部长"}, {"role": "operator", "name": "赵工"}]


def test_the_trinity_mode_holds_meetings_before_and_after_the_onsite_inspection(spec, frozen_clock):
    run = Inspection(spec, "township", trinity_mode=True, party={"kind": "unit", "name": "遂川县某化工有限公司"})
    assert run.ready() == ["kickoff_meeting"]
    run.complete("kickoff_meeting", {"kickoff_at": "2026-03-02T09:00:00+08:00", "kickoff_place": "公司会议室",
                                     "kickoff_attendees": ATTENDEES, "kickoff_briefing": "说明检查依据和内容",
                                     "kickoff_experts": [{"name": "陈工", "qualification": "注册安全工程师"}]})
    assert run.ready() == ["onsite_inspection"]
    run.complete("onsite_inspection", record([TRAINING_PLAN]))
    assert run.ready() == ["summary_meeting"]
    run.complete("summary_meeting", {"summary_at": "2026-03-02T16:00:00+08:00", "summary_place": "公司会议室",
                                     "summary_attendees": ATTENDEES, "summary_conclusion": "逐项反馈问题, 限期整改",
                                     "summary_experts": [{"name": "陈工", "qualification": "注册安全工程师",
                                                          "opinion": "培训计划缺失"}]})
    assert run.ready() == ["rectification_order"]  # the findings are handled as on the ordinary path


def test_the_ordinary_path_has_no_meetings(spec, frozen_clock):
    run = Inspection(spec, "township", trinity_mode=False)
    assert run.ready() == ["onsite_inspection"]
    run.complete("onsite_inspection", record([]))
    assert run.end() == ("无违法行为", "no_violation", "closed_no_case")


def test_deadline_passing_moves_on_to_reinspection(spec, frozen_clock):
    run = inspected_with_order(spec)
    assert [event.value for event in run.workflow.waiting_events()] == ["2026-03-17T00:00:00+08:00"]

    run.fire_timers_at(shanghai("2026-03-16T23:59:00"), frozen_clock)  # last day of the deadline
    assert run.ready() == ["early_application"]

    run.fire_timers_at(shanghai("2026-03-17T00:00:01"), frozen_clock)
    assert run.ready() == ["reinspection"] and run.status() == "rectifying"
    assert run.workflow.waiting_events() == []
    [task] = run.workflow.get_tasks(state=TaskState.READY, manual=True)
    assert scripting.evaluate(properties(task.task_spec)["dueExpression"], task.data) == "2026-03-26"

    run.complete("reinspection", reinspection(True, True, penalty_needed=False))
    assert run.end() == ("已整改/无需处罚", "rectified", "closed_no_case")


def test_early_application_reinspects_before_the_deadline_and_entrusts_e1(spec, frozen_clock):
    """E1: the principal's duty failure is penalisable although corrected; the township handles it (R5)."""
    run = inspected_with_order(spec)
    frozen_clock.at = shanghai("2026-03-09T10:00:00")
    run.complete("early_application", {"applied_on": "2026-03-09", "applicant": "王强", "statement": "已全部整改"})
    assert run.ready() == ["reinspection"]
    assert run.workflow.waiting_events() == []

    run.complete("reinspection", reinspection(True, True, penalty_needed=True))
    assert run.ready() == ["violation_assessment"] and run.status() == "inspecting"
    run.complete("violation_assessment", assessment())
    assert run.end() == ("委托乡镇处理", "entrusted", "closed_no_case")


def test_failed_rectification_of_a_unit_violation_is_reported_to_the_county_e3(spec, frozen_clock):
    run = inspected_with_order(spec)
    run.fire_timers_at(shanghai("2026-03-17T08:00:00"), frozen_clock)
    run.complete("reinspection", reinspection(True, False, penalty_needed=True))
    run.complete("violation_assessment", assessment(
        facts="喷漆车间逾期未设置安全警示标志", violation_code="SPL-099-1-01", penalised_party="unit",
        handling_opinion="报告县局立案,拟对单位处一万五千元罚款"))
    assert run.end() == ("报告县局", "county", "reported")


def test_target_assigned_to_the_city_is_reported_upwards(spec, frozen_clock):
    run = inspected_with_order(spec)
    run.fire_timers_at(shanghai("2026-03-20T09:00:00"), frozen_clock)
    run.complete("reinspection", reinspection(False, False, penalty_needed=True))
    run.complete("violation_assessment", assessment(target_assigned_level="city"))
    assert run.end() == ("报告上级", "higher_level", "reported")


def test_county_inspection_stays_with_the_county_r11(spec, frozen_clock):
    run = inspected_with_order(spec, detected_by="county")
    run.fire_timers_at(shanghai("2026-03-17T09:00:00"), frozen_clock)
    run.complete("reinspection", reinspection(True, True, penalty_needed=True))
    run.complete("violation_assessment", assessment())
    assert run.end() == ("报告县局", "county", "reported")


def test_special_equipment_is_transferred_without_a_rectification_order_e9(spec, frozen_clock):
    run = Inspection(spec, "township")
    boiler = {"description": "锅炉超期未检验", "provision": "《特种设备安全法》第四十条", "violation_code": None}
    run.complete("onsite_inspection", record([boiler], order_rectification=False, handling="拟移送市场监督管理部门"))
    assert run.ready() == ["violation_assessment"]
    run.complete("violation_assessment", assessment(
        facts="锅炉超过检验有效期仍在使用", violation_code=None, penalised_party="unit", penalty_kinds=[],
        in_em_scope=False, handling_opinion="不属于应急管理部门职责,移送市场监督管理部门"))
    assert run.ready() == ["case_transfer"]
    run.complete("case_transfer", {"receiving_agency": "遂川县市场监督管理局", "transfer_reason": "特种设备安全监督管理",
                                   "materials": "现场检查记录1份、照片3张", "contact": "刘明 0796-1234567"})
    assert run.end() == ("移送其他部门", "transfer", "transferred")


def test_accident_reported_by_a_township_goes_to_the_county_e7(spec, frozen_clock):
    run = Inspection(spec, "township")
    death = {"description": "锯木车间发生机械伤害事故,死亡1人", "provision": "《安全生产法》第一百一十四条",
             "violation_code": "SPL-114-1-01"}
    run.complete("onsite_inspection", record([death], order_rectification=False, handling="保护现场,立即报告县局"))
    run.complete("violation_assessment", assessment(
        facts="发生一般生产安全事故,死亡1人", violation_code="SPL-114-1-01", penalised_party="unit",
        accident=True, handling_opinion="报告县局按事故调查处理"))
    assert run.end() == ("报告县局", "county", "reported")


# ---- what the forms and rules refuse -----------------------------------------------------------

def test_inspection_record_needs_two_officers():
    with pytest.raises(ValidationFailed, match="「执法人员」至少需要 2 项"):
        forms.validate(form_validator("inspection_record.schema.json"), record([], officers=OFFICERS[:1]))


def test_refused_signature_must_be_described():
    with pytest.raises(ValidationFailed, match="缺少必填项「拒绝签字情况」"):
        forms.validate(form_validator("inspection_record.schema.json"), record([], unit_signature="refused"))


def test_problems_need_a_decision_on_rectification():
    data = record([WARNING_SIGNS])
    del data["order_rectification"]
    with pytest.raises(ValidationFailed, match="缺少必填项「是否责令限期整改」"):
        forms.validate(form_validator("inspection_record.schema.json"), data)


def rule_of(spec, bpmn_id: str) -> tuple[str, str]:
    expression, _, message = properties(spec.task_specs[bpmn_id])["validation"].partition(";;")
    return expression.strip(), message.strip()


def test_rectification_deadline_must_fall_after_the_inspection(spec):
    expression, message = rule_of(spec, "rectification_order")
    late = {**ORDER, "rectification_items": [{**ORDER["rectification_items"][0], "deadline": "2026-03-02"}]}
    assert scripting.evaluate(expression, ORDER)
    assert not scripting.evaluate(expression, late)
    assert message == "整改期限应晚于检查日期"


def test_unrectified_item_requires_a_penalty_opinion(spec):
    expression, message = rule_of(spec, "reinspection")
    assert scripting.evaluate(expression, reinspection(True, True, penalty_needed=False))
    assert scripting.evaluate(expression, reinspection(True, False, penalty_needed=True))
    assert not scripting.evaluate(expression, reinspection(True, False, penalty_needed=False))
    assert "是否需要处罚" in message


def test_violation_codes_in_the_catalogue_fit_the_form_pattern():
    validator = form_validator("inspection_assessment.schema.json")
    for code in catalogue():
        forms.validate(validator, assessment(violation_code=code))
