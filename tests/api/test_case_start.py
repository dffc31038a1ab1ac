"""Issue 10: a case starts only on data its process's start schema accepts; the process decides the case's kind."""

import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine

PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35XXXX1K", "address": "遂川县泉江镇工业大道8号",
         "legal_representative": "王林峰"}


@pytest.fixture
def runtime(db_url):
    """The real procedure models (the other API tests run on small test models)."""
    engine = get_engine(db_url)
    yield build_runtime(engine=engine)
    engine.dispose()


def start(client, headers, process: str, party: dict = PARTY, **extra):
    return client.post("/api/v1/cases", headers=headers, json={"process": process, "party": party, **extra})


def test_a_party_the_inspection_form_would_refuse_is_refused_at_the_start(client, auth, world):
    refused = start(client, auth("t1a"), "inspection", PARTY | {"credit_code": "3608271234"})
    assert refused.status_code == 422
    assert [(d["path"], d["title"], d["message"]) for d in refused.json()["details"]] == [
        ("$.party.credit_code", "统一社会信用代码", "「统一社会信用代码」格式不正确")]
    person = start(client, auth("t1a"), "inspection", {"kind": "person", "name": "王林峰", "id_number": "36082719800101001X"})
    assert {d["path"] for d in person.json()["details"]} == {"$.party.kind", "$.party.id_number"}
    stray = start(client, auth("t1a"), "inspection", data={"rules_note": "x"})
    assert [d["message"] for d in stray.json()["details"]] == ["不允许的字段「rules_note」"]
    assert client.get("/api/v1/cases", headers=auth("t1a")).json()["total"] == 0

    started = start(client, auth("t1a"), "inspection")
    assert started.status_code == 201, started.text
    task_id = started.json()["tasks"][0]["id"]
    assert client.get(f"/api/v1/tasks/{task_id}", headers=auth("t1a")).json()["prefill"] == {"party": PARTY}


def test_the_process_decides_the_kind_and_who_may_start_it(client, auth, world):
    assert start(client, auth("t1a"), "inspection", kind="case").status_code == 422  # the client no longer names it
    assert start(client, auth("c1"), "compulsory_measures").json()["case"]["kind"] == "measures"
    assert start(client, auth("t1a"), "simple_procedure_case").json()["case"]["kind"] == "simple"
    township_measures = start(client, auth("t1a"), "compulsory_measures")
    assert (township_measures.status_code, township_measures.json()["message"]) == (403, "该流程只能由县局执法人员发起")
    referral = start(client, auth("c1"), "criminal_referral")
    assert (referral.status_code, referral.json()["code"]) == (422, "process_not_startable")


def test_the_processes_a_user_may_start_come_with_their_start_forms(client, auth, world):
    def startable(username):
        return {p["id"]: p for p in client.get("/api/v1/processes", headers=auth(username)).json()}

    township = startable("t1a")
    assert list(township) == ["general_procedure", "inspection", "simple_procedure_case"]
    assert township["inspection"]["name"] == "现场检查与整改复查" and township["inspection"]["case_kind"] == "inspection"
    assert township["inspection"]["start_form"]["properties"]["party"]["title"] == "被检查单位"
    assert list(startable("c1")) == ["compulsory_measures", "general_procedure", "inspection", "simple_procedure_case"]
    assert startable("head") == {} and startable("admin") == {}
