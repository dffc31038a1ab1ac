"""Issue 3: every process model and decision table opens cleanly in bpmn-js / dmn-js.

Each `*.bpmn` and `*.dmn` in bpmn/ (globbed at collection, so a new model is covered without
editing this file) is imported by the vendored viewers in headless Chromium: zero import warnings,
a drawn shape for every diagrammable element, and a Chinese name on every element a reader sees.

Naming rule for sequence flows: a flow must be named when it leaves an exclusive, inclusive or
complex gateway with more than one outgoing flow (the label is the branch's condition in words).
Other flows may be unnamed: a parallel split's branches are unconditional, an event-based gateway's
branches are labelled by the events they lead to, and a plain flow between two steps says nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tests.segment_clipping import segment_crosses

MODELS_DIR = Path(__file__).resolve().parents[2] / "bpmn"
BPMN_FILES = sorted(MODELS_DIR.glob("*.bpmn"))
DMN_FILES = sorted(MODELS_DIR.glob("*.dmn"))

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DMN = "https://www.omg.org/spec/DMN/20191111/MODEL/"
DMNDI = "https://www.omg.org/spec/DMN/20191111/DMNDI/"

FLOW_NODES = {
    "task", "userTask", "serviceTask", "scriptTask", "businessRuleTask", "manualTask", "sendTask",
    "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway",
    "dataObjectReference", "dataStoreReference",
}
NAMED_CONTAINERS = {"lane", "participant"}
SHAPES = FLOW_NODES | NAMED_CONTAINERS | {"textAnnotation", "group"}
EDGES = {"sequenceFlow", "messageFlow", "association", "dataInputAssociation", "dataOutputAssociation"}
BRANCHING_GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "complexGateway"}
CHINESE = re.compile("[\u4e00-\u9fff]")

IMPORT_BPMN = "xml => window.importBpmn(xml)"
IMPORT_DMN = "xml => window.importDmn(xml)"

browser = pytest.mark.browser


def model_params(paths: list[Path]):
    return [pytest.param(path, id=path.name) for path in paths]


def bpmn_elements(tree: etree._ElementTree, local_names: set[str]) -> list[etree._Element]:
    return [
        element
        for element in tree.iter(f"{{{BPMN}}}*")
        if etree.QName(element).localname in local_names and element.get("id")
    ]


def diagrammable_ids(tree: etree._ElementTree) -> set[str]:
    return {element.get("id") for element in bpmn_elements(tree, SHAPES | EDGES)}


def diagram_refs(tree: etree._ElementTree) -> set[str]:
    return {
        element.get("bpmnElement")
        for element in tree.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")
    }


def describe(element: etree._Element) -> str:
    return f"{etree.QName(element).localname} {element.get('id')} name={element.get('name')!r}"


def unnamed_elements(tree: etree._ElementTree) -> list[str]:
    """Elements a reader sees without a Chinese label, by the rules in this module's docstring."""
    by_id = {element.get("id"): element for element in bpmn_elements(tree, FLOW_NODES)}
    problems = [
        describe(element)
        for element in bpmn_elements(tree, FLOW_NODES | NAMED_CONTAINERS)
        if not CHINESE.search(element.get("name") or "")
    ]
    for annotation in bpmn_elements(tree, {"textAnnotation"}):
        if not CHINESE.search(annotation.findtext(f"{{{BPMN}}}text") or ""):
            problems.append(f"textAnnotation {annotation.get('id')} has no Chinese text")
    for flow in bpmn_elements(tree, {"sequenceFlow"}):
        source = by_id.get(flow.get("sourceRef"))
        if source is None or etree.QName(source).localname not in BRANCHING_GATEWAYS:
            continue
        if len(source.findall(f"{{{BPMN}}}outgoing")) > 1 and not CHINESE.search(flow.get("name") or ""):
            problems.append(f"{describe(flow)} leaves branching gateway {source.get('id')}")
    return problems


