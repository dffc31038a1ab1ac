"""End to end over HTTP with the real models and the demo agencies and users (issue 6).

A township officer inspects and reports up, county officers investigate, the legal
reviewer reviews, the head decides, the worker renders the documents and they
download. The story is the demo's script (`api.demo.SCRIPT`), driven here through
the API: logins, inboxes, task forms, completions; timers pass by the worker.
"""

import io

import pytest
from docx import Document
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build_runtime, object_store
from api.demo import FOLLOW_LINKED, PARTY, SCRIPT, START, simulated_time, step_data
from api.identity.seed import seed_demo
from documents.rendition import render_pending
from engine import clock
from engine.db import get_engine

PASSWORD = "zhifa-demo-2026"


class HttpDriver:
    def __init__(self, client: TestClient):
        self.client = client
        self.tokens: dict[str, str] = {}
        self.me: dict[str, dict] = {}
        self.case_id: int | None = None
        self.lanes: list[tuple[str, str]] = []

    def headers(self, username: str) -> dict:
        """A login per user and simulated day (tokens last hours; the story spans weeks)."""
        key = f"{username}@{clock.now().date()}"
        if key not in self.tokens:
            response = self.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
            assert response.status_code == 200, response.text
            self.tokens[key] = response.json()["access_token"]
            self.me[username] = self.client.get("/api/v1/me", headers=self.headers(username)).json()
        return {"Authorization": f"Bearer {self.tokens[key]}"}

    def get(self, path: str, username: str) -> dict:
        response = self.client.get(f"/api/v1{path}", headers=self.headers(username))
        assert response.status_code == 200, response.text
        return response.json()

    def officers(self, *usernames: str) -> list[dict]:
        for username in usernames:
            self.headers(username)
        return [{"user_id": self.me[u]["id"], "name": self.me[u]["display_name"], "certificate_no": self.me[u]["certificate_number"]}
                for u in usernames]

    def case_data(self, username: str) -> dict:
        """What a form needs to cite from the case: issued document numbers and the case it came from."""
        detail = self.get(f"/cases/{self.case_id}", username)
        data = {"documents": {d["doc_id"]: d["number"] for d in detail["documents"]}}
        if detail["parent"]:  # the county reads the township's report, whose documents the filing cites
            parent = self.get(f"/cases/{detail['parent']['id']}", username)
            data["source"] = {"case_number": detail["parent"]["number"],
                              "documents": {d["doc_id"]: d["number"] for d in parent["documents"]}}
        return data

    def complete(self, step) -> None:
        inbox = self.get("/tasks", step.user)
        tasks = [t for t in inbox if t["case_id"] == self.case_id and t["name"] == step.task]
        if not tasks and step.optional:
            return
        [task] = tasks
        form = self.get(f"/tasks/{task['id']}", step.user)["form"]
        data = step_data(step, self.case_data(step.user), self.officers)
        assert set(data) <= set(form["properties"]), f"{step.task}: fields the form does not know"
        response = self.client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=self.headers(step.user))
        assert response.status_code == 200, f"{step.task}: {response.text}"
        self.lanes.append((step.task, task["role"]))


def listed_documents(http: HttpDriver) -> list[dict]:
    return http.get(f"/cases/{http.case_id}/documents", "county1")


@pytest.fixture
def app_client(db_url, frozen_clock):
    engine = get_engine(db_url)
    runtime = build_runtime(engine=engine)
    seed_demo(engine)
    with TestClient(create_app(runtime)) as client:
        yield client, runtime
    engine.dispose()


