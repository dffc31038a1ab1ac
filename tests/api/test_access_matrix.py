"""Every route × every role × own agency / sibling township / county bureau, against an explicit table.

The routes are read from the app, so a route added without an entry here fails this test.
The target is a township (泉江镇) inspection with its open task; `allowed` means the
authorization let the request through (any status but 401/403 and the API's 404 for a hidden case); denied
requests must answer 403, or 401 when anonymous; the API answers a case the caller may not see (and its
tasks, evidence and documents) with the same 404 as a missing one (「…不存在或无权查看」).
"""

import hashlib
import re
from datetime import date

from fastapi.routing import iter_route_contexts

from api.casefile_review.models import PlanStatus, ReviewFinding, ReviewPlan, ReviewSample
from api.hazards.models import HazardReport
from api.plans.models import InspectionBatch, InspectionPlan
from api.web.routing import WebRoute
from documents.models import IssuedDocument
from engine import clock
from engine.db import transaction
from tests.api.conftest import PASSWORD, start_inspection
from tests.api.register_entries import entry

RECEIPT = "receipt-code-1"
CALLERS = {
    "anonymous": None,
    "township_officer/own": "t1a",
    "township_officer/sibling": "t2a",
    "county_officer/county": "c1",
    "legal_reviewer/county": "reviewer",
    "hearing_host/county": "host",
    "agency_head/county": "head",
    "supervisor/county": "supervisor",
    "admin/county": "admin",
}
EVERYONE = set(CALLERS)
SIGNED_IN = EVERYONE - {"anonymous"}
CASE_WORKERS = SIGNED_IN - {"admin/county"}
REGISTER_EDITORS = {"township_officer/own", "county_officer/county", "agency_head/county"}
SEES_THE_CASE = {"township_officer/own", "county_officer/county", "legal_reviewer/county", "hearing_host/county",
                 "agency_head/county"}

