"""Issue 14: a reconsideration recorded on the demo's case and its result count in the enforcement statistics —
by kind and by outcome, each equal to the record events' own count."""

from __future__ import annotations

from sqlmodel import select

from engine.db import read_session
from engine.models import RecordEvent, Task
from tests.api.test_end_to_end import HttpDriver, app_client  # noqa: F401 (fixture)
from tests.api.test_investigation_records_http import drive
from tests.api.test_remedies_http import RECONSIDERATION, at, complete, file_remedy


def test_a_reconsideration_and_its_result_are_counted(app_client):  # noqa: F811
    client, runtime = app_client
    http = HttpDriver(client)
    drive(http, runtime, until="登记罚款缴纳")
    at("2026-04-16")
    assert file_remedy(http, "county2", **RECONSIDERATION, filed_on="2026-04-16").status_code == 201
    at("2026-05-12")
    assert complete(http, "county1", "登记复议、诉讼结果", {"outcome": "upheld", "outcome_on": "2026-05-12",
                                                         "document_number": "遂府复决字〔2026〕8号"}).status_code == 200

    figures = http.get("/statistics", "head")
    with read_session(runtime.engine) as session:
        bpmn = dict(session.exec(select(Task.id, Task.bpmn_id)).all())
        events = list(session.exec(select(RecordEvent)))
    filed = [e.inputs["data"]["kind"] for e in events if e.kind == "case_event" and e.inputs.get("message") == "remedy_filed"]
    results = [e.inputs["outcome"] for e in events
               if e.kind == "task_completed" and bpmn.get(e.task_id) == "record_remedy_result"]
    assert (filed, results) == (["reconsideration"], ["upheld"])
    assert figures["remedies_filed"] == [{"kind": "reconsideration", "label": "行政复议", "cases": 1}]
    assert figures["remedy_results"] == [{"outcome": "upheld", "label": "维持", "cases": 1}]
    assert http.get("/statistics?from=2026-05-01", "head")["remedies_filed"] == []  # filed in April
