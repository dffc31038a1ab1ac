"""Every decision table's input columns and its input contract agree: names, and typeRef against the schema type.

The Chinese title of an input is read from the table's label, so a message names the input as legal staff wrote it.
"""

from pathlib import Path

import pytest

from engine.errors import ValidationFailed
from engine.rules.contracts import CONTRACTS, column_titles, schema_for
from engine.rules.dmn import evaluate, load_table
from engine.rules.profiles import load_profile
from engine.settings import get_settings

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
TABLES = sorted(path.stem for path in BPMN_DIR.glob("*.dmn"))
PROFILE_INPUTS = {key for profile in ("jiangxi", "national") for version in load_profile(profile).versions
                  for key in version.table_inputs()}
# inputs of a contract that are not columns of its table, and why
# the violation and the facts that pick the statutory range (penalty_tier) the discretion tier divides
NOT_COLUMNS = {("discretion", "violation_code"), ("discretion", "overdue_uncorrected"),
               ("discretion", "serious_circumstances")}


def schema_types(rule: dict) -> set[str]:
    if "enum" in rule:
        return {type(value).__name__.replace("str", "string") for value in rule["enum"]}
    types = rule["type"] if isinstance(rule["type"], list) else [rule["type"]]
    return set(types) - {"null"}


TYPE_REF = {  # DMN typeRef -> the JSON types an input of that typeRef may have
    "string": [{"string"}, {"array"}],  # a list of codes (penalty_kinds) is tested with `'fine' in ?`
    "boolean": [{"boolean"}],
    "number": [{"number"}, {"integer"}],
}


def test_every_table_has_a_contract():
    assert TABLES == sorted(CONTRACTS)


@pytest.mark.parametrize("table_id", TABLES)
def test_columns_and_contract_agree(table_id):
    columns = load_table(table_id).inputs
    schema = schema_for(CONTRACTS[table_id], columns)
    names = {column.expression for column in columns}
    case_inputs = set(schema["properties"])
    assert names - case_inputs <= PROFILE_INPUTS, "a column is neither a case input nor a profile value"
    assert not names & case_inputs & PROFILE_INPUTS
    assert {(table_id, key) for key in case_inputs - names} <= NOT_COLUMNS, "a contract input is not a column"
    for column in columns:
        if column.expression in case_inputs:
            rule = schema["properties"][column.expression]
            assert schema_types(rule) in TYPE_REF[column.typeRef], column.expression
            assert rule["title"] and "(" not in rule["title"]
    for key in case_inputs - names:
        assert schema["properties"][key]["title"]


def test_titles_come_from_the_labels():
    titles = column_titles(load_table("hearing_eligible").inputs)
    assert titles["party_type"] == "当事人类型"  # the value legend "(person 公民 / ...)" is dropped
    with pytest.raises(ValidationFailed, match="缺少输入项 fine_amount“罚款金额（元）”"):
        evaluate("hearing_eligible", {"party_type": "person", "penalty_kinds": []})


def test_a_relabelled_column_is_named_by_its_new_label(tmp_path, monkeypatch):
    text = (BPMN_DIR / "accident_penalty.dmn").read_text(encoding="utf-8")
    (tmp_path / "accident_penalty.dmn").write_text(text.replace('label="事故等级 (', 'label="生产安全事故等级 ('),
                                                   encoding="utf-8")
    monkeypatch.setenv("ZHIFA_BPMN_DIR", str(tmp_path))
    get_settings.cache_clear()
    with pytest.raises(ValidationFailed, match="accident_grade“生产安全事故等级” 的值 'tiny' 无效"):
        evaluate("accident_penalty", {"accident_grade": "tiny"})
