"""The input contract of every decision table, in one place (JSON Schema, Chinese titles).

`validate_inputs(table_id, inputs)` checks the caller's inputs, fills the optional ones with their
defaults and raises `ValidationFailed` naming the input (key and Chinese title) in Chinese.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from engine.errors import NotFound, ValidationFailed
from engine.rules.violations import catalogue

PENALTY_KINDS = [
    "warning", "fine", "confiscation", "suspend_production", "close",
    "revoke_license", "suspend_license", "restrict_practice",
]

_PARTY_TYPE = {"title": "当事人类型", "enum": ["person", "organization"]}
_PENALTY_KINDS = {
    "title": "拟作出的处罚种类",
    "type": "array",
    "items": {"enum": PENALTY_KINDS},
    "uniqueItems": True,
}


def _amount(title: str) -> dict:
    return {"title": title, "type": "number", "minimum": 0}


def _flag(title: str) -> dict:
    return {"title": title, "type": "boolean"}


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
            "detected_by": {"title": "发现单位", "enum": ["county", "township", "park"]},
            "penalised_party": {"title": "被处罚对象",
                                "enum": ["principal", "other_responsible", "safety_manager", "unit"]},
            "penalty_kinds": _PENALTY_KINDS,
            "accident": _flag("发生生产安全事故"),
            "crime_suspected": _flag("涉嫌犯罪"),
            "in_em_scope": _flag("属于应急管理部门职责范围"),
            "target_assigned_level": {"title": "执法对象所属执法层级",
                                      "enum": ["province", "city", "county", "township"]},
            "violation_code": {"title": "违法行为代码", "type": ["string", "null"]},
        },
        ["detected_by", "penalised_party", "penalty_kinds", "accident", "crime_suspected",
         "in_em_scope", "target_assigned_level"],
        defaults={"violation_code": None},
    ),
    "hearing_eligible": _contract(
        {
            "party_type": _PARTY_TYPE,
            "fine_amount": _amount("罚款金额（元）"),
            "confiscation_value": _amount("没收违法所得或非法财物价值（元）"),
            "penalty_kinds": _PENALTY_KINDS,
        },
        ["party_type", "fine_amount", "penalty_kinds"],
        defaults={"confiscation_value": 0},
        all_of=[_requires_kind("fine_amount", "fine"), _requires_kind("confiscation_value", "confiscation")],
    ),
    "major_decision": _contract(
        {
            "public_interest": _flag("涉及重大公共利益"),
            "hearing_held": _flag("经过听证"),
            "complex_case": _flag("案情疑难复杂"),
            "hearing_eligible": _flag("符合听证条件"),
            "penalty_kinds": _PENALTY_KINDS,
            "daily_fine": _flag("按日连续处罚"),
            "catalogue_item": {"title": "法制审核目录清单事项", "type": ["string", "null"]},
        },
        ["public_interest", "hearing_held", "complex_case", "hearing_eligible", "penalty_kinds", "daily_fine"],
        defaults={"catalogue_item": None},
    ),
    "simple_procedure": _contract(
        {
            "party_type": _PARTY_TYPE,
            "fine_amount": _amount("罚款金额（元）"),
            "penalty_kinds": _PENALTY_KINDS,
            "facts_certain": _flag("违法事实确凿并有法定依据"),
        },
        ["party_type", "fine_amount", "penalty_kinds", "facts_certain"],
        all_of=[_requires_kind("fine_amount", "fine")],
    ),
    "accident_penalty": _contract(
        {"accident_grade": {"title": "事故等级", "enum": ["general", "larger", "major", "especially_major"]}},
        ["accident_grade"],
    ),
    "discretion": _contract(
        {
            "violation_code": {"title": "违法行为代码", "type": ["string", "null"]},
            "first_offence": _flag("初次违法"),
            "prompt_correction": _flag("主动消除或减轻危害后果、及时改正"),
            "harm": {"title": "危害后果", "enum": ["none", "minor", "serious"]},
            "repeat_offence": _flag("再次违法"),
        },
        ["first_offence", "prompt_correction", "harm", "repeat_offence"],
        defaults={"violation_code": None},
    ),
}

_TYPE_NAMES = {"number": "数字", "boolean": "布尔值 (true/false)", "string": "字符串", "null": "null",
               "array": "列表", "object": "对象", "integer": "整数"}


def table_ids() -> list[str]:
    return sorted(CONTRACTS)


def _contract_for(table_id: str) -> dict:
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


def validate_inputs(table_id: str, inputs: Any) -> dict[str, Any]:
    """Check `inputs` against the table's contract; return them with defaults filled in."""
    contract = _contract_for(table_id)
    schema = contract["schema"]
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
