"""Hazard reports: a grid member's or a citizen's report starts a `hazard_report` case in the township, photos are
stored as the case's evidence; the reporter follows the status. The procedure itself (triage, 吹哨, 报到, county
supervision of overdue departments, re-check) is bpmn/hazard_report.bpmn, acted on through the ordinary task routes.

A citizen's name and phone go into `hazard_reporter_identity` only: not into the case data, the record, the
evidence metadata, the ledger or anything published. The citizen follows the report with a receipt code, of
which only the SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from api import authz, schemas
from api.hazards import hazard_permissions
from api.hazards.config import hazard_config
from api.hazards.models import HazardReport, HazardReporterIdentity, HazardSource
from api.identity.models import User
from api.identity.service import actor_for
from api.targets.models import Target
from engine import clock, record
from engine.db import read_session, transaction
from engine.errors import NotFound, ValidationFailed
from engine.models import Actor, Agency, Case
from engine.runtime import Runtime
from engine.vocab import AgencyKind, CaseStatus, Role

PROCESS_ID = "hazard_report"
CITIZEN = Actor(user_id=None, name="举报人（身份保密）", role=Role.citizen, agency_id=None)

Place = Annotated[schemas.Text, Field(min_length=1, max_length=300, description="地点")]


class HazardIn(schemas.Strict):
    category: Annotated[str, Field(max_length=40, description="隐患类别代码(GET /api/v1/hazards/categories)")]
    place: Place
    gps_lat: Annotated[float | None, Field(ge=-90, le=90, description="纬度")] = None
    gps_lon: Annotated[float | None, Field(ge=-180, le=180, description="经度")] = None
    description: Annotated[schemas.Text, Field(min_length=1, max_length=2000, description="情况说明")]
    unit_name: Annotated[schemas.Text, Field(max_length=200, description="涉及单位(如有)")] = ""


class CitizenHazardIn(HazardIn):
    agency_code: Annotated[str, Field(min_length=1, max_length=40, description="隐患所在乡镇(园区)的机构代码")]
    reporter_name: Annotated[schemas.Text, Field(min_length=1, max_length=100, description="举报人姓名(保密)")]
    reporter_phone: Annotated[schemas.Text, Field(min_length=1, max_length=50, description="举报人电话(保密)")]


class DepartmentOut(BaseModel):
    name: str
    acknowledged: bool = Field(description="已报到")
    action: str | None = Field(description="报告的处置情况")
    escalated: bool = Field(description="曾因逾期报县局督办")


class HazardOut(BaseModel):
    id: int
    case_id: int
    number: str | None
    source: HazardSource
    source_label: str
    category: str
    category_label: str
    place: str
    gps_lat: float | None
    gps_lon: float | None
    description: str
    unit_name: str
    target_id: int | None = Field(default=None, description="涉及单位在执法对象名录中的条目(一企一档)")
    grid: str | None
    status: str
    status_label: str
    reported_at: datetime
    departments: list[DepartmentOut] = Field(default_factory=list, description="吹哨召集的部门(详情中列出)")
    ack_due: str | None = None
    action_due: str | None = None


class ReceiptOut(BaseModel):
    receipt_code: str = Field(description="查询码: 凭此查询办理状态, 请妥善保存(系统不保存明文)")
    status_label: str


class ReporterOut(BaseModel):
    name: str = Field(description="举报人姓名(保密)")
    phone: str = Field(description="举报人电话(保密)")


class CitizenStatusOut(BaseModel):
    category_label: str
    status_label: str
    reported_at: datetime


# ---- filing ----------------------------------------------------------------------
def file_grid_report(runtime: Runtime, user: User, body: HazardIn) -> HazardOut:
    with read_session(runtime.engine) as session:
        agency = hazard_permissions.require_grid_member(session, user)
    report = _start(runtime, agency, actor_for(user, Role.grid_member), body, HazardSource.grid,
                    grid=user.grid, reporter_user_id=user.id)
    return detail(runtime, report.id)


def file_citizen_report(runtime: Runtime, body: CitizenHazardIn) -> ReceiptOut:
    with read_session(runtime.engine) as session:
        agency = session.exec(select(Agency).where(Agency.code == body.agency_code)).first()
    if agency is None or agency.kind == AgencyKind.county_bureau:
        raise ValidationFailed("请选择隐患所在的乡镇(园区)", code="hazard_agency_unknown", details={"field": "agency_code"})
    code = secrets.token_urlsafe(12)
    report = _start(runtime, agency, CITIZEN, body, HazardSource.citizen, receipt_sha256=_sha(code),
                    identity=(body.reporter_name, body.reporter_phone))
    return ReceiptOut(receipt_code=code, status_label=CaseStatus(_case_status(runtime, report.case_id)).label)


def _start(runtime: Runtime, agency: Agency, actor: Actor, body: HazardIn, source: HazardSource, *,
           grid: str | None = None, reporter_user_id: int | None = None, receipt_sha256: str | None = None,
           identity: tuple[str, str] | None = None) -> HazardReport:
    config = hazard_config()
    if body.category not in config.labels:
        raise ValidationFailed("隐患类别不正确", code="hazard_category_unknown",
                               details={"field": "category", "allowed": list(config.labels)})
    data = {**config.process_inputs(body.category), "place": body.place, "description": body.description,
            "hazard_source": source.value, "grid": grid}
    if body.unit_name:
        data["party"] = {"kind": "unit", "name": body.unit_name}
    label = config.labels[body.category]
    view = runtime.start_case(PROCESS_ID, agency_id=agency.id, actor=actor, data=data, kind="hazard",
                              title=f"{label}隐患：{body.place}"[:300], party_name=body.unit_name)
    with transaction(runtime.engine) as session:
        report = HazardReport(case_id=view.case.id, agency_id=agency.id, source=source, category=body.category,
                              place=body.place, gps_lat=body.gps_lat, gps_lon=body.gps_lon,
                              description=body.description, unit_name=body.unit_name, grid=grid,
                              target_id=register_entry_of(session, agency.id, body.unit_name),
                              reporter_user_id=reporter_user_id, receipt_sha256=receipt_sha256,
                              reported_at=clock.now())
        session.add(report)
        session.flush()
        if identity is not None:
            session.add(HazardReporterIdentity(report_id=report.id, name=identity[0], phone=identity[1]))
        session.expunge(report)
    return report


def register_entry_of(session: Session, agency_id: int, unit_name: str) -> int | None:
    """The register entry of the unit a report names (by its name or credit code, in the report's township)."""
    text = unit_name.strip()
    if not text:
        return None
    return session.exec(select(Target.id).where(Target.township_id == agency_id, sa.or_(
        Target.name == text, Target.credit_code == text.upper())).order_by(Target.id)).first()


# ---- reading ---------------------------------------------------------------------
def my_reports(runtime: Runtime, user: User) -> list[HazardOut]:
    """A grid member's own reports, newest first, with their status."""
    with read_session(runtime.engine) as session:
        hazard_permissions.require_grid_member(session, user)
        rows = session.exec(select(HazardReport, Case).join(Case, Case.id == HazardReport.case_id)
                            .where(HazardReport.reporter_user_id == user.id)
                            .order_by(HazardReport.reported_at.desc(), HazardReport.id.desc()).limit(200)).all()
        return [report_out(report, case) for report, case in rows]


def my_report(runtime: Runtime, user: User, report_id: int) -> HazardOut:
    with read_session(runtime.engine) as session:
        hazard_permissions.require_grid_member(session, user)
        report = find_report(session, report_id)
    if report.reporter_user_id != user.id:
        raise NotFound("隐患报告不存在或无权查看", details={"report_id": report_id})
    return detail(runtime, report_id)


def officer_report(runtime: Runtime, user: User, report_id: int) -> HazardOut:
    """The report as the township's office (or the county) reads it: case visibility decides."""
    with read_session(runtime.engine) as session:
        report = find_report(session, report_id)
    with authz.hidden_as(NotFound("隐患报告不存在或无权查看", details={"report_id": report_id})):
        authz.read_case(runtime.engine, user, report.case_id)
    return detail(runtime, report_id)


def reporter_identity(runtime: Runtime, user: User, report_id: int) -> ReporterOut:
    """A citizen's name and phone, for the township's officers to call back; each read is on the case's record
    (without the identity)."""
    with read_session(runtime.engine) as session:
        report = find_report(session, report_id)
    hazard_permissions.require_reporter_identity_reader(user, report.agency_id)
    with transaction(runtime.engine) as session:
        identity = session.get(HazardReporterIdentity, report_id)
        if identity is None:
            raise NotFound("该报告不是群众举报, 没有举报人信息", code="not_a_citizen_report")
        record.append_event(session, case_id=report.case_id, kind="reporter_identity_read",
                            actor=actor_for(user, Role.township_officer), inputs={"report_id": report_id})
        return ReporterOut(name=identity.name, phone=identity.phone)


def citizen_status(runtime: Runtime, receipt_code: str) -> CitizenStatusOut:
    with read_session(runtime.engine) as session:
        report = by_receipt(session, receipt_code)
        case = session.get(Case, report.case_id)
        return CitizenStatusOut(category_label=hazard_config().labels[report.category],
                                status_label=CaseStatus(case.status).label, reported_at=report.reported_at)


def detail(runtime: Runtime, report_id: int) -> HazardOut:
    with read_session(runtime.engine) as session:
        report = find_report(session, report_id)
    view = runtime.get_case(report.case_id)
    out = report_out(report, view.case)
    data = view.data
    escalated = {name for entry in data.get("escalations") or [] for name in entry.get("departments", [])}
    if data.get("triage_decision") == "whistle":
        actions = data.get("actions") or {}
        out.departments = [DepartmentOut(name=name, acknowledged=name in (data.get("acknowledged") or []),
                                         action=(actions.get(name) or {}).get("action"), escalated=name in escalated)
                           for name in data.get("departments") or []]
        out.ack_due, out.action_due = data.get("ack_due"), data.get("action_due")
    return out


def report_out(report: HazardReport, case: Case) -> HazardOut:
    return HazardOut(id=report.id, case_id=report.case_id, number=case.number, source=report.source,
                     source_label=HazardSource(report.source).label, category=report.category,
                     category_label=hazard_config().labels.get(report.category, report.category), place=report.place,
                     gps_lat=report.gps_lat, gps_lon=report.gps_lon, description=report.description,
                     unit_name=report.unit_name, target_id=report.target_id, grid=report.grid, status=case.status,
                     status_label=CaseStatus(case.status).label, reported_at=report.reported_at)


def find_report(session: Session, report_id: int) -> HazardReport:
    report = session.get(HazardReport, report_id)
    if report is None:
        raise NotFound("隐患报告不存在或无权查看", details={"report_id": report_id})
    return report


def by_receipt(session: Session, receipt_code: str) -> HazardReport:
    report = session.exec(select(HazardReport).where(HazardReport.receipt_sha256 == _sha(receipt_code))).first()
    if report is None:
        raise NotFound("查询码不正确: 举报记录不存在或无权查看", code="hazard_receipt_invalid")
    return report


def _case_status(runtime: Runtime, case_id: int) -> str:
    with read_session(runtime.engine) as session:
        return session.get(Case, case_id).status


def _sha(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
