"""Real accounts and an HTTP client over the runtime a procedure scenario drives, for the steps a test takes over HTTP.

A scenario brings the case to the step under test with the driver (tests/procedure/driver.py) and then acts as
a person would: the officer's or the head's inbox, the task form, the completion, the case page, the documents.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import object_store
from api.identity.models import StaffCategory
from api.identity.security import issue_token
from api.identity.service import create_user
from api.web.session import SESSION_COOKIE
from documents.rendition import render_pending
from engine.db import transaction

PASSWORD = "correct-horse-9"


class HttpActors:
    """One account per role in the county bureau; `post_task` completes the named task from that person's inbox."""

    def __init__(self, client: TestClient, runtime, county):
        self.client = client
        self.runtime = runtime
        self.user_ids: dict[str, int] = {}
        with transaction(runtime.engine) as session:
            for n, (username, role) in enumerate([("officer", "county_officer"), ("officer2", "county_officer"),
                                                 ("head", "agency_head")]):
                user = create_user(session, username=username, display_name=f"用户{username}", password=PASSWORD,
                                   agency_id=county.id, roles=[role], staff_category=StaffCategory.officer,
                                   certificate_number=f"赣360899{n:02d}", certificate_expires=date(2028, 12, 31))
                self.user_ids[username] = user.id

    def headers(self, username: str) -> dict:
        return {"Authorization": f"Bearer {issue_token(self.user_ids[username]).token}"}

    def get(self, path: str, username: str):
        response = self.client.get(f"/api/v1{path}", headers=self.headers(username))
        assert response.status_code == 200, response.text
        return response.json()

    def inbox(self, username: str, case_id: int) -> list[dict]:
        return [task for task in self.get("/tasks", username) if task["case_id"] == case_id]

    def post_task(self, username: str, case_id: int, name: str, data: dict):
        """POST the completion of the task called `name` in `username`'s inbox; the response, whatever it is."""
        [task] = [t for t in self.inbox(username, case_id) if t["name"] == name]
        return self.client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": data}, headers=self.headers(username))

    def web_page(self, username: str, path: str) -> str:
        """A page of the web interface as the person sees it (signed in with a session cookie)."""
        self.client.cookies.set(SESSION_COOKIE, issue_token(self.user_ids[username]).token)
        try:
            response = self.client.get(path)
        finally:
            self.client.cookies.clear()
        assert response.status_code == 200, response.text
        return response.text

    def document_text(self, username: str, case_id: int, doc_id: str) -> str:
        """The rendered .docx of the case's document `doc_id`, as the person downloads it."""
        render_pending(self.runtime.engine, object_store())
        [document] = [d for d in self.get(f"/cases/{case_id}/documents", username) if d["doc_id"] == doc_id]
        response = self.client.get(f"/api/v1/documents/{document['id']}/download?format=docx", headers=self.headers(username))
        assert response.status_code == 200, response.text
        return "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)


def http_actors(runtime, agencies, monkeypatch) -> tuple[TestClient, HttpActors]:
    monkeypatch.setenv("ZHIFA_SECRET_KEY", "test-signing-key-" + "k" * 32)
    from engine.settings import get_settings

    get_settings.cache_clear()
    client = TestClient(create_app(runtime))
    return client, HttpActors(client, runtime, agencies.county)


def add_township_officer(runtime, agencies, actors: HttpActors) -> None:
    """A certified officer of the township, as `township` (who may not see the county's cases)."""
    with transaction(runtime.engine) as session:
        actors.user_ids["township"] = create_user(
            session, username="township", display_name="乡镇执法人员", password=PASSWORD, agency_id=agencies.township.id,
            roles=["township_officer"], staff_category=StaffCategory.officer, certificate_number="赣36089977",
            certificate_expires=date(2028, 12, 31)).id