EXPECTED = {
    "GET /openapi.json": EVERYONE,
    "GET /docs": EVERYONE,
    "GET /docs/oauth2-redirect": EVERYONE,
    "GET /api/v1/health": EVERYONE,
    "GET /api/v1/ready": EVERYONE,
    "POST /api/v1/auth/login": EVERYONE,
    "GET /api/v1/me": SIGNED_IN,
    "GET /api/v1/agencies": SIGNED_IN,
    "GET /api/v1/processes": SIGNED_IN,
    "GET /api/v1/officers": CASE_WORKERS,
    "GET /api/v1/violations": SIGNED_IN,
    "GET /api/v1/violations/{code}": SIGNED_IN,
    "GET /api/v1/evidence-types": SIGNED_IN,
    "GET /api/v1/users": {"admin/county"},
    "POST /api/v1/users": {"admin/county"},
    "PATCH /api/v1/users/{user_id}": {"admin/county"},
    "GET /api/v1/users/events": {"admin/county", "supervisor/county"},
    "GET /api/v1/agencies/managed": {"admin/county"},
    "POST /api/v1/agencies": {"admin/county"},
    "PATCH /api/v1/agencies/{agency_id}": {"admin/county"},
    "POST /api/v1/cases": {"township_officer/own"},
    "GET /api/v1/cases": CASE_WORKERS,
    "GET /api/v1/cases/{case_id}": SEES_THE_CASE,
    "POST /api/v1/cases/{case_id}/members": {"county_officer/county", "agency_head/county"},
    "POST /api/v1/cases/{case_id}/reviewers": {"agency_head/county"},
    "POST /api/v1/cases/{case_id}/remedies": {"township_officer/own"},
    "GET /api/v1/cases/{case_id}/record": SEES_THE_CASE,
    "POST /api/v1/cases/{case_id}/record/verify": SEES_THE_CASE,
    "GET /api/v1/tasks": CASE_WORKERS,
    "GET /api/v1/tasks/{task_id}": SEES_THE_CASE,
    "POST /api/v1/tasks/{task_id}/complete": {"township_officer/own"},
    "POST /api/v1/tasks/{task_id}/records/{doc_id}": {"township_officer/own"},
    "POST /api/v1/decisions/{table}": CASE_WORKERS,
    "POST /api/v1/cases/{case_id}/evidence": SEES_THE_CASE,
    "GET /api/v1/cases/{case_id}/evidence": SEES_THE_CASE,
    "GET /api/v1/evidence/{evidence_id}/download": SEES_THE_CASE,
    "GET /api/v1/cases/{case_id}/documents": SEES_THE_CASE,
    "GET /api/v1/documents/{document_id}/download": SEES_THE_CASE,
    "GET /api/v1/public/publications": EVERYONE,
    "GET /api/v1/public/powers": EVERYONE,
    "GET /api/v1/cases/{case_id}/precheck": {"legal_reviewer/county", "agency_head/county"},
    "GET /api/v1/statistics": CASE_WORKERS,
    "GET /api/v1/cases/{case_id}/dossier": SEES_THE_CASE,
    # case-file review: the bureau's supervisors run plans, its head approves; every unit reads its own part
    "POST /api/v1/review-plans": {"supervisor/county"},
    "GET /api/v1/review-plans": CASE_WORKERS,
    "GET /api/v1/review-inbox": CASE_WORKERS,
    "GET /api/v1/review-plans/{plan_id}": CASE_WORKERS,
    "PUT /api/v1/review-plans/{plan_id}": {"supervisor/county"},
    "POST /api/v1/review-plans/{plan_id}/approve": {"agency_head/county"},
    "POST /api/v1/review-plans/{plan_id}/draw": {"supervisor/county"},
    "GET /api/v1/review-plans/{plan_id}/redraw": CASE_WORKERS,
    "GET /api/v1/review-plans/{plan_id}/findings": CASE_WORKERS,
    "GET /api/v1/review-plans/{plan_id}/report": CASE_WORKERS,
    "GET /api/v1/review-plans/{plan_id}/report.docx": CASE_WORKERS,
    "GET /api/v1/review-plans/{plan_id}/report.xlsx": CASE_WORKERS,
    "POST /api/v1/review-plans/{plan_id}/report": {"supervisor/county"},
    # the file's assigned reviewer (here the legal reviewer), and the bureau's head reading the pre-check
    "GET /api/v1/review-samples/{sample_id}": {"legal_reviewer/county", "agency_head/county"},
    "PUT /api/v1/review-samples/{sample_id}/score": {"legal_reviewer/county"},
    "POST /api/v1/review-findings/{finding_id}/rectification": {"township_officer/own"},
    # hazard reports (api/hazards): grid members file and follow their own; the ledger is the case workers'
    "GET /api/v1/hazards/categories": EVERYONE,  # the citizen report form needs them too
    "POST /api/v1/hazards": set(),
    "POST /api/v1/hazards/{report_id}/photos": set(),
    "GET /api/v1/hazards/mine": set(),
    "GET /api/v1/hazards/mine/{report_id}": set(),
    "GET /api/v1/hazards": CASE_WORKERS,
    "GET /api/v1/hazards/export": CASE_WORKERS,
    "GET /api/v1/hazards/{report_id}": SEES_THE_CASE,
    "GET /api/v1/hazards/{report_id}/reporter": {"township_officer/own"},
    "GET /api/v1/hazards/{report_id}/photos": SEES_THE_CASE,
    "GET /api/v1/hazards/{report_id}/photos/{photo_id}": SEES_THE_CASE,
    "POST /api/v1/public/hazard-reports": EVERYONE,
    "POST /api/v1/public/hazard-reports/{receipt}/photos": EVERYONE,
    "GET /api/v1/public/hazard-reports/{receipt}": EVERYONE,
    "GET /api/v1/targets": CASE_WORKERS,
    "POST /api/v1/targets": REGISTER_EDITORS,
    "GET /api/v1/targets/export": CASE_WORKERS,
    "POST /api/v1/targets/import": REGISTER_EDITORS | {"township_officer/sibling"},  # each into its own register
    "GET /api/v1/targets/{target_id}": CASE_WORKERS - {"township_officer/sibling"},
    "PATCH /api/v1/targets/{target_id}": REGISTER_EDITORS,
    "POST /api/v1/targets/{target_id}/inspections": {"township_officer/own", "county_officer/county"},
    "POST /api/v1/targets/{target_id}/credit-repairs": REGISTER_EDITORS,
    "GET /api/v1/powers/{agency_id}": CASE_WORKERS - {"township_officer/sibling"},
    "POST /api/v1/powers/{agency_id}/items": {"county_officer/county", "agency_head/county"},
    "POST /api/v1/powers/items/{item_id}/end": {"county_officer/county", "agency_head/county"},
    "PUT /api/v1/powers/items/{item_id}/letter": {"county_officer/county", "agency_head/county"},
    "GET /api/v1/plans": CASE_WORKERS,
    "POST /api/v1/plans": {"township_officer/own", "township_officer/sibling", "county_officer/county"},
    "GET /api/v1/plans/{annual_plan_id}": CASE_WORKERS - {"township_officer/sibling"},
    "POST /api/v1/plans/conflicts": CASE_WORKERS - {"township_officer/sibling"},
    # cross and special inspections: organised by the county bureau's officers, read in the county
    "POST /api/v1/plans/batches": {"county_officer/county"},
    "GET /api/v1/plans/batches": CASE_WORKERS,
    "GET /api/v1/plans/batches/{batch_id}": CASE_WORKERS - {"township_officer/own", "township_officer/sibling"},
    "POST /api/v1/plans/batches/{batch_id}/start": {"county_officer/county"},
    # the case here was not drawn: whoever sees it learns so (409); who may replace a drawn officer: test_drawn_swap
    "POST /api/v1/plans/drawn-inspections/{case_id}/replacements": SEES_THE_CASE,
}