@pytest.mark.parametrize("path", model_params(BPMN_FILES))
def test_every_bpmn_element_has_a_diagram_shape_in_the_xml(path):
    tree = etree.parse(str(path))
    assert sorted(diagrammable_ids(tree) - diagram_refs(tree)) == []


@pytest.mark.parametrize("path", model_params(BPMN_FILES))
def test_every_bpmn_element_has_a_chinese_name(path):
    problems = unnamed_elements(etree.parse(str(path)))
    assert problems == [], "elements without a Chinese name:\n" + "\n".join(problems)


@browser
@pytest.mark.parametrize("path", model_params(BPMN_FILES))
def test_bpmn_js_imports_without_warnings_and_draws_every_element(harness, path):
    result = harness.evaluate(IMPORT_BPMN, path.read_text(encoding="utf-8"))
    assert result["warnings"] == [], "bpmn-js import warnings:\n" + "\n".join(result["warnings"])

    drawn = {element["id"] for element in result["drawn"]}
    assert sorted(diagrammable_ids(etree.parse(str(path))) - drawn) == []
    assert harness.page.locator(".bjs-powered-by").is_visible()
    overlaps = label_overlaps(result["drawn"], result["labels"])
    assert overlaps == [], "labels drawn over a shape or another label:\n" + "\n".join(overlaps)


CONTAINERS = {"bpmn:Lane", "bpmn:Participant", "bpmn:SubProcess", "bpmn:Group"}


def _overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def _crosses(box: dict, start: dict, end: dict) -> bool:
    """Whether the segment start-end passes through the inside of the box."""
    return segment_crosses(box["x"], box["y"], box["width"], box["height"], (start["x"], start["y"]), (end["x"], end["y"]))


def label_overlaps(drawn: list[dict], labels: list[dict]) -> list[str]:
    """Each external label (as bpmn-js lays it out) against every shape but containers, its own shape included
    (a name written across its event or gateway), every other label, and every flow but its own."""
    shapes = [s for s in drawn if s["bounds"] and s["type"] not in CONTAINERS]
    flows = [f for f in drawn if f["waypoints"]]
    found = [f"label of {label['id']} over {shape['type']} {shape['id']}"
             for label in labels for shape in shapes if _overlap(label["bounds"], shape["bounds"])]
    found += [f"label of {a['id']} over label of {b['id']}"
              for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a["bounds"], b["bounds"])]
    found += [f"label of {label['id']} crossed by {flow['type']} {flow['id']}"
              for label in labels for flow in flows if flow["id"] != label["id"]
              and any(_crosses(label["bounds"], a, b) for a, b in zip(flow["waypoints"], flow["waypoints"][1:]))]
    return found


