"""Import and export of the register as CSV (UTF-8, with or without BOM) or Excel (.xlsx, openpyxl).

An import is all or nothing: every row is checked first; if any row has a problem, nothing is stored and the
answer names each bad row (its sheet row number, counting the header as row 1) with all of its problems. Rows
whose credit code is already in the register update that entry (a change recorded as `imported`); new codes
create entries. The same code twice in one file is a problem of the later row.
"""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from api.identity.models import User
from api.targets import target_permissions
from api.targets.fields import contacts_text, normalise, parse_contacts
from api.targets.models import Target
from api.targets.service import list_targets, save_entry, township_keys
from api.targets.vocabulary import VOCABULARIES
from engine.db import read_session, transaction
from engine.errors import ValidationFailed

COLUMNS = [("credit_code", "统一社会信用代码"), ("name", "单位名称"), ("address", "地址"), ("township_id", "所属乡镇(园区)"),
           ("industry", "行业"), ("risk_level", "风险等级"), ("credit_level", "信用等级"), ("standardisation", "标准化等级"),
           ("assigned_level", "执法层级"), ("key_target", "重点检查对象"), ("contacts", "联系人")]
HEADERS = {label: key for key, label in COLUMNS} | {key: key for key, _ in COLUMNS}
MAX_ROWS = 20_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows_from(content: bytes, file_format: str) -> list[list[str]]:
    try:
        if file_format == "xlsx":
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    except Exception as exc:  # an uploaded file in any state: whatever the parser trips on is a bad file
        raise ValidationFailed("文件无法读取: 请上传 UTF-8 编码的 CSV 或 Excel(.xlsx)文件", code="import_unreadable",
                               details={"reason": type(exc).__name__}) from exc


def import_table(engine: sa.Engine, user: User, content: bytes, file_format: str) -> dict:
    with read_session(engine) as session:
        target_permissions.require_register_editor(session, user, user.agency_id)
    rows = _rows_from(content, file_format)
    if not rows:
        raise ValidationFailed("文件为空", code="import_empty")
    header = [HEADERS.get(str(cell).strip()) for cell in rows[0]]
    missing = [label for key, label in COLUMNS if key not in header and key not in ("contacts", "credit_level", "address")]
    if missing:
        raise ValidationFailed(f"表头缺少列: {'、'.join(missing)}", code="import_header", details={"missing": missing})
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(str(c).strip() for c in row)]
    if len(body) > MAX_ROWS:
        raise ValidationFailed(f"一次最多导入{MAX_ROWS}行", code="import_too_many_rows")
    with transaction(engine) as session:
        townships = township_keys(session, user)
        checked, errors, seen = [], [], {}
        for number, row in body:
            raw = {key: (row[i] if i < len(row) else "") for i, key in enumerate(header) if key}
            raw["contacts"] = parse_contacts(str(raw.get("contacts") or ""))
            values, problems = normalise(raw, townships)
            if values["credit_code"] in seen:
                problems.append(f"统一社会信用代码与第{seen[values['credit_code']]}行重复")
            seen.setdefault(values["credit_code"], number)
            if problems:
                errors.append({"row": number, "credit_code": values["credit_code"], "problems": problems})
            checked.append(values)
        if errors:
            raise ValidationFailed(f"{len(errors)}行有错误, 未导入任何数据", code="import_rejected", details=errors)
        existing = {t.credit_code: t for t in session.exec(
            select(Target).where(Target.credit_code.in_([v["credit_code"] for v in checked])))}
        created = updated = 0
        for values in checked:
            target = existing.get(values["credit_code"])
            changed = save_entry(session, user, values, source="imported", target=target)
            created += target is None
            updated += target is not None and changed is not None
        return {"created": created, "updated": updated, "unchanged": len(checked) - created - updated}


def export_table(engine: sa.Engine, user: User, file_format: str) -> bytes:
    targets = list_targets(engine, user)
    rows = [[label for _, label in COLUMNS]]
    for target in targets:
        row = []
        for key, _ in COLUMNS:
            if key == "township_id":
                row.append(target["township_name"])
            elif key in VOCABULARIES:
                row.append(target["labels"][key])
            elif key == "key_target":
                row.append("是" if target["key_target"] else "否")
            elif key == "contacts":
                row.append(contacts_text(target["contacts"]))
            else:
                row.append(target[key] or "")
        rows.append(row)
    if file_format == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "执法对象名录"
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")
