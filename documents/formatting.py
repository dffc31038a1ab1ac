"""Turning snapshot values into the text a document shows."""

from __future__ import annotations

import re
from typing import Any

from documents.amounts import amount_phrase, chinese_date, chinese_datetime
from documents.catalogue import ColumnSpec, FieldSpec, FieldType
from documents.labels import label
from documents.punctuation import full_width

# Characters XML 1.0 cannot carry (C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

PARTY_UNIT_LINES = (
    ("name", "名称"),
    ("credit_code", "统一社会信用代码"),
    ("address", "地址"),
    ("legal_representative", "法定代表人"),
    ("phone", "联系电话"),
)
PARTY_PERSON_LINES = (
    ("name", "姓名"),
    ("sex", "性别"),
    ("birth_date", "出生日期"),
    ("id_number", "身份证号码"),
    ("employer", "工作单位"),
    ("post", "职务"),
    ("address", "住址"),
    ("phone", "联系电话"),
)


def clean(text: object) -> str:
    """User text as plain, XML-safe text (control characters dropped, CR normalised), with Chinese punctuation
    where it stands in Chinese text (documents.punctuation)."""
    return full_width(_XML_ILLEGAL.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n"))


_ID_BIRTH = re.compile(r"^\d{6}((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]$")


def birth_date(party: dict[str, Any]) -> str:
    """A person's date of birth as entered, or as an 18-digit resident ID number states it; "" if neither."""
    if party.get("birth_date"):
        return str(party["birth_date"])
    found = _ID_BIRTH.match(str(party.get("id_number") or ""))
    return "-".join(found.groups()) if found else ""


def party_lines(party: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines of the party block: a unit with its representative, a person with birth date and ID number."""
    if party.get("kind") == "person":
        values = {**party, "birth_date": birth_date(party)}
        lines = PARTY_PERSON_LINES
    else:
        values, lines = party, PARTY_UNIT_LINES
    out = []
    for key, caption in lines:
        if values.get(key) in (None, ""):
            continue
        text = chinese_date(values[key]) if key == "birth_date" else clean(values[key])
        out.append((caption, text))
    return out


def officers_text(officers: list[dict[str, Any]]) -> str:
    names = []
    for officer in officers:
        name = clean(officer.get("name", ""))
        certificate = officer.get("certificate_no")
        names.append(f"{name}（执法证号：{clean(certificate)}）" if certificate else name)
    return "、".join(names)


def format_value(spec: FieldSpec | ColumnSpec, value: Any) -> str:
    """The text of a field's (or an items column's) value as its catalogue type prints it."""
    if value is None or value == "":
        return ""
    kind = spec.type
    if kind == FieldType.enum:
        return clean(label(spec.labels, value))
    if kind == FieldType.date:
        return chinese_date(value)
    if kind == FieldType.datetime:
        return chinese_datetime(value)
    if kind == FieldType.amount:
        return amount_phrase(value)
    if kind == FieldType.party:
        return clean(value.get("name", ""))
    if kind == FieldType.officers:
        return officers_text(value)
    if kind == FieldType.items:
        return "；".join("，".join(format_value(c, row.get(c.name)) for c in spec.columns if row.get(c.name) not in (None, ""))
                        for row in value)
    return clean(value)
