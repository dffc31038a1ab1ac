"""Task forms from the task's JSON Schema (bpmn/forms/*.json): which widget each field gets, and reading a
submitted HTML form back into the JSON the service validates.

Field names follow the paths the engine's validation errors use (`party.name`, `officers[0].name`),
so each error is shown beside its field. Arrays of objects are posted as `path[i].field`; their
row numbers need not be consecutive (rows are added and removed in the page), and are compacted here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime

from jsonschema import Draft202012Validator
from starlette.datastructures import FormData

from api.officer_eligibility import OFFICERS_FIELD
from documents.amounts import amount_in_capitals
from engine import forms as engine_forms
from engine.errors import ValidationFailed
from engine.specs import LoadedProcess

LONG_TEXT = 300  # longer strings get a text area
DATETIME_PATTERN = re.compile(r"^\^\\d\{4\}-\\d\{2\}-\\d\{2\}T")
LABELLED_VALUE = re.compile(r"([A-Za-z0-9_]+)=([^、,，;；]+)")
MONEY_UNIT = "元"  # a number titled in yuan, e.g. 拟罚款金额(元): shown with its Chinese capital form
MISSING = object()
EVIDENCE_ID = re.compile(r"[0-9]{1,10}")


def base_type(schema: Mapping) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind


def options(schema: Mapping, known: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(value, Chinese label) of an enumerated field: oneOf consts with titles, or enum values named in the
    description (`onsite=现场处理措施、…`) or titled for the same code in another form (`known`)."""
    one_of = schema.get("oneOf") or schema.get("anyOf") or []
    if one_of and all("const" in o for o in one_of):
        return [(str(o["const"]), o.get("title") or str(o["const"])) for o in one_of]
    if "enum" in schema:
        labels = {**(known or {}), **dict(LABELLED_VALUE.findall(schema.get("description") or ""))}
        return [(str(v), labels.get(str(v), str(v))) for v in schema["enum"] if v is not None]
    return []


_labels_by_versions: dict[tuple[str, ...], dict[str, str]] = {}


def known_labels(processes: list[LoadedProcess]) -> dict[str, str]:
    """Every code some form of these process versions titles (e.g. fine → 罚款, in the inspection's
    assessment), for forms that list the bare codes; the first process's own titles come first."""
    key = tuple(p.version_id for p in processes)
    if key not in _labels_by_versions:
        labels: dict[str, str] = {}
        for process in processes:
            for name, text in sorted(process.files.items()):
                if name.endswith(".json"):
                    _collect_labels(json.loads(text), labels)
        _labels_by_versions[key] = labels
    return _labels_by_versions[key]


def _collect_labels(node, labels: dict[str, str]) -> None:
    if isinstance(node, dict):
        for choice in node.get("oneOf") or node.get("anyOf") or []:
            if isinstance(choice, dict) and "const" in choice and choice.get("title"):
                labels.setdefault(str(choice["const"]), choice["title"])
        for value in node.values():
            _collect_labels(value, labels)
    elif isinstance(node, list):
        for value in node:
            _collect_labels(value, labels)


def widget(schema: Mapping, path: str) -> str:
    if "const" in schema:
        return "const"
    if schema.get("x-widget") == "signature":  # drawn on a canvas (static/web/signature.js) or refused
        return "signature"
    kind = base_type(schema)
    if kind == "object":
        return "object"
    if kind == "array":
        items = schema.get("items") or {}
        if base_type(items) == "object":
            return "officers" if path == OFFICERS_FIELD else "rows"
        return "multi" if options(items) else "lines"
    if kind == "boolean":
        return "boolean"
    if kind in ("integer", "number"):
        return "money" if MONEY_UNIT in (schema.get("title") or "") else "number"
    if options(schema):
        return "select"
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "date-time" or DATETIME_PATTERN.match(schema.get("pattern") or ""):
        return "datetime"
    if (schema.get("maxLength") or 0) > LONG_TEXT:
        return "textarea"
    return "text"


