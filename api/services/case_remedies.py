"""Reconsideration and litigation recorded as they happen (the model's `remedy_filed` event subprocess), over HTTP."""

from __future__ import annotations

from api import authz
from api.identity.models import User
from api.identity.service import actor_for
from engine.case_events import deliver
from engine.db import read_session
from engine.runtime import CaseView, Runtime
from engine.vocab import Role

REMEDY_FILED = "remedy_filed"  # the message of the event subprocess in general_procedure.bpmn


def record_remedy(runtime: Runtime, user: User, case_id: int, data: dict) -> CaseView:
    """A party applied for reconsideration or sued: any officer of the case records it, whatever step the case is at."""
    with read_session(runtime.engine) as session:
        authz.visible_case(session, user, case_id)
        role = authz.officer_start_role(session, user) or Role.county_officer
    return deliver(runtime, case_id, REMEDY_FILED, data, actor_for(user, role),
                   authorize=authz.case_officer_authorizer(user.id))
