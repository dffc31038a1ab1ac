"""The automatic pre-check of a case file for its reviewers (案卷评查自动预审)."""

from __future__ import annotations

from api import authz
from api.identity.models import User
from documents.case_review.case_file import load_case_file
from documents.case_review.precheck import precheck
from engine.db import read_session
from engine.runtime import Runtime
from engine.vocab import Role


def case_precheck(runtime: Runtime, user: User, case_id: int, rubric: str | None = None) -> dict:
    with read_session(runtime.engine) as session:
        case = authz.visible_case(session, user, case_id)
        _require_precheck_reader(session, user, case)
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


def _require_precheck_reader(session, user: User, case) -> None:
    """The pre-check of a case file: its assigned supervisor (reviewing an archived case), or the county's
    legal reviewers and head. `visible_case` has already checked the case is in the user's scope."""
    if not authz.reviews_case(session, user, case.id):
        authz.require_county_role(session, user, {Role.legal_reviewer, Role.agency_head}, "法制审核人员、负责人或受指派的评查人员")
