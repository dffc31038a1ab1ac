"""Hazard photos (issue 16): uploaded size-limited and hashed, read back streamed from the object store (on S3 too:
the bytes come through the application, not a redirect), by the reporter and whoever may read the case."""

from __future__ import annotations

import hashlib

import pytest

from tests.api.conftest import store_kind  # noqa: F401  (the local directory, or the real S3 server)
from tests.procedure.test_hazard_reports import PNG, report, world  # noqa: F401

BIG = PNG + bytes(range(256)) * 8192  # ~2 MB: more than one chunk of the stream


@pytest.fixture
def client(store_kind, world):  # noqa: F811  (the store chosen before the app starts)
    return world


def test_photos_are_hashed_on_upload_and_streamed_back_to_those_who_may_read_the_report(client):
    filed = report(client)
    grid = client.headers_for("grid")
    wrong = client.post(f"/api/v1/hazards/{filed['id']}/photos", headers=grid, data={"sha256": "0" * 64},
                        files={"photo": ("堤.png", BIG, "image/png")})
    assert wrong.status_code == 422 and wrong.json()["code"] == "hash_mismatch", wrong.text
    stored = client.post(f"/api/v1/hazards/{filed['id']}/photos", headers=grid,
                         data={"sha256": hashlib.sha256(BIG).hexdigest()}, files={"photo": ("堤.png", BIG, "image/png")})
    assert stored.status_code == 204, stored.text

    listed = client.get(f"/api/v1/hazards/{filed['id']}/photos", headers=client.headers_for("t1"))
    assert [(p["filename"], p["size"], p["sha256"]) for p in listed.json()] == [
        ("堤.png", len(BIG), hashlib.sha256(BIG).hexdigest())]
    url = f"/api/v1/hazards/{filed['id']}/photos/{listed.json()[0]['id']}"
    for user in ("t1", "c1", "grid"):
        with client.stream("GET", url, headers=client.headers_for(user), follow_redirects=False) as response:
            assert response.status_code == 200, user
            assert response.headers["content-type"] == "image/png"
            assert b"".join(response.iter_bytes()) == BIG
    assert client.get(url, headers=client.headers_for("t2")).status_code == 404  # another township
    assert client.get(f"/api/v1/hazards/{filed['id']}/photos", headers=client.headers_for("t2")).status_code == 404
    other = report(client)
    assert client.get(f"/api/v1/hazards/{other['id']}/photos/{listed.json()[0]['id']}",
                      headers=client.headers_for("t1")).status_code == 404  # not a photo of that report
    record = client.get(f"/api/v1/cases/{filed['case_id']}/record", headers=client.headers_for("t1")).json()
    events = record["events"] if isinstance(record, dict) else record
    assert sum(e["kind"] == "evidence_downloaded" for e in events) == 3
