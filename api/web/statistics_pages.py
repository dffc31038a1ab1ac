"""The statistics page (执法统计): the figures of GET /api/v1/statistics as tables and ECharts charts.

The same service and authorization as the API. The charts' data travel in data- attributes (JSON), drawn by
/static/web/statistics.js with the vendored ECharts; the tables beside them carry every figure as text.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import Query, Request
from sqlmodel import select

from api.services import enforcement_statistics
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.db import read_session
from engine.errors import ValidationFailed
from engine.models import Agency

router = page_router()
PROCEDURES = {"general_procedure": "一般程序", "simple_procedure_case": "简易程序", "compulsory_measures": "行政强制措施"}


def _charts(figures: dict) -> dict[str, str]:
    """Each chart's data as JSON for its data-chart attribute: a title, category labels and their values."""
    def chart(kind: str, labels: list, values: list, series: str) -> str:
        return json.dumps({"kind": kind, "labels": labels, "values": values, "series": series}, ensure_ascii=False)
    return {
        "status": chart("pie", [r["label"] for r in figures["by_status"]], [r["cases"] for r in figures["by_status"]], "案件数"),
        "agency": chart("bar", [r["name"] for r in figures["by_agency"]], [r["cases"] for r in figures["by_agency"]], "案件数"),
        "fines": chart("bar", ["决定罚款", "已缴罚款", "未缴罚款", "加处罚款"],
                       [figures["fines_decided"], figures["fines_collected"], figures["fines_outstanding"],
                        figures["surcharges_collected"]], "金额(元)"),
        "grades": chart("pie", [r["grade"] for r in figures["review_grades"]], [r["files"] for r in figures["review_grades"]],
                        "案卷数"),
        "workload": chart("bar", [r["name"] for r in figures["officer_workload"]],
                          [r["tasks_completed"] for r in figures["officer_workload"]], "办结环节数"),
    }


def _date(value: str, field: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed("统计期间的日期格式不正确", code="invalid_period", details={"field": field}) from None


def _agency(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 2**31 - 1:
        raise ValidationFailed("单位不正确", code="invalid_agency", details={"field": "agency_id"})
    return int(value)


@router.get("/statistics")
def statistics_page(
    request: Request, user: WebUser,
    start_text: Annotated[str, Query(alias="from", max_length=10)] = "",
    end_text: Annotated[str, Query(alias="to", max_length=10)] = "",
    agency_text: Annotated[str, Query(alias="agency_id", max_length=10)] = "",
):
    """The form sends empty fields for 'no bound' and 'the whole jurisdiction'."""
    start, end, agency_id = _date(start_text, "from"), _date(end_text, "to"), _agency(agency_text)
    engine = request.app.state.runtime.engine
    figures = enforcement_statistics.statistics(engine, user, start, end, agency_id)
    with read_session(engine) as session:
        scope = enforcement_statistics.agency_scope(session, user, None)
        units = session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(scope)).order_by(Agency.id)).all()
    return render(request, "statistics.html", figures=figures, charts=_charts(figures), units=units,
                  filters={"from": start, "to": end, "agency_id": agency_id}, procedures=PROCEDURES, nav="statistics")