def test_township_reports_up_county_investigates_reviewer_reviews_head_decides_documents_download(app_client):
    client, runtime = app_client
    http = HttpDriver(client)
    clock.set_clock(lambda: simulated_time(START, 0))
    started = client.post("/api/v1/cases", headers=http.headers("quanjiang1"), json={
        "process": "inspection", "party": {"kind": "unit", **PARTY}, "title": "日常安全生产检查"})
    assert started.status_code == 201, started.text
    http.case_id = inspection_id = started.json()["case"]["id"]

    for tick, step in enumerate(SCRIPT, start=1):
        at = simulated_time(step.day, tick)
        clock.set_clock(lambda at=at: at)
        if step.task == FOLLOW_LINKED:
            inspection = http.get(f"/cases/{inspection_id}", "quanjiang1")
            assert (inspection["case"]["status"], inspection["case"]["outcome"]) == ("reported", "county")
            [child] = inspection["children"]  # the township sees what became of its report ...
            assert (child["number"], child["status"]) == (None, "filed")  # its 案号 comes with the filing approval
            http.case_id = child["id"]
            refused = client.get(f"/api/v1/cases/{child['id']}", headers=http.headers("quanjiang1"))
            assert (refused.status_code, refused.json()["code"]) == (404, "not_found")  # ... not the county's file
        elif step.user is None:
            runtime.fire_due()
        else:
            http.complete(step)

    county_case = http.get(f"/cases/{http.case_id}", "head")
    assert (county_case["case"]["status"], county_case["case"]["outcome"]) == ("archived", "penalised")
    assert county_case["parent"]["id"] == inspection_id
    assert county_case["case"]["number"] == "（遂）应急立〔2026〕1号"
    lanes = dict(http.lanes)
    assert (lanes["现场检查"], lanes["调查取证"], lanes["法制审核"], lanes["作出行政处罚决定"]) == (
        "township_officer", "county_officer", "legal_reviewer", "agency_head")

    assert render_pending(runtime.engine, object_store()) > 0
    documents = {d["doc_id"]: d for d in http.get(f"/cases/{http.case_id}/documents", "county1")}
    decision = documents["penalty_decision"]
    response = client.get(f"/api/v1/documents/{decision['id']}/download?format=docx", headers=http.headers("county1"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert decision["number"] == "（遂）应急罚〔2026〕1号" and decision["number"] in text
    assert "遂川县林峰木业有限公司" in text and "陆万元整" in text and "遂川县人民政府" in text
    # the demo's decision is lawful for its facts: SPL Art. 99(5) after failing to correct, inside 50,000-200,000
    assert "第九十九条第五项" in text and "王林峰处罚款" not in text
    # SPL Art. 99 double penalty: the responsible person gets a decision of his own, numbered next in the 罚 series
    person_decision = documents["responsible_person_penalty_decision"]
    assert person_decision["number"] == "（遂）应急罚〔2026〕2号" != decision["number"]
    response = client.get(f"/api/v1/documents/{person_decision['id']}/download?format=docx", headers=http.headers("county1"))
    person_text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert person_decision["number"] in person_text and "王林峰" in person_text and "壹万贰仟元整" in person_text
    assert "360827197501010011" in person_text and "1975年1月1日" in person_text and "法定代表人、总经理" in person_text
    assert "遂川县林峰木业有限公司" in person_text and "陆万元整" not in person_text
    # APL Arts. 44/45/63: the person is the party of his own decision, so he was told by a 告知书 of his own (and,
    # on the hearing path, a 听证告知书), which his decision cites
    notices = [d for d in listed_documents(http) if d["doc_id"] == "penalty_notice"]
    hearing_notices = [d for d in listed_documents(http) if d["doc_id"] == "hearing_notice"]
    assert len({n["number"] for n in notices}) == len(notices) == 2 and len(hearing_notices) == 2
    person_notice = max(notices, key=lambda n: n["id"])
    assert person_notice["number"] in person_text and min(notices, key=lambda n: n["id"])["number"] not in person_text
    # each decision served with its own receipt
    listed = http.get(f"/cases/{http.case_id}/documents", "county1")
    receipts = [d for d in listed if d["doc_id"] == "service_receipt"]
    assert len({r["number"] for r in receipts}) == len(receipts) >= 2
    verify = client.post(f"/api/v1/cases/{http.case_id}/record/verify", headers=http.headers("head"))
    assert verify.status_code == 200 and verify.json()["intact"] is True
