"""Cases set up over the JSON API of the running server, so a page test starts where it is about.

The county steps take their data from the demo's story (`api.demo.SCRIPT`), as the end-to-end API test does.
"""

from __future__ import annotations

import time

import httpx

from api.demo import PARTY, SCRIPT, step_data
from tests.browser.web.conftest import api_client, officer_entry

TOWNSHIP = ("quanjiang1", "quanjiang2")


class Story:
    def __init__(self, base: str):
        self.base = base
        self.clients: dict[str, httpx.Client] = {}
        self.entries: dict[str, dict] = {}

    def client(self, username: str) -> httpx.Client:
        if username not in self.clients:
            self.clients[username] = api_client(self.base, username)
        return self.clients[username]

    def officers(self, *usernames: str) -> list[dict]:
        for name in usernames:
            self.entries.setdefault(name, officer_entry(self.base, name))
        return [self.entries[name] for name in usernames]

    def task(self, username: str, case_id: int, task_name: str) -> dict:
        """The case's open task of that name, waiting for the server's worker where a period has to run out first."""
        client = self.client(username)
        deadline = time.monotonic() + 30
        while not (tasks := [t for t in client.get(f"/cases/{case_id}").json()["tasks"] if t["name"] == task_name]):
            assert time.monotonic() < deadline, f"no task {task_name}"
            time.sleep(0.3)
        return tasks[0]

    def complete(self, username: str, case_id: int, task_name: str, data: dict) -> dict:
        client = self.client(username)
        task = self.task(username, case_id, task_name)
        response = client.post(f"/tasks/{task['id']}/complete", json={"data": data})
        assert response.status_code == 200, response.text
        return response.json()

    def reported_inspection(self, party_name: str) -> tuple[int, int]:
        """An inspection that found a violation and reported it to the county: (inspection id, county case id)."""
        party = {**PARTY, "name": party_name}
        township = self.client("quanjiang1")
        case = township.post("/cases", json={"process": "inspection", "party": {"kind": "unit", **party}}).json()["case"]
        record = step_data(SCRIPT[0], {}, self.officers)
        record.update(party=party, order_rectification=False, handling="报告县局")
        self.complete("quanjiang1", case["id"], "现场检查", record)
        assessment = next(s for s in SCRIPT if s.task == "违法行为处理意见")
        self.complete("quanjiang1", case["id"], assessment.task, step_data(assessment, {}, self.officers))
        [child] = township.get(f"/cases/{case['id']}").json()["children"]
        return case["id"], child["id"]

    def county_case_at(self, party_name: str, stop_before: str) -> int:
        """A county case reported by a township, taken through the demo's steps up to `stop_before` (then open)."""
        inspection_id, case_id = self.reported_inspection(party_name)
        inspection = self.client("quanjiang1").get(f"/cases/{inspection_id}").json()
        source = {"case_number": inspection["case"]["number"],
                  "documents": {d["doc_id"]: d["number"] for d in inspection["documents"]}}
        for step in SCRIPT[SCRIPT.index(next(s for s in SCRIPT if s.user == "county1")):]:
            if step.task == stop_before:
                self.task(step.user, case_id, step.task)
                return case_id
            if step.user is None:  # a statutory period: long past on the server's clock, its worker fires it
                continue
            self.complete(step.user, case_id, step.task, step_data(step, {"source": source}, self.officers))
        raise AssertionError(f"no step {stop_before}")