def app_routes(app, *, pages: bool = False) -> set[str]:
    """The API's routes, or the web pages' (checked by test_web_access_matrix.py)."""
    return {f"{method} {context.path}" for context in iter_route_contexts(app.routes)
            if isinstance(context.original_route, WebRoute) == pages
            for method in (getattr(context, "methods", None) or ()) if method != "HEAD"}


def request_for(route: str, caller: str, ids: dict) -> tuple[str, str, dict | None]:
    method, template = route.split(" ", 1)
    path = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), template)
    bodies = {
        "POST /api/v1/auth/login": {"username": "t1b", "password": PASSWORD},
        "POST /api/v1/users": {"username": f"new-{caller.replace('/', '-')}", "display_name": "新用户",
                               "password": "long-enough-1", "agency_id": ids["township"], "roles": ["township_officer"],
                               "staff_category": "officer"},
        "PATCH /api/v1/users/{user_id}": {"display_name": "改名"},
        "POST /api/v1/agencies": {"code": "caolin", "name": "草林镇人民政府", "short_name": "遂草", "kind": "township"},
        "PATCH /api/v1/agencies/{agency_id}": {"seal_name": "遂川县应急管理局"},
        "POST /api/v1/cases": {"process": "inspection_api", "agency_id": ids["township"],
                               "party": {"kind": "unit", "name": "某厂"}},
        "POST /api/v1/cases/{case_id}/members": {"user_id": ids["user_id"]},
        "POST /api/v1/cases/{case_id}/reviewers": {"user_id": ids["supervisor"]},
        "POST /api/v1/tasks/{task_id}/complete": {"data": {}},
        "POST /api/v1/tasks/{task_id}/records/{doc_id}": {"data": {}},
        "POST /api/v1/cases/{case_id}/remedies": {"data": {}},
        "POST /api/v1/decisions/{table}": {"inputs": {}},
        "POST /api/v1/review-plans": {"title": "案卷评查", "period_from": "2026-01-01", "period_to": "2026-12-31",
                                      "unit_ids": [ids["township"]]},
        "PUT /api/v1/review-plans/{plan_id}": {"title": "案卷评查", "period_from": "2026-01-01", "period_to": "2026-12-31",
                                               "unit_ids": [ids["township"]]},
        "POST /api/v1/review-plans/{plan_id}/approve": {"plan_approved": True, "head_opinion": "同意"},
        "PUT /api/v1/review-samples/{sample_id}/score": {"items": [{"code": "archive_order", "score": 5, "comment": "规范",
                                                                     "officer_ids": [ids["user_id"]]}]},
        "POST /api/v1/review-findings/{finding_id}/rectification": {"rectification": "已整改"},
        "POST /api/v1/targets": entry(ids["township"], 99),
        "PATCH /api/v1/targets/{target_id}": {"risk_level": "较大"},
        "POST /api/v1/targets/{target_id}/inspections": {},
        "POST /api/v1/targets/{target_id}/credit-repairs": {"publication_id": 1, "repaired_on": "2026-03-01", "basis": "已履行"},
        "POST /api/v1/powers/{agency_id}/items": POWER_ITEM,
        "POST /api/v1/powers/items/{item_id}/end": {"effective_on": "2026-06-01"},
        "POST /api/v1/plans": {"year": 2027},
        "POST /api/v1/plans/conflicts": {"target_id": ids.get("target_id", 1), "reason": "亲属在该单位任职"},
        "POST /api/v1/plans/batches": {"kind": "special", "title": "专项检查", "seed": 1},
        "POST /api/v1/plans/drawn-inspections/{case_id}/replacements": {"replaced_id": ids["user_id"], "reason": "因病"},
    }
    return method, path, bodies.get(route)


