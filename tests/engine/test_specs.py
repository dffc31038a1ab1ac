"""A broken model stops start-up with a message naming the file and the element."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from engine.errors import ModelError
from engine.specs import SpecLibrary
from tests.conftest import ENGINE_MODELS

DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="测试" namespace="http://zhifa">
  <decision id="route_table" name="测试决策">
    <decisionTable id="table_1" hitPolicy="{policy}">
      <input id="in_1" label="输入"><inputExpression id="ie_1" typeRef="string"><text>x</text></inputExpression></input>
      <output id="out_1" name="route" typeRef="string" />
      <rule id="rule_1"><inputEntry id="e_1"><text>"a"</text></inputEntry><outputEntry id="o_1"><text>"county"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


@pytest.fixture
def models(tmp_path):
    return shutil.copytree(ENGINE_MODELS, tmp_path / "models")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("old, new, file, element, message", [
    ('<bpmn:lane id="Lane_head" name="局负责人">', '<bpmn:lane id="Lane_head" name="领导">', "approval.bpmn", "approve", "不是已知角色"),
    ('value="approve.schema.json"', 'value="missing.schema.json"', "approval.bpmn", "approve", "forms/missing.schema.json 不存在"),
    ('<spiffworkflow:property name="caseStatus" value="deciding" />', '<spiffworkflow:property name="caseStatus" value="thinking" />',
     "approval.bpmn", "approve", "caseStatus 'thinking'"),
    ('<spiffworkflow:property name="formJsonSchemaFilename" value="approve.schema.json" />', "", "approval.bpmn", "approve", "缺少表单"),
    ('approved or opinion ;; 不同意时必须填写审批意见', 'approved or ;; 不同意时必须填写审批意见', "approval.bpmn", "approve", "语法错误"),
    ('approved or opinion ;; 不同意时必须填写审批意见', 'approved or opinion ;; 不同意时必须填写审批意见 ;; Bad-Code',
     "approval.bpmn", "approve", "错误代码 'Bad-Code'"),
    ('<spiffworkflow:property name="caseStatus" value="deciding" />',
     '<spiffworkflow:property name="caseStatus" value="deciding" /><spiffworkflow:property name="compute" value="late" />',
     "approval.bpmn", "approve", "compute 属性应写作"),
])
def test_a_broken_process_names_file_and_element(models, old, new, file, element, message):
    edit(models / "approval.bpmn", old, new)
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details["file"].endswith(file) and element in err.value.details["element"]
    assert message in err.value.message and err.value.message.startswith("流程模型错误: 文件 ")


def test_an_xsd_violation_names_the_line(models):
    edit(models / "approval.bpmn", '<bpmn:userTask id="approve" name="审批">', '<bpmn:userTask id="approve" name="审批" bogus="1">')
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details["file"].endswith("approval.bpmn") and err.value.details["element"].startswith("第 ")
    assert "bogus" in err.value.message


def test_a_form_that_is_not_a_json_schema_is_refused(models):
    (models / "forms" / "approve.schema.json").write_text('{"type": "objekt"}', encoding="utf-8")
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details["file"] == "forms/approve.schema.json" and "不是有效的 JSON Schema" in err.value.message


def test_xml_syntax_errors_name_the_line(models):
    edit(models / "approval.bpmn", "</bpmn:process>", "</bpmn:proces>")
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details["file"] == "approval.bpmn" and err.value.details["element"].startswith("第 ")


@pytest.mark.parametrize("policy, accepted", [("UNIQUE", True), ("FIRST", True), ("COLLECT", True),
                                               ("ANY", False), ("PRIORITY", False), ("RULE ORDER", False)])
def test_only_hit_policies_spiffworkflow_implements_are_accepted(models, policy, accepted):
    (models / "route.dmn").write_text(DMN.format(policy=policy), encoding="utf-8")
    if accepted:
        SpecLibrary(models)
        return
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert (err.value.details["file"], err.value.details["element"]) == ("route.dmn", "table_1")
    assert f"命中策略 {policy} 不受支持" in err.value.message


def test_a_missing_decision_table_is_named(models):
    edit(models / "approval.bpmn", '<bpmn:userTask id="draft" name="起草">',
         '<bpmn:businessRuleTask id="decide" name="判断"><bpmn:extensionElements><spiffworkflow:calledDecisionId>nowhere'
         '</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask><bpmn:userTask id="draft" name="起草">')
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert "nowhere" in err.value.message


def test_start_up_stops_on_a_broken_model_with_the_message(models, tmp_path):
    edit(models / "approval.bpmn", '<bpmn:lane id="Lane_head" name="局负责人">', '<bpmn:lane id="Lane_head" name="领导">')
    env = {**os.environ, "ZHIFA_BPMN_DIR": str(models), "ZHIFA_DATABASE_URL": f"sqlite:///{tmp_path / 'z.db'}"}
    result = subprocess.run([sys.executable, "-m", "api", "worker", "--once"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "错误 [model_invalid]: 流程模型错误: 文件 approval.bpmn, 元素 approve (审批)" in result.stderr


@pytest.mark.parametrize("old, new, file, element, message", [
    ('value="deadline(reply_by, 0)"', 'value="__import__(\'os\').system(\'id\')"', "approval.bpmn", "approve",
     "不允许使用名称 __import__"),
    ('value="deadline(reply_by, 0)"', 'value="open(\'/etc/passwd\').read()"', "approval.bpmn", "approve",
     "不允许使用内置函数 open"),
    ('value="deadline(reply_by, 0)"', 'value="reply_by.__class__.__mro__"', "approval.bpmn", "approve",
     "不允许访问属性 __mro__"),
    ('value="deadline(reply_by, 0)"', 'value="\'{0.__class__}\'.format(reply_by)"', "approval.bpmn", "approve",
     "不允许访问属性 format"),
    ('>day_end(reply_by)</bpmn:timeDate>', '>[c for c in ().__class__.__base__.__subclasses__()]</bpmn:timeDate>',
     "approval.bpmn", "approve_timer", "不允许访问属性 __subclasses__"),
    ('>day_end(reply_by)</bpmn:timeDate>', '>(lambda: 1)()</bpmn:timeDate>', "approval.bpmn", "approve_timer",
     "不允许的语句: Lambda"),
    ('<spiffworkflow:property name="caseStatus" value="deciding" />',
     '<spiffworkflow:property name="caseStatus" value="deciding" />'
     '<spiffworkflow:property name="compute" value="late = open(\'/etc/passwd\').read()" />',
     "approval.bpmn", "approve", "不允许使用内置函数 open"),
    ('<spiffworkflow:property name="caseStatus" value="deciding" />',
     '<spiffworkflow:property name="caseStatus" value="deciding" />'
     '<spiffworkflow:property name="validation2" value="reply_by.__class__ ;; 提示" />',
     "approval.bpmn", "approve", "不允许访问属性 __class__"),
])
def test_a_script_or_expression_off_the_allow_list_is_refused_at_load(models, old, new, file, element, message):
    edit(models / "approval.bpmn", old, new)
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details["file"].endswith(file) and element in err.value.details["element"]
    assert "表达式不被允许: " + message in err.value.message


def test_a_dmn_entry_off_the_allow_list_is_refused_at_load(models):
    (models / "route.dmn").write_text(DMN.format(policy="UNIQUE").replace('<text>"a"</text>', "<text>? in __import__('os').environ</text>"),
                                      encoding="utf-8")
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details == {"file": "route.dmn", "element": "e_1", "expression": "_input in __import__('os').environ"}


def test_every_shipped_model_keeps_to_the_allow_list_and_the_check_sees_its_expressions():
    from bpmn import MODELS_DIR
    from engine.script_check import check_model_file, model_expressions

    seen = 0
    for path in sorted(MODELS_DIR.glob("*.[bd]mn")):
        check_model_file(path.name, path.read_text(encoding="utf-8"))
        seen += len(list(model_expressions(path.name, path.read_text(encoding="utf-8"))))
    assert seen > 150  # scripts, conditions, timers, properties and DMN entries of every model


@pytest.mark.parametrize("schema, element, message", [
    ({"type": "object"}, "x-case-kind", "开始表单须以 x-case-kind 指明案件种类"),
    ({"type": "object", "x-case-kind": "case", "x-started-by": ["agency_head"]}, "x-started-by", "不能是 ['agency_head']"),
])
def test_a_start_schema_names_its_case_kind_and_officer_roles(models, schema, element, message):
    (models / "forms" / "approval.start.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        SpecLibrary(models)
    assert err.value.details == {"file": "forms/approval.start.schema.json", "element": element}
    assert message in err.value.message
    (models / "forms" / "approval.start.schema.json").write_text(json.dumps({"x-case-kind": "case"}), encoding="utf-8")
    assert SpecLibrary(models).latest("approval").start_schema() == {"x-case-kind": "case"}
