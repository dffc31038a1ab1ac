"""Validate task data against a form's JSON Schema, with errors that name the field in Chinese."""

from __future__ import annotations

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from engine.errors import ValidationFailed

_TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "是/否", "array": "列表", "object": "对象", "null": "空值"}


def _path(error: ValidationError, extra: str | None = None) -> str:
    parts = []
    for part in list(error.absolute_path) + ([extra] if extra else []):
        parts.append(f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part)))
    return "".join(parts) or "(表单)"


def _title(error: ValidationError, prop: str | None = None) -> str:
    schema = error.schema
    if prop is not None:
        sub = (schema.get("properties") or {}).get(prop, {})
        return sub.get("title") or prop
    return schema.get("title") or _path(error)


def _message(error: ValidationError) -> tuple[str, str]:
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = next(p for p in value if p not in (error.instance or {}))
        return _path(error, missing), f"缺少必填项「{_title(error, missing)}」"
    if kind == "additionalProperties":
        extras = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _path(error, extras[0] if extras else None), f"不允许的字段「{'、'.join(extras)}」"
    title, field = _title(error), _path(error)
    if kind == "type":
        names = value if isinstance(value, list) else [value]
        return field, f"「{title}」应为{'或'.join(_TYPE_NAMES.get(n, n) for n in names)}"
    if kind in ("enum", "const") or (kind in ("oneOf", "anyOf") and all("const" in option for option in value)):
        return field, f"「{title}」的值不在可选范围内"
    if kind == "minLength":
        return field, f"「{title}」不能为空" if value == 1 else f"「{title}」至少 {value} 个字"
    if kind == "maxLength":
        return field, f"「{title}」不能超过 {value} 个字"
    if kind in ("minimum", "exclusiveMinimum"):
        return field, f"「{title}」不能小于{'或等于' if kind == 'exclusiveMinimum' else ''} {value}"
    if kind in ("maximum", "exclusiveMaximum"):
        return field, f"「{title}」不能大于{'或等于' if kind == 'exclusiveMaximum' else ''} {value}"
    if kind == "minItems":
        return field, f"「{title}」至少需要 {value} 项"
    if kind == "maxItems":
        return field, f"「{title}」最多 {value} 项"
    if kind == "format":
        return field, f"「{title}」格式不正确(应为{'日期 YYYY-MM-DD' if value == 'date' else value})"
    if kind == "pattern":
        return field, f"「{title}」格式不正确"
    return field, f"「{title}」不符合要求"


def validate(validator: Draft202012Validator, data: dict) -> None:
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.validator))
    if not errors:
        return
    problems = [dict(zip(("field", "message"), _message(error))) for error in errors]
    raise ValidationFailed("表单填写有误: " + "; ".join(p["message"] for p in problems), details=problems)