@browser
def test_harness_reports_labels_over_shapes_and_labels(harness):
    """The overlap check can fail: an event's name across its own circle, a gateway's name over a task and a
    flow's name over that one, a name wrapped onto a second line (its DI box one line tall) over a task, and a
    flow drawn through that name."""
    crowded = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="{BPMNDI}" xmlns:dc="{DC}"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="crowded_definitions">
  <bpmn:process id="crowded" isExecutable="true">
    <bpmn:startEvent id="start" name="开始" />
    <bpmn:exclusiveGateway id="choice" name="是否同意" />
    <bpmn:userTask id="approve" name="审批" />
    <bpmn:sequenceFlow id="flow_agree" name="同意办理" sourceRef="choice" targetRef="approve" />
    <bpmn:endEvent id="end" name="已经办结并且归档" />
    <bpmn:userTask id="archive" name="归档" />
    <bpmn:sequenceFlow id="flow_done" sourceRef="approve" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="crowded_diagram">
    <bpmndi:BPMNPlane id="crowded_plane" bpmnElement="crowded">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="100" y="110" width="40" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="choice_di" bpmnElement="choice"><dc:Bounds x="200" y="95" width="50" height="50" />
        <bpmndi:BPMNLabel><dc:Bounds x="290" y="90" width="60" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="300" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_agree_di" bpmnElement="flow_agree"><di:waypoint x="250" y="120" /><di:waypoint x="300" y="120" />
        <bpmndi:BPMNLabel><dc:Bounds x="295" y="95" width="60" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNEdge>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="500" y="100" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="488" y="140" width="60" height="14" /></bpmndi:BPMNLabel></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="archive_di" bpmnElement="archive"><dc:Bounds x="470" y="158" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_done_di" bpmnElement="flow_done"><di:waypoint x="400" y="150" /><di:waypoint x="518" y="150" />
        <di:waypoint x="518" y="136" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>"""
    result = harness.evaluate(IMPORT_BPMN, crowded)
    assert result["warnings"] == []
    assert sorted(label_overlaps(result["drawn"], result["labels"])) == [
        "label of choice over bpmn:UserTask approve",
        "label of choice over label of flow_agree",
        "label of end crossed by bpmn:SequenceFlow flow_done",
        "label of end over bpmn:UserTask archive",
        "label of flow_agree over bpmn:UserTask approve",
        "label of start over bpmn:StartEvent start",
    ]


@pytest.mark.parametrize("path", model_params(DMN_FILES))
def test_every_decision_has_a_drd_shape_in_the_xml(path):
    tree = etree.parse(str(path))
    decisions = {decision.get("id") for decision in tree.iter(f"{{{DMN}}}decision")}
    shapes = {shape.get("dmnElementRef") for shape in tree.iter(f"{{{DMNDI}}}DMNShape")}
    assert decisions and sorted(decisions - shapes) == []


@browser
@pytest.mark.parametrize("path", model_params(DMN_FILES))
def test_dmn_js_opens_every_view_without_warnings(harness, path):
    result = harness.evaluate(IMPORT_DMN, path.read_text(encoding="utf-8"))
    tree = etree.parse(str(path))

    warnings = result["warnings"] + [w for view in result["views"] for w in view["warnings"]]
    assert warnings == [], "dmn-js warnings:\n" + "\n".join(warnings)

    decisions = {decision.get("id"): decision for decision in tree.iter(f"{{{DMN}}}decision")}
    (drd,) = [view for view in result["views"] if view["type"] == "drd"]
    assert sorted(set(decisions) - set(drd["drawn"])) == []

    tables = {view["id"]: view["ruleRows"] for view in result["views"] if view["type"] == "decisionTable"}
    expected_rows = {
        decision_id: len(decision.findall(f"{{{DMN}}}decisionTable/{{{DMN}}}rule"))
        for decision_id, decision in decisions.items()
        if decision.find(f"{{{DMN}}}decisionTable") is not None
    }
    assert tables == expected_rows
    assert harness.page.locator(".bjs-powered-by").is_visible()


@browser
def test_harness_reports_warnings_and_undrawn_elements(harness):
    """The checks above can fail: a spiff element outside extensionElements and a task without DI."""
    broken = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="{BPMNDI}"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="broken_definitions">
  <bpmn:process id="broken" isExecutable="true">
    <bpmn:startEvent id="start" name="开始" />
    <bpmn:userTask id="hidden_task" name="没有图形的任务">
      <spiffworkflow:messageVariable>stray</spiffworkflow:messageVariable>
    </bpmn:userTask>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="broken_diagram">
    <bpmndi:BPMNPlane id="broken_plane" bpmnElement="broken">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start">
        <dc:Bounds x="100" y="100" width="36" height="36" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>"""
    result = harness.evaluate(IMPORT_BPMN, broken)

    first_lines = [warning.splitlines()[0] for warning in result["warnings"]]
    assert first_lines == ["unparsable content <spiffworkflow:messageVariable> detected"]
    assert [element["id"] for element in result["drawn"]] == ["start"]
    broken_tree = etree.ElementTree(etree.fromstring(broken.encode()))
    assert sorted(diagrammable_ids(broken_tree) - diagram_refs(broken_tree)) == ["hidden_task"]
