"""`zhifa decide`: JSON out, non-zero exit and a message naming the input otherwise."""

import json

import pytest
import typer
from typer.testing import CliRunner

from api.commands.rules import register

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    app = typer.Typer()

    @app.callback()
    def main():
        """zhifa (test app)"""

    register(app)
    return app


def decide(app, table, inputs, *options):
    text = inputs if isinstance(inputs, str) else json.dumps(inputs)
    return runner.invoke(app, ["decide", table, "--json", text, "--on", "2024-03-01", *options])


def test_hearing_eligible_prints_json(app):
    result = decide(app, "hearing_eligible", {"party_type": "person", "fine_amount": 3000, "penalty_kinds": ["fine"]})
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"hearing_eligible": True}


def test_profile_option_and_profile_input(app):
    inputs = {"party_type": "organization", "fine_amount": 20000, "penalty_kinds": ["fine"]}
    assert json.loads(decide(app, "hearing_eligible", inputs, "--profile", "national").stdout) == {
        "hearing_eligible": False}
    assert json.loads(decide(app, "hearing_eligible", {**inputs, "profile": "national"}).stdout) == {
        "hearing_eligible": False}


def test_major_decision_and_simple_procedure(app):
    major = decide(app, "major_decision", {
        "public_interest": False, "hearing_held": True, "complex_case": False, "hearing_eligible": False,
        "penalty_kinds": ["fine"], "daily_fine": False, "catalogue_item": None})
    assert json.loads(major.stdout) == {"major": True, "legal_review": True, "collective_discussion": True}
    simple = decide(app, "simple_procedure", {
        "party_type": "organization", "fine_amount": 2000, "penalty_kinds": ["warning", "fine"],
        "facts_certain": True})
    assert json.loads(simple.stdout) == {"simple": True}


def test_discretion_with_a_violation_code(app):
    result = decide(app, "discretion", {"violation_code": "SPL-096-1-SAF", "first_offence": False,
                                        "prompt_correction": False, "harm": "minor", "repeat_offence": True})
    assert result.exit_code == 0
    output = json.loads(result.stdout)
    assert (output["tier"], output["tier_label"], output["fine_min"], output["fine_max"]) == (
        "heavier", "从重", 23333, 30000)


@pytest.mark.parametrize("table, inputs, message", [
    ("hearing_eligible", {"party_type": "person", "penalty_kinds": ["fine"]},
     "缺少输入项 fine_amount“罚款金额（元）”"),
    ("hearing_eligible", {"party_type": "citizen", "fine_amount": 1, "penalty_kinds": ["fine"]},
     "输入项 party_type“当事人类型” 的值 'citizen' 无效，可选值：person, organization"),
    ("simple_procedure", {"party_type": "person", "fine_amount": "200", "penalty_kinds": ["fine"],
                          "facts_certain": True},
     "输入项 fine_amount“罚款金额（元）” 应为数字，收到 '200'"),
    ("simple_procedure", {"party_type": "person", "fine_amount": 100, "penalty_kinds": ["fine", "jail"],
                          "facts_certain": True},
     "输入项 penalty_kinds“拟作出的处罚种类” 第 2 项 的值 'jail' 无效"),
    ("simple_procedure", {"party_type": "person", "fine_amount": 100, "penalty_kinds": ["warning"],
                          "facts_certain": True},
     "输入项 fine_amount“罚款金额（元）” 大于 0，但 penalty_kinds“拟作出的处罚种类” 中没有 fine"),
    ("major_decision", {"public_interest": "yes"}, "输入项 public_interest“涉及重大公共利益或可能造成重大社会影响” 应为布尔值"),
    ("jurisdiction", {"detected_by": "township", "penalised_party": "principal", "penalty_kinds": ["fine"],
                      "accident": False, "crime_suspected": False, "in_em_scope": True},
     "缺少输入项 target_assigned_level“分级分类所属层级”"),
    ("hearing_eligible", {"party_type": "person", "fine_amount": 1, "penalty_kinds": ["fine"], "fines": 2},
     "未知的输入项 fines"),
    ("court", {}, "没有决策表 court"),
    ("hearing_eligible", "{not json", "--json 不是有效的 JSON"),
])
def test_invalid_input_exits_2_naming_it(app, table, inputs, message):
    result = decide(app, table, inputs)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_unknown_profile_and_bad_date(app):
    inputs = {"party_type": "person", "fine_amount": 1, "penalty_kinds": ["fine"]}
    result = decide(app, "hearing_eligible", inputs, "--profile", "mars")
    assert result.exit_code == 2 and "找不到规则配置 mars" in result.stderr
    result = runner.invoke(app, ["decide", "hearing_eligible", "--json", json.dumps(inputs), "--on", "2024-13-01"])
    assert result.exit_code == 2 and "--on 不是有效日期" in result.stderr
    result = runner.invoke(app, ["decide", "hearing_eligible", "--json", json.dumps(inputs), "--on", "2020-01-01"])
    assert result.exit_code == 2 and "在 2020-01-01 没有生效的版本" in result.stderr


def test_missing_json_option(app):
    result = runner.invoke(app, ["decide", "hearing_eligible"])
    assert result.exit_code == 2 and "缺少输入 --json" in result.stderr


def test_jurisdiction_table_is_served(app):
    # DOMAIN.md §12 E1 (R5): township finds the principal person's failure of duty, fine on the person only.
    e1 = {"detected_by": "township", "penalised_party": "principal", "penalty_kinds": ["fine"],
          "accident": False, "crime_suspected": False, "in_em_scope": True, "target_assigned_level": "county"}
    assert json.loads(decide(app, "jurisdiction", e1).stdout) == {"route": "entrusted"}
    assert json.loads(decide(app, "jurisdiction", {**e1, "violation_code": "SPL-094-1"}).stdout) == {
        "route": "entrusted"}
    # E9 (R1): special equipment is outside EM jurisdiction
    assert json.loads(decide(app, "jurisdiction", {**e1, "in_em_scope": False}).stdout) == {"route": "transfer"}
    result = decide(app, "jurisdiction", {**e1, "violation_code": "SPL-000"})
    assert result.exit_code == 2 and "violation_code“违法行为代码” 的值 'SPL-000' 不在违法行为清单中" in result.stderr
