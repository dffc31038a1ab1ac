"""The `jurisdiction` decision table (DOMAIN.md §3) run by SpiffWorkflow's DMN engine.

Each case runs the table the way the inspection process does: a business-rule task in a real
BpmnWorkflow with the engine's restricted script environment. The table is an ordered
first-match table, so the precedence cases (R2/R3/R4/R7 before R5/R6) pair a case with its
control: the same facts without the overriding condition.
"""


import pytest
from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

import bpmn
from engine import scripting
from engine.powers.power_list import default_items, entrusted_item
from engine.rules import dmn
from engine.rules.violations import catalogue

TABLE = bpmn.MODELS_DIR / "jurisdiction.dmn"

ROUTE_ONLY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="route_only_definitions"
    targetNamespace="https://zhifa.example.org/test">
  <bpmn:process id="route_only" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to_decide</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="decide" name="确定管辖">
      <bpmn:extensionElements>
        <spiffworkflow:calledDecisionId>jurisdiction</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>to_decide</bpmn:incoming><bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_decide" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="to_end" sourceRef="decide" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""

# A township officer finds a unit-level violation with nothing special about it (R8).
TOWNSHIP = {
    "detected_by": "township",
    "in_em_scope": True,
    "crime_suspected": False,
    "accident": False,
    "target_assigned_level": "county",
    "penalty_kinds": ["fine"],
    "penalised_party": "unit",
    "violation_code": None,
}
PRINCIPAL_DUTY = {"penalised_party": "principal", "violation_code": "SPL-094-1"}  # SPL Art. 94 ¶1


@pytest.fixture(scope="module")
def route_only_spec():
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_dmn_file(str(TABLE))
    parser.add_bpmn_str(ROUTE_ONLY.encode("utf-8"), filename="route_only.bpmn")
    return parser.get_spec("route_only")


def with_list_fact(facts: dict, items: list[dict] | None = None) -> dict:
    """The facts with `entrusted_item` computed from a power list (default: the default list), as a case step does."""
    items = default_items() if items is None else items
    return {**facts, "entrusted_item": entrusted_item(items, facts["violation_code"], facts["penalty_kinds"])}


def route(spec, **changes) -> str:
    """The route the table gives for the township baseline with `changes` applied."""
    facts = with_list_fact({**TOWNSHIP, **changes})
    workflow = BpmnWorkflow(spec, script_engine=scripting.script_engine())
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(facts)
    workflow.do_engine_steps()
    assert workflow.is_completed()
    [decided] = workflow.get_tasks(spec_name="decide")
    return decided.data["route"]


CASES = {
    # rule by rule
    "R1 outside EM scope": ({"in_em_scope": False}, "transfer"),
    "R2 crime suspected": ({"crime_suspected": True}, "county"),
    "R3 accident": ({"accident": True}, "county"),
    "R4 target assigned to the city": ({"target_assigned_level": "city"}, "higher_level"),
    "R4 target assigned to the province": ({"target_assigned_level": "province"}, "higher_level"),
    "R7 suspension of the unit": ({**PRINCIPAL_DUTY, "penalty_kinds": ["fine", "suspend_production"]}, "county"),
    "R7 licence revoked": ({"penalised_party": "unit", "penalty_kinds": ["revoke_license"]}, "county"),
    "R5 principal, SPL-094-1": (PRINCIPAL_DUTY, "entrusted"),
    "R5 principal, found by the park": ({**PRINCIPAL_DUTY, "detected_by": "park"}, "entrusted"),
    "R5 principal, no code given": ({"penalised_party": "principal"}, "entrusted"),
    "R6 other responsible person, SPL-096-1-OTH": (
        {"penalised_party": "other_responsible", "violation_code": "SPL-096-1-OTH"}, "entrusted"),
    "R6 safety manager, no code given": ({"penalised_party": "safety_manager"}, "entrusted"),
    "R8 principal, violation not entrusted (SPL-106-1)": (
        {"penalised_party": "principal", "violation_code": "SPL-106-1"}, "county"),
    "R8 safety manager, unit-level violation code": (
        {"penalised_party": "safety_manager", "violation_code": "SPL-101-1-01"}, "county"),
    "R8 unit": ({"penalised_party": "unit", "violation_code": "SPL-097-1-01"}, "county"),
    "R11 county finds an entrusted-list violation": ({**PRINCIPAL_DUTY, "detected_by": "county"}, "county"),
    "R11 county, unit": ({"detected_by": "county"}, "county"),
    # precedence: an earlier row wins over R5/R6
    "R2 over R5": ({**PRINCIPAL_DUTY, "crime_suspected": True}, "county"),
    "R3 over R5 (E7: worker killed, township reports)": ({"penalised_party": "principal", "accident": True}, "county"),
    "R3 over R6": ({"penalised_party": "safety_manager", "violation_code": "SPL-096-1-SAF", "accident": True}, "county"),
    "R4 over R5": ({**PRINCIPAL_DUTY, "target_assigned_level": "city"}, "higher_level"),
    "R1 over R2": ({"in_em_scope": False, "crime_suspected": True}, "transfer"),
    "R7 over R5 with suspend_production": (
        {"penalised_party": "principal", "violation_code": None, "penalty_kinds": ["fine", "suspend_production"]},
        "county"),
    # worked examples, DOMAIN.md §12
    "E1 principal never set up a training plan, fine 25,000 on the person": (PRINCIPAL_DUTY, "entrusted"),
    "E2 safety manager never recorded hazard checks, fine 10,000": (
        {"penalised_party": "safety_manager", "violation_code": "SPL-096-1-SAF"}, "entrusted"),
    "E3 no warning signs, fine 15,000 on the unit": (
        {"penalised_party": "unit", "violation_code": "SPL-099-1-01"}, "county"),
    "E9 boiler overdue for inspection (special equipment)": ({"in_em_scope": False, "penalty_kinds": []}, "transfer"),
}


