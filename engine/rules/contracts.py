"""The input contract of every decision table: what DMN cannot say about an input (allowed values,
required or optional with a default, cross-field rules), as JSON Schema.

An input's Chinese title is its label in the DMN table (`validate_inputs` takes the table's input
columns); only inputs that are not a column of the table (discretion's `violation_code`, which picks
the fine range) carry a title here. tests/rules/test_contracts.py proves that every table's columns
and its contract agree (names and typeRef). `validate_inputs` checks the caller's inputs, fills the
optional ones with their defaults and raises `ValidationFailed` naming the input in Chinese.
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from engine.errors import NotFound, ValidationFailed
from engine.rules.violations import catalogue

PENALTY_KINDS = [
    "warning", "fine", "confiscation", "suspend_production", "close",
    "revoke_license", "suspend_license", "restrict_practice",
]

_PARTY_TYPE = {"enum": ["person", "organization"]}
_PENALTY_KINDS = {
    "type": "array",
    "items": {"enum": PENALTY_KINDS},
    "uniqueItems": True,
}
_AMOUNT = {"type": "number", "minimum": 0}
_FLAG = {"type": "boolean"}
_CODE = {"type": ["string", "null"]}


def _requires_kind(amount_key: str, kind: str) -> dict:
    """An amount above zero only makes sense when the matching penalty kind is proposed."""
    return {
        "if": {"properties": {amount_key: {"exclusiveMinimum": 0}}, "required": [amount_key]},
        "then": {"properties": {"penalty_kinds": {"contains": {"const": kind}}}},
    }


def _contract(properties: dict, required: list[str], *, defaults: dict | None = None,
              all_of: list[dict] | None = None) -> dict:
    schema = {"type": "object", "properties": properties, "required": required,
              "additionalProperties": False}
    if all_of:
        schema["allOf"] = all_of
    return {"schema": schema, "defaults": defaults or {}}


CONTRACTS: dict[str, dict] = {
    "jurisdiction": _contract(
        {
            "detected_by": {"enum": ["county", "township", "park"]},
            "penalised_party": {"enum": ["principal", "other_responsible", "safety_manager", "unit"]},
            "penalty_kinds": _PENALTY_KINDS,
            "accident": _FLAG,
            "crime_suspected": _FLAG,
            "in_em_scope": _FLAG,
            "target_assigned_level": {"enum": ["province", "city", "county", "township"]},
            "violation_code": _CODE,
            "entrusted_item": {"type": ["boolean", "null"]},
        },
        ["detected_by", "penalised_party", "penalty_kinds", "accident", "crime_suspected",
         "in_em_scope", "target_assigned_level"],
        defaults={"violation_code": None, "entrusted_item": None},
    ),
    "hearing_eligible": _contract(
        {
            "party_type": _PARTY_TYPE,
            "fine_amount": _AMOUNT,
            "confiscation_value": _AMOUNT,
            "penalty_kinds": _PENALTY_KINDS,
        },
        ["party_type", "fine_amount", "penalty_kinds"],
        defaults={"confiscation_value": 0},
        all_of=[_requires_kind("fine_amount", "fine"), _requires_kind("confiscation_value", "confiscation")],
    ),
    "major_decision": _contract(
        {
            "public_interest": _FLAG,
            "hearing_held": _FLAG,
            "complex_case": _FLAG,
            "hearing_eligible": _FLAG,
            "penalty_kinds": _PENALTY_KINDS,
            "daily_fine": _FLAG,
            "catalogue_item": _CODE,
        },
        ["public_interest", "hearing_held", "complex_case", "hearing_eligible", "penalty_kinds", "daily_fine"],
        defaults={"catalogue_item": None},
    ),
    "simple_procedure": _contract(
        {
            "party_type": _PARTY_TYPE,
            "fine_amount": _AMOUNT,
            "penalty_kinds": _PENALTY_KINDS,
            "facts_certain": _FLAG,
        },
        ["party_type", "fine_amount", "penalty_kinds", "facts_certain"],
        all_of=[_requires_kind("fine_amount", "fine")],
    ),
    "accident_penalty": _contract(
        {"accident_grade": {"enum": ["general", "larger", "major", "especially_major"]}},
        ["accident_grade"],
    ),
    "penalty_tier": _contract(
        {"overdue_uncorrected": _FLAG, "serious_circumstances": _FLAG},
        ["overdue_uncorrected"],
        defaults={"serious_circumstances": False},
    ),
    "discretion": _contract(
        {
            # not columns of the table: the violation and the facts whose statutory tier (the `penalty_tier`
            # table) gives the range the discretion tier divides
            "violation_code": {**_CODE, "title": "违法行为代码"},
            "overdue_uncorrected": {**_FLAG, "title": "经责令限期改正逾期未改正"},
            "serious_circumstances": {**_FLAG, "title": "情节严重"},
            "first_offence": _FLAG,
            "prompt_correction": _FLAG,
            "harm": {"enum": ["none", "minor", "serious"]},
            "repeat_offence": _FLAG,
        },
        ["first_offence", "prompt_correction", "harm", "repeat_offence"],
        defaults={"violation_code": None, "overdue_uncorrected": False, "serious_circumstances": False},
    ),
}

_LEGEND = re.compile(r"\s*\([a-z_]+ [^)]*\)$")  # "当事人类型 (person 公民 / organization 法人或其他组织)"
_TYPE_NAMES = {"number": "数字", "boolean": "布尔值 (true/false)", "string": "字符串", "null": "null",
               "array": "列表", "object": "对象", "integer": "整数"}


def table_ids() -> list[str]:
    return sorted(CONTRACTS)


def contract_for(table_id: str) -> dict:
    try:
        return CONTRACTS[table_id]
    except KeyError:
        raise NotFound(f"没有决策表 {table_id}，可用的决策表：{', '.join(table_ids())}",
                       details={"table": table_id}) from None


def _field_label(schema: dict, key: str) -> str:
    title = schema["properties"].get(key, {}).get("title")
    return f"{key}“{title}”" if title else key


def _message(error: ValidationError, schema: dict) -> tuple[str, str]:
    """(input key, Chinese message) for the first problem jsonschema found."""
    path = [str(part) for part in error.absolute_path]
    key = path[0] if path else ""
    if error.validator == "required":
        key = error.message.split("'")[1]
        return key, f"缺少输入项 {_field_label(schema, key)}"
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(schema["properties"]))
        key = extra[0] if extra else ""
        return key, f"未知的输入项 {key}，可用的输入项：{', '.join(schema['properties'])}"
    if error.validator == "contains" and key == "penalty_kinds":
        kind = error.validator_value["const"]
        amount = "fine_amount" if kind == "fine" else "confiscation_value"
        return key, (f"输入项 {_field_label(schema, amount)} 大于 0，但 {_field_label(schema, key)} "
                     f"中没有 {kind}")
    if not key:
        return "", "输入应为 JSON 对象"
    label = _field_label(schema, key)
    where = f"输入项 {label}" + (f" 第 {int(path[1]) + 1} 项" if len(path) > 1 else "")
    if error.validator == "enum":
        return key, f"{where} 的值 {error.instance!r} 无效，可选值：{', '.join(map(str, error.validator_value))}"
    if error.validator == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return key, f"{where} 应为{'或'.join(_TYPE_NAMES[name] for name in expected)}，收到 {error.instance!r}"
    if error.validator == "minimum":
        return key, f"{where} 不能小于 {error.validator_value}，收到 {error.instance!r}"
    if error.validator == "uniqueItems":
        return key, f"{where} 有重复的值"
    return key, f"{where} 无效：{error.message}"


def column_titles(columns: list) -> dict[str, str]:
    """Input name -> Chinese title, from a table's input columns (labels without their value legend)."""
    return {column.expression: _LEGEND.sub("", column.label or column.expression)
            for column in columns if column.expression}