def capitals(value) -> str:
    """人民币叁万元整 for 30000; nothing for what is not an amount."""
    try:
        return f"人民币{amount_in_capitals(value)}" if value not in (None, "") and float(value) >= 0 else ""
    except (ValueError, TypeError, ArithmeticError):
        return ""


def datetime_input_value(value) -> str:
    """A stored date-time as a datetime-local input shows it (Beijing time, to the minute)."""
    if not isinstance(value, str):
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return parsed.strftime("%Y-%m-%dT%H:%M")


# ---- reading a submitted form -------------------------------------------------------
def read_form(schema: Mapping, form: FormData, officers: Mapping[int, dict]) -> dict:
    """The task data of a submitted form; `officers` are the pickable officers by user id."""
    data = {}
    for name, sub in (schema.get("properties") or {}).items():
        value = _read(sub, name, form, officers)
        if value is not MISSING:
            data[name] = value
    return data


def _read(schema: Mapping, path: str, form: FormData, officers: Mapping[int, dict]):
    kind = widget(schema, path)
    if kind == "const":
        return schema["const"]
    if kind == "object":
        value = {}
        for name, sub in (schema.get("properties") or {}).items():
            item = _read(sub, f"{path}.{name}", form, officers)
            if item is not MISSING:
                value[name] = item
        return value or MISSING
    if kind == "signature":
        return _signature(path, form)
    if kind == "officers":
        picked = [int(v) for v in form.getlist(path) if isinstance(v, str) and v.isdigit()]
        return [officers.get(user_id, {"user_id": user_id}) for user_id in dict.fromkeys(picked)]
    if kind == "rows":
        rows = []
        for index in _row_indexes(form, path):
            row = _read(schema.get("items") or {}, f"{path}[{index}]", form, officers)
            if row is not MISSING:
                rows.append(row)
        return rows
    if kind == "multi":
        return [v for v in form.getlist(path) if isinstance(v, str) and v]
    raw = form.get(path)
    if not isinstance(raw, str) or not raw.strip():
        return None if _nullable(schema) else MISSING
    raw = raw.strip()
    if kind == "lines":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    if kind in ("number", "money"):
        return _number(raw, base_type(schema))
    if kind == "datetime" and schema.get("format") == "date-time" and len(raw) == 16:
        return f"{raw}:00+08:00"  # a datetime-local input is Beijing time to the minute
    return raw


def _signature(path: str, form: FormData):
    """{"refused": true, "witness": …} when the refusal is ticked, else the drawn image's evidence id."""
    if form.get(f"{path}.refused") == "true":
        witness = form.get(f"{path}.witness")
        return {"refused": True, **({"witness": witness.strip()} if isinstance(witness, str) and witness.strip() else {})}
    evidence_id = form.get(f"{path}.evidence_id")
    return {"evidence_id": int(evidence_id)} if isinstance(evidence_id, str) and EVIDENCE_ID.fullmatch(evidence_id) else MISSING


def _nullable(schema: Mapping) -> bool:
    """A field that may be null is left empty on purpose (e.g. a violation code not in the list)."""
    kind = schema.get("type")
    return isinstance(kind, list) and "null" in kind


def _row_indexes(form: FormData, path: str) -> list[int]:
    pattern = re.compile(re.escape(path) + r"\[(\d+)\]")
    return sorted({int(m.group(1)) for key in form.keys() if (m := pattern.match(key))})


def _number(raw: str, kind: str | None):
    try:
        value = float(raw)
    except ValueError:
        return raw  # the validator names the field and says a number is expected
    if kind == "integer" or value.is_integer():
        return int(value) if value.is_integer() else value
    return value


# ---- errors --------------------------------------------------------------------------
def schema_errors(schema: dict, data: dict) -> dict[str, str]:
    """The form's errors by field path, as the engine words them when it validates the same data."""
    try:
        engine_forms.validate(Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER), data)
    except ValidationFailed as exc:
        return field_errors(exc.details)
    return {}


def field_errors(details) -> dict[str, str]:
    """Error messages by field path, from a ValidationFailed's details."""
    items = details if isinstance(details, list) else [details] if isinstance(details, dict) else []
    errors: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("field"), str) and item.get("message"):
            errors.setdefault(item["field"], item["message"])
    return errors
