"""The evaluator's hit-policy handling, on small tables written for the test."""

import pytest

from engine.errors import ModelError
from engine.rules.dmn import decide, load_table_file

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="测试" '
        'namespace="https://zhifa.example.org/test">\n'
        '<decision id="points" name="扣分"><decisionTable id="t" {attributes}>\n'
        '<input id="i1" label="金额"><inputExpression id="e1" typeRef="number"><text>amount</text>'
        '</inputExpression></input>\n'
        '<output id="o1" label="分" name="points" typeRef="number"/>\n')
RULES = ''.join(
    f'<rule id="r{n}"><inputEntry id="r{n}i"><text>{entry}</text></inputEntry>'
    f'<outputEntry id="r{n}o"><text>{points}</text></outputEntry></rule>\n'
    for n, (entry, points) in enumerate([("&gt;= 100", 1), ("&gt;= 1000", 2), ("&gt;= 10000", 4)], start=1)
)


def table(tmp_path, attributes):
    path = tmp_path / "points.dmn"
    path.write_text(HEAD.format(attributes=attributes) + RULES + "</decisionTable></decision></definitions>\n",
                    encoding="utf-8")
    return load_table_file(path, "points")


def test_collect_without_aggregation_lists_every_match(tmp_path):
    points = table(tmp_path, 'hitPolicy="COLLECT"')
    assert decide(points, {"amount": 5000}) == {"points": [1, 2]}
    assert decide(points, {"amount": 5}) == {"points": []}


@pytest.mark.parametrize("aggregation, expected, when_none", [
    ("SUM", 7, None), ("COUNT", 3, 0), ("MIN", 1, None), ("MAX", 4, None)])
def test_collect_aggregations(tmp_path, aggregation, expected, when_none):
    points = table(tmp_path, f'hitPolicy="COLLECT" aggregation="{aggregation}"')
    assert decide(points, {"amount": 20000}) == {"points": expected}
    assert decide(points, {"amount": 5}) == {"points": when_none}


def test_first_takes_the_first_matching_row(tmp_path):
    assert decide(table(tmp_path, 'hitPolicy="FIRST"'), {"amount": 20000}) == {"points": 1}


def test_first_without_a_match_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="没有规则与输入相符"):
        decide(table(tmp_path, 'hitPolicy="FIRST"'), {"amount": 5})


def test_unique_with_two_matches_names_the_rows(tmp_path):
    points = table(tmp_path, 'hitPolicy="UNIQUE"')
    assert decide(points, {"amount": 500}) == {"points": 1}
    with pytest.raises(ModelError, match="第 1 行、第 2 行"):
        decide(points, {"amount": 5000})


@pytest.mark.parametrize("policy", ["ANY", "PRIORITY", "RULE ORDER"])
def test_policies_spiffworkflow_does_not_implement_are_refused(tmp_path, policy):
    with pytest.raises(ModelError, match=f"命中策略 {policy} 不受支持"):
        table(tmp_path, f'hitPolicy="{policy}"')


def test_schema_invalid_file_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="points.dmn"):
        table(tmp_path, 'hitPolicy="FIRST" bogus="x"')
