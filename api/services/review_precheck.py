"""The automatic pre-check of a case file for its reviewers (案卷评查自动预审)."""

from __future__ import annotations

from api import authz
from api.identity.models import User
from documents.case_review.case_file import load_case_file
from documents.case_review.precheck import precheck
from engine.db import read_session
from engine.runtime import Runtime


def case_precheck(runtime: Runtime, user: User, case_id: int, rubric: str | None = None) -> dict:
    with read_session(runtime.engine) as session:
        case = authz.visible_case(session, user, case_id)
        authz.require_precheck_reader(session, user, case)
    authz.read_case(runtime.engine, user, case_id)  # a supervisor's review read goes into the case record
    data = runtime.get_case(case_id).data
    with read_session(runtime.engine) as session:
        case = authz.visible_case(session, user, case_id)
        tasks = runtime.process_of(session, case).tasks

        def certificate_expiry(user_id: int):
            officer = session.get(User, user_id)
            return officer.certificate_expires if officer and officer.certificate_number else None

        file = load_case_file(session, case, data, tasks, certificate_expiry)
        result = precheck(file, rubric)
    return {"case_id": case.id, "case_number": case.number, **result.as_dict()}
