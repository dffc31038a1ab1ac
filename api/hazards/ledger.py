"""重点隐患台账: the hazard reports of a township (the county: of its townships and park), filtered, paged, exported.

Read from the report rows and the case columns only (no workflow is loaded). A citizen reporter's identity is
not in it: the ledger says 群众举报 and nothing more.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from typing import Annotated

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import select

from api.hazards import hazard_permissions
from api.hazards.config import hazard_config
from api.hazards.models import HazardReport, HazardSource
from api.hazards.reports import HazardOut, report_out
from api.identity.models import User
from engine.calendar import SHANGHAI
from engine.db import read_session
from engine.models import Agency, Case
from engine.vocab import CaseStatus

OPEN_STATUSES = [CaseStatus.hazard_triage, CaseStatus.hazard_whistled, CaseStatus.hazard_escalated,
                 CaseStatus.hazard_rechecking]
MAX_EXPORT_ROWS = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ["编号", "报告时间", "乡镇(园区)", "来源", "网格", "类别", "地点", "纬度", "经度", "涉及单位", "情况说明", "状态"]


class LedgerFilters(BaseModel):
    category: Annotated[str | None, Field(max_length=40, description="隐患类别代码")] = None
    status: Annotated[str | None, Field(max_length=40, description="状态; open 为未办结的全部")] = None
    source: HazardSource | None = None
    agency_id: Annotated[int | None, Field(ge=1, le=2**31 - 1, description="县局查看某一乡镇(园区)")] = None
    reported_from: date | None = None
    reported_to: date | None = None
    q: Annotated[str | None, Field(max_length=100, description="地点、涉及单位或网格中的文字")] = None
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 20


class LedgerPage(BaseModel):
    items: list[HazardOut]
    total: int
    page: int
    page_size: int


def _query(session, user: User, filters: LedgerFilters):
    ids = hazard_permissions.hazard_ledger_agency_ids(session, user)
    if filters.agency_id is not None:
        ids = [i for i in ids if i == filters.agency_id]
    query = select(HazardReport, Case).join(Case, Case.id == HazardReport.case_id).where(HazardReport.agency_id.in_(ids))
    if filters.category:
        query = query.where(HazardReport.category == filters.category)
    if filters.status == "open":
        query = query.where(Case.status.in_([str(s) for s in OPEN_STATUSES]))
    elif filters.status:
        query = query.where(Case.status == filters.status)
    if filters.source:
        query = query.where(HazardReport.source == filters.source.value)
    if filters.reported_from:
        query = query.where(HazardReport.reported_at >= datetime.combine(filters.reported_from, time.min, SHANGHAI))
    if filters.reported_to:
        query = query.where(HazardReport.reported_at <= datetime.combine(filters.reported_to, time.max, SHANGHAI))
    if filters.q:
        pattern = "%" + filters.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(sa.or_(*(column.like(pattern, escape="\\") for column in
                                     (HazardReport.place, HazardReport.unit_name, HazardReport.grid))))
    return query.order_by(HazardReport.reported_at.desc(), HazardReport.id.desc())


def ledger_page(engine: sa.Engine, user: User, filters: LedgerFilters) -> LedgerPage:
    with read_session(engine) as session:
        query = _query(session, user, filters)
        total = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
        rows = session.exec(query.offset((filters.page - 1) * filters.page_size).limit(filters.page_size)).all()
        return LedgerPage(items=[report_out(report, case) for report, case in rows], total=total, page=filters.page,
                          page_size=filters.page_size)


def ledger_rows(engine: sa.Engine, user: User, filters: LedgerFilters) -> list[list]:
    """The ledger as table rows (COLUMNS), for the export."""
    labels = hazard_config().labels
    with read_session(engine) as session:
        names = {a.id: a.name for a in session.exec(select(Agency))}
        rows = session.exec(_query(session, user, filters).limit(MAX_EXPORT_ROWS)).all()
        return [[case.number or "", report.reported_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
                 names.get(report.agency_id, ""), HazardSource(report.source).label, report.grid or "",
                 labels.get(report.category, report.category), report.place,
                 "" if report.gps_lat is None else report.gps_lat, "" if report.gps_lon is None else report.gps_lon,
                 report.unit_name, report.description, CaseStatus(case.status).label] for report, case in rows]


def export(engine: sa.Engine, user: User, filters: LedgerFilters, kind: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the ledger as CSV (UTF-8 with BOM, for Excel) or xlsx."""
    rows = ledger_rows(engine, user, filters)
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "重点隐患台账"
        sheet.append(COLUMNS)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return (buffer.getvalue(), XLSX, "%E9%87%8D%E7%82%B9%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6.xlsx")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8", \
        "%E9%87%8D%E7%82%B9%E9%9A%90%E6%82%A3%E5%8F%B0%E8%B4%A6.csv"


def _cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is quoted with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
