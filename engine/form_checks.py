"""Checks of a model's forms when it is loaded: valid JSON Schema, and a start form naming its case kind and who
may start it (docs/MODELING.md)."""

from __future__ import annotations

import functools
import json

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from engine.errors import ModelError
from engine.settings import get_settings
from engine.vocab import Lane

FORMS_DIR = "forms"


def model_error(file: str, element: str, message: str) -> ModelError:
    return ModelError(f"流程模型错误: 文件 {file}, 元素 {element}: {message}", details={"file": file, "element": element})


def check_start_form(name: str, schema: dict) -> None:
    kinds = get_settings().case_number_patterns  # a kind is a number series
    if schema.get("x-case-kind") not in kinds:
        raise model_error(f"{FORMS_DIR}/{name}", "x-case-kind", f"开始表单须以 x-case-kind 指明案件种类: {'、'.join(kinds)}")
    unknown = set(schema.get("x-started-by", [])) - {Lane.township_officer, Lane.county_officer}
    if unknown:
        raise model_error(f"{FORMS_DIR}/{name}", "x-started-by", f"只能是 township_officer 或 county_officer, 不能是 {sorted(unknown)}")


@functools.cache  # a pure check of the text: once per process (every runtime build would repeat it, ~1.5 s)
def check_form(name: str, text: str) -> None:
    try:
        Draft202012Validator.check_schema(json.loads(text))
    except json.JSONDecodeError as exc:
        raise model_error(name, f"第 {exc.lineno} 行", f"JSON 格式错误: {exc.msg}") from exc
    except SchemaError as exc:
        raise model_error(name, "/".join(str(p) for p in exc.path) or "(根)", f"不是有效的 JSON Schema: {exc.message}") from exc