def schema_for(contract: dict, columns: list) -> dict:
    """The contract's schema with each column's label as the title of its input."""
    titles = column_titles(columns)
    properties = {key: {"title": titles[key], **rule} if key in titles else rule
                  for key, rule in contract["schema"]["properties"].items()}
    return {**contract["schema"], "properties": properties}


def validate_inputs(table_id: str, inputs: Any, columns: list) -> dict[str, Any]:
    """Check `inputs` against the table's contract (titles from its input `columns`); return them
    with defaults filled in."""
    contract = contract_for(table_id)
    schema = schema_for(contract, columns)
    validator = Draft202012Validator(schema)
    # missing or mistyped inputs first, cross-field rules (penalty kind vs amount) last
    errors = sorted(validator.iter_errors(inputs),
                    key=lambda error: (error.validator == "contains", [str(p) for p in error.absolute_path]))
    if errors:
        problems = list(dict.fromkeys(_message(error, schema) for error in errors))
        raise ValidationFailed("；".join(message for _, message in problems),
                               details={"table": table_id, "input": problems[0][0],
                                        "inputs": [key for key, _ in problems]})
    code = inputs.get("violation_code")
    if code is not None and code not in catalogue():
        raise ValidationFailed(f"输入项 {_field_label(schema, 'violation_code')} 的值 {code!r} 不在违法行为清单中",
                               details={"table": table_id, "input": "violation_code"})
    return {**contract["defaults"], **inputs}