def register_entry(client, headers, township_id: int) -> int:
    response = client.post("/api/v1/targets", json=entry(township_id, 98), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


POWER_ITEM = {"item_code": "QJ-01", "name": "安全生产管理人员未履职", "mode": "delegated",
              "violation_codes": ["SPL-096-1-SAF"], "penalty_kinds": ["fine"], "valid_from": "2026-01-01"}


def power_item(client, headers, agency_id: int) -> int:
    response = client.post(f"/api/v1/powers/{agency_id}/items", json=POWER_ITEM, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def plan_of(engine, agency_id: int) -> int:
    """A stored plan (the test models have no annual_plan process to approve it)."""
    with transaction(engine) as session:
        plan = InspectionPlan(agency_id=agency_id, year=2027, seed="1", inputs={}, result={"entries": [], "problems": []},
                              created_at=clock.now())
        session.add(plan)
        session.flush()
        return plan.id


def batch_of(engine, county_id: int) -> int:
    """A stored batch of the county bureau (no cases)."""
    with transaction(engine) as session:
        batch = InspectionBatch(agency_id=county_id, kind="special", title="专项检查", seed="1", inputs={"filters": {}},
                                result={"pairing": {}, "entries": [], "problems": []}, created_at=clock.now())
        session.add(batch)
        session.flush()
        return batch.id


def evidence_of(client, headers, case_id: int) -> int:
    form = {"type": "documentary", "collected_by": "用户t1a", "collected_at": "2026-03-02T08:15:00+08:00"}
    response = client.post(f"/api/v1/cases/{case_id}/evidence", data=form, files={"file": ("照片.jpg", b"photo")},
                           headers=headers)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def document_of(engine, case_id: int) -> int:
    """An issued document (not yet rendered: the authorization comes before that answer)."""
    with transaction(engine) as session:
        document = IssuedDocument(case_id=case_id, doc_id="inspection_record", title="现场检查记录", issuer="quanjiang",
                                  snapshot={}, issued_at=clock.now())
        session.add(document)
        session.flush()
        return document.id


def review_ids(engine, world, case_id: int) -> dict:
    """A review plan under way over the township's case: its file assigned to the legal reviewer, one finding."""
    with transaction(engine) as session:
        plan = ReviewPlan(agency_id=world.agencies.county.id, title="案卷评查", period_from=date(2026, 1, 1),
                          period_to=date(2026, 12, 31), unit_ids=[world.agencies.township.id],
                          procedures=["general_procedure"], share_percent=10, minimum_per_unit=3,
                          status=PlanStatus.reviewing, created_by=world.id("supervisor"), created_at=clock.now())
        session.add(plan)
        session.flush()
        sample = ReviewSample(plan_id=plan.id, case_id=case_id, unit_id=world.agencies.township.id, reasons=["random"],
                              reviewer_id=world.id("reviewer"))
        session.add(sample)
        session.flush()
        finding = ReviewFinding(sample_id=sample.id, unit_id=world.agencies.township.id, item_code="archive_order",
                                item_title="立卷归档", points_lost=2, due_on=date(2026, 4, 1))
        session.add(finding)
        session.flush()
        return {"plan_id": plan.id, "sample_id": sample.id, "finding_id": finding.id}
def hazard_report_of(engine, case_id: int, agency_id: int) -> int:
    """A citizen's hazard report beside the case (receipt code RECEIPT), so its routes have a target."""
    with transaction(engine) as session:
        report = HazardReport(case_id=case_id, agency_id=agency_id, source="citizen", category="other", place="某地",
                              description="隐患", receipt_sha256=hashlib.sha256(RECEIPT.encode()).hexdigest(),
                              reported_at=clock.now())
        session.add(report)
        session.flush()
        return report.id


def test_every_route_answers_each_role_and_agency_as_the_table_says(client, auth, world):
    routes = app_routes(client.app)
    assert routes - EXPECTED.keys() == set(), "routes without an access rule in EXPECTED"
    assert EXPECTED.keys() - routes == set(), "rules for routes that no longer exist"

    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    ids = {"case_id": case["case"]["id"], "task_id": case["tasks"][0]["id"], "user_id": world.id("t1b"),
           "table": "hearing_eligible", "code": "SPL-099-1-01", "doc_id": "onsite_record", "township": world.agencies.township.id,
           "agency_id": world.agencies.township.id, "supervisor": world.id("supervisor"),
           "evidence_id": evidence_of(client, auth("t1a"), case["case"]["id"]),
           "document_id": document_of(client.app.state.runtime.engine, case["case"]["id"]),
           **review_ids(client.app.state.runtime.engine, world, case["case"]["id"]),
           "report_id": hazard_report_of(client.app.state.runtime.engine, case["case"]["id"], world.agencies.township.id),
           "receipt": RECEIPT, "photo_id": evidence_of(client, auth("t1a"), case["case"]["id"]),
           "target_id": register_entry(client, auth("c1"), world.agencies.township.id),
           "item_id": power_item(client, auth("c1"), world.agencies.township.id),
           "annual_plan_id": plan_of(client.app.state.runtime.engine, world.agencies.township.id),
           "batch_id": batch_of(client.app.state.runtime.engine, world.agencies.county.id)}
    mismatches = []
    for route in sorted(routes):
        for caller, username in CALLERS.items():
            method, path, body = request_for(route, caller, ids)
            headers = auth(username) if username else {}
            response = client.request(method, path, json=body, headers=headers)
            assert response.status_code < 500, f"{route} as {caller}: {response.status_code} {response.text}"
            hidden = response.status_code == 404 and path.startswith("/api/v1/") and \
                response.json()["message"].endswith("不存在或无权查看")
            allowed = response.status_code not in (401, 403) and not hidden
            if allowed != (caller in EXPECTED[route]):
                mismatches.append(f"{route} as {caller}: {response.status_code} {response.text[:120]}")
            if not allowed:
                expected_status = 401 if caller == "anonymous" else (404 if hidden else 403)
                if response.status_code != expected_status or set(response.json()) != {"code", "message", "details"}:
                    mismatches.append(f"{route} as {caller}: denied with {response.status_code} {response.text[:120]}")
    assert mismatches == []
