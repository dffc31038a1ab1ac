"""One evaluator: `zhifa decide`, POST /decisions/{table} and a business-rule task in a process give the
same answer, also when no row or several rows of a table match."""

import json
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from typer.testing import CliRunner

from api.cli import app as cli
from engine.rules import environment
from engine.rules.profiles import profile_inputs
from engine.settings import get_settings
from engine.specs import SpecLibrary

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
ON = "2026-03-02"
PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://zhifa">
  <bpmn:process id="probe" name="决策探针" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="basis" name="确定事故罚款依据">
      <bpmn:extensionElements><spiffworkflow:calledDecisionId>accident_penalty</spiffworkflow:calledDecisionId>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="basis" />
    <bpmn:sequenceFlow id="f2" sourceRef="basis" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""
GENERAL = {"accident_unit_violation_code": "SPL-114-1-01", "principal_violation_code": "SPL-095-1-01",
           "principal_fine_rate": 40}


@pytest.fixture
def models(tmp_path, monkeypatch):
    """accident_penalty with its second row changed to also read "general": "larger" now matches no row."""
    models = tmp_path / "models"
    models.mkdir()
    table = (BPMN_DIR / "accident_penalty.dmn").read_text(encoding="utf-8")
    assert table.count("<text>\"larger\"</text>") == 1
    (models / "accident_penalty.dmn").write_text(table.replace("<text>\"larger\"</text>", "<text>\"general\"</text>"),
                                                 encoding="utf-8")
    (models / "probe.bpmn").write_text(PROCESS, encoding="utf-8")
    monkeypatch.setenv("ZHIFA_BPMN_DIR", str(models))
    get_settings.cache_clear()

    def with_policy(policy: str) -> Path:
        path = models / "accident_penalty.dmn"
        text = path.read_text(encoding="utf-8").replace('hitPolicy="UNIQUE"', f'hitPolicy="{policy}"')
        path.write_text(text, encoding="utf-8")
        return models

    return with_policy


def by_cli(grade: str) -> tuple[dict | None, str | None]:
    result = CliRunner().invoke(cli, ["decide", "accident_penalty", "--json", json.dumps({"accident_grade": grade}),
                                      "--on", ON])
    return (json.loads(result.stdout), None) if result.exit_code == 0 else (None, result.stderr.strip())


def by_api(client, headers, grade: str) -> tuple[dict | None, str | None]:
    response = client.post("/api/v1/decisions/accident_penalty", headers=headers,
                           json={"inputs": {"accident_grade": grade}, "on": ON})
    if response.status_code == 200:
        return response.json()["outputs"], None
    assert response.json()["code"] == "model_invalid"
    return None, response.json()["message"]


def by_process(models: Path, grade: str) -> tuple[dict | None, str | None]:
    process = SpecLibrary(models).latest("probe")
    workflow = BpmnWorkflow(process.spec, process.subprocess_specs, script_engine=environment.script_engine())
    data = {**profile_inputs(None, on=None), "accident_grade": grade}
    workflow.data.update(data)
    for task in workflow.get_tasks():
        task.data.update(data)
    try:
        workflow.do_engine_steps()
    except SpiffWorkflowException as exc:
        return None, str(exc)
    assert workflow.is_completed()
    return {key: workflow.data[key] for key in GENERAL}, None


@pytest.mark.parametrize("policy, grade, outputs, message", [
    ("UNIQUE", "general", None, "决策表 accident_penalty.dmn 命中策略为 UNIQUE，但有多条规则相符：第 1 行"),
    ("UNIQUE", "larger", None, "决策表 accident_penalty.dmn 没有规则与输入相符"),
    ("FIRST", "general", GENERAL, None),
    ("FIRST", "larger", None, "决策表 accident_penalty.dmn 没有规则与输入相符"),
    ("COLLECT", "general", {key: [value, value.replace("-01", "-02") if isinstance(value, str) else 60]
                            for key, value in GENERAL.items()}, None),
])
def test_cli_api_and_process_agree(models, client, auth, policy, grade, outputs, message):
    folder = models(policy)
    answers = {"cli": by_cli(grade), "api": by_api(client, auth("c1"), grade), "process": by_process(folder, grade)}
    for where, (got, error) in answers.items():
        assert got == outputs, where
        if message is None:
            assert error is None, where
        else:
            assert message in error, (where, error)
    if message and "多条" in message:  # the rows are named the same way everywhere
        assert len({error.split("：", 1)[1].split(". ")[0] for _, error in answers.values()}) == 1
