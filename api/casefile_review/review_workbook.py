"""The review report as .xlsx (openpyxl): a summary sheet, then a sheet per unit with its files, findings and
responsible officers."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

_BAD_SHEET_CHARS = re.compile(r"[\\/*?:\[\]]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("", name)[:28] or "单位"
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base[:26]}{n}", n + 1
    used.add(candidate)
    return candidate


def _cell(value):
    """Text that looks like a formula is written as text (a case number or comment never runs in Excel)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _rows(sheet, header: list[str], rows: list[list]) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(v) for v in row])


def report_xlsx(report: dict) -> bytes:
    book = Workbook()
    summary = book.active
    used = {"总体情况"}
    summary.title = "总体情况"
    summary.append([report["title"]])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([f"评查期间: {report['period']}", f"随机种子: {report['seed']}"])
    _rows(summary, ["单位", "抽取案卷", "已评查", "平均得分", *report["grade_names"], "否决项"],
          [[u["unit_name"], u["files"], u["scored"], u["average"], *[u["grades"][g] for g in report["grade_names"]],
            len(u["vetoes"])] for u in report["units"]]
          + [["合计", report["overall"]["files"], report["overall"]["scored"], report["overall"]["average"],
              *[report["overall"]["grades"][g] for g in report["grade_names"]], len(report["overall"]["vetoes"])]])
    summary.append([])
    _rows(summary, ["常见问题(评查要点)", "涉及案卷", "合计扣分"],
          [[p["item_title"], p["files"], p["points_lost"]] for p in report["overall"]["problems"]])
    for unit in report["units"]:
        sheet = book.create_sheet(_sheet_name(unit["unit_name"], used))
        _rows(sheet, ["案号", "抽取依据", "评查人员", "得分", "等次", "否决项"],
              [[f["case_number"], f["reasons"], f["reviewer"], f["total"], f["grade"] or "未评查", "、".join(f["vetoes"])]
               for f in unit["file_rows"]])
        sheet.append([])
        _rows(sheet, ["案号", "评查要点", "否决", "扣分", "问题", "责任人员", "整改期限", "整改情况", "逾期"],
              [[f["case_number"], f["item_title"], "是" if f["veto"] else "", f["points_lost"], f["comment"],
                "、".join(o["name"] for o in f["officers"]), f["due_on"], f["rectification"] or "",
                "逾期未整改" if f["overdue"] else ""] for f in unit["finding_rows"]])
        for column in ("A", "B", "E", "H"):
            sheet.column_dimensions[column].width = 28
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
