"""Validate data against a form's JSON Schema, reporting every problem at once in Chinese.

Each problem names the field by its JSON path (`$.unit_attendees[0].name`), its dotted `field`
(`unit_attendees[0].name`) and its Chinese `title`, so a client can mark the field and a user can read it.
A form marks a field that must name an entry of the violation catalogue with `"format": "violation-code"`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from engine.errors import ValidationFailed
from engine.rules.violations import catalogue

_TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "是/否", "array": "列表", "object": "对象", "null": "空值"}
_FORMAT_NAMES = {"date": "日期 YYYY-MM-DD", "date-time": "日期时间 YYYY-MM-DDThh:mm:ss+08:00"}

# a text field whose schema sets no maxLength gets this one (no form field needs more than a few thousand characters)
DEFAULT_MAX_LENGTH = 10_000
# NUL (PostgreSQL refuses it in text) and lone UTF-16 surrogates (no encoding can store them)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

FORMAT_CHECKER = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)


@FORMAT_CHECKER.checks("violation-code")
def _in_catalogue(value) -> bool:
    return not isinstance(value, str) or value in catalogue()


def validator(schema: dict) -> Draft202012Validator:
    """The validator of a form schema: Draft 2020-12 with format checks (dates, violation codes) on, and
    `DEFAULT_MAX_LENGTH` on every text field that sets no maxLength."""
    return Draft202012Validator(_bounded(copy.deepcopy(schema)), format_checker=FORMAT_CHECKER)


def _bounded(schema):
    if isinstance(schema, list):
        for item in schema:
            _bounded(item)
    elif isinstance(schema, dict):
        kinds = schema.get("type")
        if (kinds == "string" or (isinstance(kinds, list) and "string" in kinds)) and "maxLength" not in schema:
            schema["maxLength"] = DEFAULT_MAX_LENGTH
        for value in schema.values():
            _bounded(value)
    return schema


def unstorable_text(value: Any, parts: list | None = None) -> list[dict]:
    """A problem for every key or text in `value` holding NUL or a lone surrogate, which no database stores."""
    parts = parts or []
    if isinstance(value, str):
        if _UNSTORABLE.search(value):
            return [problem(parts, _field(parts) or "请求体", f"「{_field(parts) or '请求体'}」含有无法保存的字符(NUL 或不成对的代理字符)")]
        return []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += unstorable_text(key, parts + [key]) if isinstance(key, str) and _UNSTORABLE.search(key) else []
            found += unstorable_text(item, parts + [key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += unstorable_text(item, parts + [index])
    return found


def _field(parts: Iterable) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def problem(parts: list, title: str, message: str) -> dict:
    """One problem with the field at `parts` (keys and list indexes) of the submitted data."""
    json_path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)
    return {"path": json_path, "field": _field(parts) or "(表单)", "title": title, "message": message}


def _own_title(error: ValidationError) -> str:
    return error.schema.get("title") or _field(error.absolute_path) or "表单"


def _required(error: ValidationError) -> list[dict]:
    """One problem per missing property (jsonschema reports each, but without naming it)."""
    parent = list(error.absolute_path)
    properties = error.schema.get("properties") or {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    found = []
    for name in error.validator_value:
        if name not in instance:
            title = (properties.get(name) or {}).get("title") or name
            found.append(problem(parent + [name], title, f"缺少必填项「{title}」"))
    return found


def _describe(error: ValidationError) -> list[dict]:
    kind, value = error.validator, error.validator_value
    if kind == "required":
        return _required(error)
    parts, title = list(error.absolute_path), _own_title(error)
    if kind == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return [problem(parts + [extra], extra, f"不允许的字段「{extra}」") for extra in extras]
    return [problem(parts, title, _message(kind, value, title))]


def _choice(kind: str, value) -> bool:
    return kind in ("enum", "const") or (kind in ("oneOf", "anyOf") and all("const" in option for option in value))


def _message(kind: str, value, title: str) -> str:
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        return f"「{title}」应为{'或'.join(_TYPE_NAMES.get(n, n) for n in names)}"
    if _choice(kind, value):
        return f"「{title}」的值不在可选范围内"
    if kind == "minLength":
        return f"「{title}」不能为空" if value == 1 else f"「{title}」至少 {value} 个字"
    if kind == "maxLength":
        return f"「{title}」不能超过 {value} 个字"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"「{title}」不能小于{'或等于' if kind == 'exclusiveMinimum' else ''} {value}"
    if kind in ("maximum", "exclusiveMaximum"):
        return f"「{title}」不能大于{'或等于' if kind == 'exclusiveMaximum' else ''} {value}"
    if kind == "minItems":
        return f"「{title}」至少需要 {value} 项"
    if kind == "maxItems":
        return f"「{title}」最多 {value} 项"
    if kind == "format" and value == "violation-code":
        return f"「{title}」不在违法行为清单中"
    if kind == "format":
        return f"「{title}」格式不正确(应为{_FORMAT_NAMES.get(value, value)})"
    if kind == "pattern":
        return f"「{title}」格式不正确"
    return f"「{title}」不符合要求"


def problems(form: Draft202012Validator, data: dict) -> list[dict]:
    """Every problem of `data` for the form (in the schema's order), each one once."""
    found: dict[tuple[str, str], dict] = {}
    for item in unstorable_text(data):
        found.setdefault((item["path"], item["message"]), item)
    for error in form.iter_errors(data):
        for item in _describe(error):
            found.setdefault((item["path"], item["message"]), item)
    return list(found.values())


def merge(found: list[dict], checked: list[dict]) -> list[dict]:
    """The form's problems and a check's; a check's problem replaces the form's at or under its path (it says more)."""
    paths = {item["path"] for item in checked}

    def covered(path: str) -> bool:
        return any(path == p or path.startswith((p + ".", p + "[")) for p in paths)

    return [item for item in found if not covered(item["path"])] + checked


def raise_problems(found: list[dict]) -> None:
    """Raise one ValidationFailed for all problems; its code (and plain message) is theirs when they share one."""
    if not found:
        return
    codes = {item.get("code", ValidationFailed.code) for item in found}
    code = codes.pop() if len(codes) == 1 else ValidationFailed.code
    message = "；".join(p["message"] for p in found)
    raise ValidationFailed(f"表单填写有误: {message}" if code == ValidationFailed.code else message, code=code, details=found)


def validate(form: Draft202012Validator, data: dict) -> None:
    raise_problems(problems(form, data))
