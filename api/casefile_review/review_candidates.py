"""What the draw reads from the database: the plan's closed case files with the always-include rules they meet,
the reviewers the plan may use, and who took part in each case."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlmodel import Session, select

from api.casefile_review.models import ReviewPlan
from api.casefile_review.review_draw import Candidate, Reviewer
from api.identity.models import CaseMember, MemberPurpose, StaffCategory, User
from engine.models import Agency, Case, RecordEvent
from engine.runtime import Runtime
from engine.vocab import READ_EVENT_KINDS, AgencyKind, CaseStatus, Role

HEARING_STEP = "举行听证"
REFERRAL_STEPS = ("制作案件移送书并移送", "移送司法机关")


def flags_of(data: dict, steps: set[str]) -> tuple[str, ...]:
    """The always-include rules a case meets, from its workflow data (decision tables' outputs) and its steps."""
    flags = []
    if HEARING_STEP in steps or data.get("hearing_requested"):
        flags.append("hearing")
    if data.get("major"):
        flags.append("major")
    if data.get("crime_suspected") or steps.intersection(REFERRAL_STEPS):
        flags.append("referral")
    if data.get("remedies"):
        flags.append("remedy")
    return tuple(flags)


def candidate_cases(session: Session, plan: ReviewPlan) -> list[Case]:
    """Archived case files of the plan's units and procedures, filed within the plan's period."""
    query = select(Case).where(Case.agency_id.in_(plan.unit_ids), Case.status == CaseStatus.archived,
                               Case.kind == "case", Case.process_id.in_(plan.procedures),
                               Case.filed_on >= plan.period_from, Case.filed_on <= plan.period_to).order_by(Case.id)
    return list(session.exec(query))


def candidates(runtime: Runtime, session: Session, plan: ReviewPlan) -> list[Candidate]:
    cases = candidate_cases(session, plan)
    steps: dict[int, set[str]] = defaultdict(set)
    if cases:
        rows = session.exec(select(RecordEvent.case_id, RecordEvent.task_name).where(
            RecordEvent.case_id.in_([c.id for c in cases]), RecordEvent.kind == "task_completed"))
        for case_id, name in rows:
            steps[case_id].add(name or "")
    return [Candidate(case.id, case.agency_id, flags_of(runtime.get_case(case.id).data, steps[case.id])) for case in cases]


def participants(session: Session, case_ids: list[int]) -> dict[int, frozenset[int]]:
    """Everyone who acted on each case or on the inspection it came from, the officers its steps name, and officers
    the bureau added to it."""
    if not case_ids:
        return {}
    parents = dict(session.exec(select(Case.id, Case.parent_case_id).where(Case.id.in_(case_ids))).all())
    related = set(case_ids) | {p for p in parents.values() if p}
    acted: dict[int, set[int]] = defaultdict(set)
    for case_id, actor_id, inputs in session.exec(select(RecordEvent.case_id, RecordEvent.actor_id, RecordEvent.inputs).where(
            RecordEvent.case_id.in_(related), RecordEvent.kind.not_in(READ_EVENT_KINDS))):
        if actor_id is not None:
            acted[case_id].add(actor_id)
        named = inputs.get("officers") if isinstance(inputs, dict) else None  # the officers a step names
        acted[case_id].update(o["user_id"] for o in named or [] if isinstance(o, dict) and isinstance(o.get("user_id"), int))
    for case_id, user_id in session.exec(select(CaseMember.case_id, CaseMember.user_id).where(
            CaseMember.case_id.in_(case_ids), CaseMember.purpose == MemberPurpose.officer)):
        acted[case_id].add(user_id)
    return {case_id: frozenset(acted[case_id] | acted.get(parents.get(case_id), set())) for case_id in case_ids}


def reviewer_unit(user: User) -> int:
    """The unit a reviewer belongs to for cross review. The county bureau's supervisors and legal staff form the
    bureau's legal-supervision office, not its enforcement brigade, so they may review the brigade's files
    (`-agency_id` stands for that office); a bureau user who is also a county officer belongs to the brigade."""
    if user.has_role(Role.county_officer) or user.has_role(Role.township_officer):
        return user.agency_id
    return -user.agency_id


def reviewers(session: Session, plan: ReviewPlan, today: date) -> list[Reviewer]:
    """The county bureau's supervisors and legal staff; where the plan allows, the townships' (and the park's)
    certified officers with a valid certificate."""
    county = [u for u in session.exec(select(User).where(User.agency_id == plan.agency_id, User.active.is_(True)))
              if u.has_role(Role.supervisor) or u.has_role(Role.legal_reviewer)]
    found = [Reviewer(u.id, reviewer_unit(u)) for u in county]
    if plan.township_reviewers:
        towns = session.exec(select(Agency.id).where(Agency.parent_id == plan.agency_id,
                                                     Agency.kind.in_([AgencyKind.township, AgencyKind.park]))).all()
        officers = session.exec(select(User).where(User.agency_id.in_(towns), User.active.is_(True),
                                                   User.staff_category == StaffCategory.officer))
        found += [Reviewer(u.id, u.agency_id) for u in officers
                  if u.has_role(Role.township_officer) and u.certificate_valid_on(today)]
    return sorted(set(found), key=lambda r: r.user_id)


def unit_names(session: Session, ids) -> dict[int, str]:
    ids = list(ids)
    return dict(session.exec(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all()) if ids else {}


def user_names(session: Session, ids) -> dict[int, str]:
    ids = [i for i in ids if i is not None]
    return dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