@pytest.mark.parametrize("changes, expected", CASES.values(), ids=CASES.keys())
def test_route(route_only_spec, changes, expected):
    assert route(route_only_spec, **changes) == expected


@pytest.mark.parametrize("changes, expected", CASES.values(), ids=CASES.keys())
def test_rules_evaluator_agrees_with_the_process(changes, expected):
    """`zhifa decide jurisdiction` (engine.rules.dmn) gives the route the process gets."""
    assert dmn.evaluate("jurisdiction", with_list_fact({**TOWNSHIP, **changes})) == {"route": expected}


def test_rows_are_in_the_documented_order():
    root = etree.parse(str(TABLE)).getroot()
    [table] = root.iter("{*}decisionTable")
    assert table.get("hitPolicy") == "FIRST"
    assert [rule.get("id") for rule in table.iter("{*}rule")] == ["R1", "R2", "R3", "R4", "R7", "R5", "R6", "R8", "R11"]


def test_the_table_lists_no_codes_and_the_default_list_is_the_catalogues_township_entrusted_entries():
    """Which violations a township handles is data (its power list), not table rows."""
    root = etree.parse(str(TABLE)).getroot()
    entries = [text.text for text in root.iter("{*}text")]
    assert not any("SPL-" in (text or "") for text in entries)
    flagged = {code for code, violation in catalogue().items() if violation.township_entrusted}
    assert {code for item in default_items() for code in item["violation_codes"]} == flagged == {
        "SPL-094-1", "SPL-096-1-OTH", "SPL-096-1-SAF"}


def test_a_code_outside_the_agencys_list_routes_up_and_one_inside_stays(route_only_spec):
    only_safety = [{"item_code": "QJ-01", "name": "安全生产管理人员未履职", "mode": "delegated",
                    "violation_codes": ["SPL-096-1-SAF"], "penalty_kinds": ["warning", "fine"]}]
    principal = with_list_fact({**TOWNSHIP, **PRINCIPAL_DUTY}, only_safety)
    assert principal["entrusted_item"] is False
    assert dmn.evaluate("jurisdiction", principal) == {"route": "county"}
    safety = with_list_fact({**TOWNSHIP, "penalised_party": "safety_manager", "violation_code": "SPL-096-1-SAF"},
                            only_safety)
    assert dmn.evaluate("jurisdiction", safety) == {"route": "entrusted"}
    # a penalty kind the item does not cover routes up as well
    confiscation = with_list_fact({**safety, "penalty_kinds": ["fine", "confiscation"]}, only_safety)
    assert dmn.evaluate("jurisdiction", confiscation) == {"route": "county"}
