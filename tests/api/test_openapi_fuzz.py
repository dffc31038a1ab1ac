"""Schemathesis over the OpenAPI document: generated valid and invalid requests, signed in, against real data.

No response may be a 5xx; every status, content type and body must match what the
document declares. Bounded by a fixed seed (derandomized) and a per-operation example count.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from tests.api.conftest import start_inspection
from tests.api.test_access_matrix import (
    RECEIPT,
    batch_of,
    document_of,
    evidence_of,
    hazard_report_of,
    plan_of,
    power_item,
    register_entry,
    review_ids,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 40
SLOW_EXAMPLES = 3  # login verifies an argon2 hash (~0.3 s) per request


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_generated_requests_get_documented_answers_and_never_a_5xx(client, auth, world, runtime):
    case = start_inspection(client, auth("t1a"), world.agencies.township.id)
    case_id = case["case"]["id"]
    real_ids = {"case_id": case_id, "task_id": case["tasks"][0]["id"], "user_id": world.id("t1b"),
                "table": "hearing_eligible", "code": "SPL-099-1-01", "evidence_id": evidence_of(client, auth("t1a"), case_id),
                "document_id": document_of(runtime.engine, case_id), "agency_id": world.agencies.township.id,
                "doc_id": "onsite_record", **review_ids(runtime.engine, world, case_id),
                "report_id": hazard_report_of(runtime.engine, case_id, world.agencies.township.id), "receipt": RECEIPT,
                "photo_id": evidence_of(client, auth("t1a"), case_id),
                "target_id": register_entry(client, auth("c1"), world.agencies.township.id),
                "item_id": power_item(client, auth("c1"), world.agencies.township.id),
                "annual_plan_id": plan_of(runtime.engine, world.agencies.township.id),
                "batch_id": batch_of(runtime.engine, world.agencies.county.id)}
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()
        headers = auth("admin" if operation.path.startswith(("/users", "/agencies")) else "t1a")
        path_ids = {p.name: real_ids[p.name] for p in operation.path_parameters}
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, headers=headers, path_parameters=path_ids),
            operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
            operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
        )
        examples = SLOW_EXAMPLES if operation.path.endswith("/login") else EXAMPLES

        @given(generated=strategy)
        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(generated):
            generated.call_and_validate(checks=CHECKS)

        run()
        tested.append(f"{operation.method.upper()} {operation.path}")
    documented = client.get("/openapi.json").json()["paths"]
    assert len(tested) == sum(len(methods) for methods in documented.values())  # every operation was exercised
