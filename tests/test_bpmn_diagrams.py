"""Issue 13: the diagrams say what the model says. Every step is drawn in the band of its lane (the lane is who
may do the step) and every flow is drawn clear of the shapes it does not connect (a line through a task reads as
that task's own flow). Read from the DI of every model in bpmn/; the labels are checked where bpmn-js draws them
(tests/browser/test_bpmn_js_import.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.segment_clipping import segment_crosses

MODELS = sorted((Path(__file__).resolve().parents[1] / "bpmn").glob("*.bpmn"))
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
CONTAINERS = {"lane", "participant", "group", "subProcess", "process", "collaboration"}
BORDER = 2  # a flow may run along a shape's edge (where it enters or leaves), not through it

Box = tuple[float, float, float, float]


def bounds(tree: etree._ElementTree) -> dict[str, Box]:
    return {
        shape.get("bpmnElement"): tuple(float(shape.find(f"{{{DC}}}Bounds").get(k)) for k in ("x", "y", "width", "height"))
        for shape in tree.iter(f"{{{BPMNDI}}}BPMNShape")
    }


def _holds(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and inner[0] + inner[2] <= outer[0] + outer[2] and \
        outer[1] <= inner[1] and inner[1] + inner[3] <= outer[1] + outer[3]


def lane_misplacements(tree: etree._ElementTree) -> list[str]:
    """Steps drawn outside their lane's band, lanes outside their pool. A collapsed sub-process's lanes are drawn
    on the sub-process's own diagram, where there is no pool: only the lanes drawn beside the pool are held to it."""
    box = bounds(tree)
    found = []
    for lane in tree.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iterfind(f"{{{BPMN}}}flowNodeRef"):
            x, y, width, height = box[ref.text]
            if not _holds(box[lane.get("id")], (x + width / 2, y + height / 2, 0, 0)):
                found.append(f"{ref.text} (of {lane.get('name')}) drawn outside its lane")
    for participant in tree.iter(f"{{{BPMN}}}participant"):
        process = tree.find(f"{{{BPMN}}}process[@id='{participant.get('processRef')}']")
        plane = tree.find(f".//{{{BPMNDI}}}BPMNShape[@bpmnElement='{participant.get('id')}']/..")
        beside = {shape.get("bpmnElement") for shape in plane.iterfind(f"{{{BPMNDI}}}BPMNShape")}
        for lane in process.iter(f"{{{BPMN}}}lane") if process is not None else []:
            if lane.get("id") in beside and not _holds(box[participant.get("id")], box[lane.get("id")]):
                found.append(f"lane {lane.get('name')} sticks out of {participant.get('name')}")
    return found


def _crosses(box: Box, start: tuple[float, float], end: tuple[float, float]) -> bool:
    """Whether the segment passes through the inside of the box, its edges excepted."""
    return segment_crosses(box[0] + BORDER, box[1] + BORDER, box[2] - 2 * BORDER, box[3] - 2 * BORDER, start, end)


def _ends(tree: etree._ElementTree) -> dict[str, set[str]]:
    """Each connection's ends, with the activity a boundary event at an end is attached to."""
    hosts = {event.get("id"): event.get("attachedToRef") for event in tree.iter(f"{{{BPMN}}}boundaryEvent")}
    ends = {}
    for element in tree.iter(f"{{{BPMN}}}*"):
        kind = etree.QName(element).localname
        if kind in ("dataInputAssociation", "dataOutputAssociation"):
            parent = element.getparent().get("id")
            ref = element.findtext(f"{{{BPMN}}}sourceRef") or element.findtext(f"{{{BPMN}}}targetRef")
            ends[element.get("id")] = {parent, ref}
        elif element.get("sourceRef") and element.get("targetRef"):
            ends[element.get("id")] = {element.get("sourceRef"), element.get("targetRef")}
    return {flow: names | {hosts[name] for name in names if name in hosts} for flow, names in ends.items()}


def flows_through_shapes(tree: etree._ElementTree) -> list[str]:
    kinds = {element.get("id"): etree.QName(element).localname for element in tree.iter(f"{{{BPMN}}}*")}
    ends = _ends(tree)
    found = []
    for plane in tree.iter(f"{{{BPMNDI}}}BPMNPlane"):
        shapes = {
            shape.get("bpmnElement"): tuple(float(shape.find(f"{{{DC}}}Bounds").get(k)) for k in ("x", "y", "width", "height"))
            for shape in plane.iterfind(f"{{{BPMNDI}}}BPMNShape")
            if kinds.get(shape.get("bpmnElement")) not in CONTAINERS or shape.get("isExpanded") == "false"
        }
        for edge in plane.iterfind(f"{{{BPMNDI}}}BPMNEdge"):
            flow = edge.get("bpmnElement")
            points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iterfind(f"{{{DI}}}waypoint")]
            found += [f"{flow} drawn through {name}" for name, box in shapes.items()
                      if name not in ends.get(flow, ()) and any(map(_crosses, [box] * len(points), points, points[1:]))]
    return found


