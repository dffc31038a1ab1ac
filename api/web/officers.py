"""The officers a task form can name: certified officers of the case's agency and those the bureau added to the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from api.authz import OFFICER_ROLES
from api.identity.models import CaseMember, MemberPurpose, StaffCategory, User
from engine.models import Case


@dataclass(frozen=True)
class OfficerChoice:
    user_id: int
    name: str
    certificate_no: str | None
    certificate_expires: date | None
    valid: bool

    def entry(self) -> dict:
        """How a form names this officer (authz.check_two_officers compares it with the registration)."""
        return {"user_id": self.user_id, "name": self.name, "certificate_no": self.certificate_no}


def officer_choices(session: Session, case: Case, day: date) -> list[OfficerChoice]:
    members = select(CaseMember.user_id).where(CaseMember.case_id == case.id, CaseMember.purpose == MemberPurpose.officer)
    users = session.exec(select(User).where(sa.or_(User.agency_id == case.agency_id, User.id.in_(members)),
                                            User.active, User.staff_category == StaffCategory.officer)
                         .order_by(User.agency_id, User.id)).all()
    return [OfficerChoice(u.id, u.display_name, u.certificate_number, u.certificate_expires, u.certificate_valid_on(day))
            for u in users if any(u.has_role(r) for r in OFFICER_ROLES)]