def model_params():
    return [pytest.param(path, id=path.name) for path in MODELS]


@pytest.mark.parametrize("path", model_params())
def test_every_step_is_drawn_in_its_lane(path):
    problems = lane_misplacements(etree.parse(str(path)))
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("path", model_params())
def test_no_flow_is_drawn_through_a_shape_it_does_not_connect(path):
    problems = flows_through_shapes(etree.parse(str(path)))
    assert problems == [], "\n".join(problems)


MISDRAWN = f"""<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="{BPMNDI}" xmlns:dc="{DC}" xmlns:di="{DI}" id="d">
  <bpmn:collaboration id="c"><bpmn:participant id="pool" name="县应急管理局" processRef="p" /></bpmn:collaboration>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="officers" name="办案机构执法人员"><bpmn:flowNodeRef>draft</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>cancel</bpmn:flowNodeRef><bpmn:flowNodeRef>transfer</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="head" name="局负责人"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:userTask id="draft" name="拟定" />
    <bpmn:userTask id="approve" name="审批" />
    <bpmn:userTask id="cancel" name="撤销立案" />
    <bpmn:userTask id="transfer" name="移送" />
    <bpmn:sequenceFlow id="to_transfer" sourceRef="draft" targetRef="transfer" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dd"><bpmndi:BPMNPlane id="pl" bpmnElement="c">
    <bpmndi:BPMNShape id="pool_di" bpmnElement="pool"><dc:Bounds x="0" y="0" width="600" height="300" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="officers_di" bpmnElement="officers"><dc:Bounds x="30" y="0" width="570" height="150" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="head_di" bpmnElement="head"><dc:Bounds x="30" y="150" width="570" height="170" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="draft_di" bpmnElement="draft"><dc:Bounds x="60" y="40" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="approve_di" bpmnElement="approve"><dc:Bounds x="200" y="40" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="cancel_di" bpmnElement="cancel"><dc:Bounds x="330" y="40" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="transfer_di" bpmnElement="transfer"><dc:Bounds x="460" y="40" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="to_transfer_di" bpmnElement="to_transfer"><di:waypoint x="160" y="80" /><di:waypoint x="460" y="80" />
    </bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""


def test_the_checks_report_a_step_in_another_lane_and_a_flow_through_steps():
    """A step of 局负责人 drawn in the officers' band, a lane longer than its pool, and a flow to 移送 drawn
    through two other steps (read as 撤销立案 leading to 移送)."""
    tree = etree.ElementTree(etree.fromstring(MISDRAWN.encode()))
    assert lane_misplacements(tree) == [
        "approve (of 局负责人) drawn outside its lane",
        "lane 局负责人 sticks out of 县应急管理局",
    ]
    assert flows_through_shapes(tree) == ["to_transfer drawn through approve", "to_transfer drawn through cancel"]


DRILLED_DOWN = f"""<bpmn:definitions xmlns:bpmn="{BPMN}" xmlns:bpmndi="{BPMNDI}" xmlns:dc="{DC}" xmlns:di="{DI}" id="d">
  <bpmn:collaboration id="c"><bpmn:participant id="pool" name="县应急管理局" processRef="p" /></bpmn:collaboration>
  <bpmn:process id="p" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="officers" name="办案机构执法人员"><bpmn:flowNodeRef>remedy</bpmn:flowNodeRef>
      </bpmn:lane></bpmn:laneSet>
    <bpmn:subProcess id="remedy" name="复议诉讼">
      <bpmn:laneSet id="remedy_ls"><bpmn:lane id="remedy_officers" name="复议经办人员">
        <bpmn:flowNodeRef>record</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
      <bpmn:userTask id="record" name="登记结果" />
    </bpmn:subProcess>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="dd"><bpmndi:BPMNPlane id="pl" bpmnElement="c">
    <bpmndi:BPMNShape id="pool_di" bpmnElement="pool"><dc:Bounds x="0" y="0" width="600" height="300" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="officers_di" bpmnElement="officers"><dc:Bounds x="30" y="0" width="570" height="300" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="remedy_di" bpmnElement="remedy" isExpanded="false"><dc:Bounds x="60" y="40" width="100" height="80" />
    </bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
  <bpmndi:BPMNDiagram id="remedy_dd"><bpmndi:BPMNPlane id="remedy_pl" bpmnElement="remedy">
    <bpmndi:BPMNShape id="remedy_officers_di" bpmnElement="remedy_officers"><dc:Bounds x="0" y="1000" width="900" height="200" />
    </bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="record_di" bpmnElement="record"><dc:Bounds x="60" y="1300" width="100" height="80" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>"""


def test_a_collapsed_sub_process_keeps_its_lanes_on_its_own_diagram():
    """The sub-process's lanes are drawn on its own diagram, away from the pool, and that is not reported; a step
    drawn outside its sub-process lane still is."""
    tree = etree.ElementTree(etree.fromstring(DRILLED_DOWN.encode()))
    assert lane_misplacements(tree) == ["record (of 复议经办人员) drawn outside its lane"]
