"""Starting an inspection a draw scheduled (a plan's visit, a batch's target) for its drawn officer pair.

One transaction starts the case and writes everything that belongs to it: the link to the unit's file, the caller's
own link (the visit's or the batch's, which refuses a second case for the same visit or target), and the pair as
the case's drawn members, whose officer steps are theirs alone (api.authz). A pass that stops half-way therefore
leaves no case without its links, and running it again starts exactly the missing ones.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from api.identity.models import CaseMember, MemberPurpose, User
from api.identity.service import actor_for
from api.targets.models import Target, TargetCase
from api.targets.service import party_of
from engine import clock, record
from engine.models import Actor, RecordEvent
from engine.runtime import Runtime
from engine.vocab import Role

REPLACED = "drawn_officer_replaced"  # a drawn officer replaced (api.plans.drawn_swap)


def officer_refs(session: Session, officer_ids: list[int]) -> list[dict]:
    """The drawn officers as an inspection's forms name them."""
    officers = [session.get(User, i) for i in officer_ids]
    return [{"user_id": u.id, "name": u.display_name, "certificate_no": u.certificate_number} for u in officers]


def target_facts(target: Target) -> dict:
    return {"id": target.id, "name": target.name, "party": party_of(target), "level": target.assigned_level}


def start_drawn(runtime: Runtime, *, agency_id: int, title: str, target: dict, officers: list[dict], extra: dict,
                link: Callable[[Session, int], None], joined_by: User | None = None) -> int:
    """Start the inspection of `target` in `agency_id` for the drawn `officers`; `link(session, case_id)` writes the
    caller's own link in the same transaction. `joined_by`: the county officer adding officers of another
    township to the county's case (a cross inspection), recorded as for any officer the bureau adds."""

    def alongside(session: Session, view) -> None:
        case_id = view.case.id
        link(session, case_id)
        session.add(TargetCase(target_id=target["id"], case_id=case_id))
        purposes = [MemberPurpose.drawn, *([MemberPurpose.officer] if joined_by else [])]
        for officer in officers:
            for purpose in purposes:
                session.add(CaseMember(case_id=case_id, user_id=officer["user_id"], purpose=purpose,
                                       added_by=joined_by.id if joined_by else None, added_at=clock.now()))
            if joined_by:
                member = session.get(User, officer["user_id"])
                record.append_event(session, case_id=case_id, kind="officer_assigned",
                                    actor=actor_for(joined_by, Role.county_officer),
                                    inputs={"user_id": member.id, "name": member.display_name,
                                            "agency_id": member.agency_id})

    data = {"party": target["party"], "target_id": target["id"], "target_assigned_level": target["level"],
            "officers": officers, **extra}
    return runtime.start_case("inspection", agency_id=agency_id, actor=Actor.system(), kind="inspection", title=title,
                              party_name=target["name"], data=data, alongside=alongside).case.id


def drawn_ids(session: Session, case_ids: list[int]) -> dict[int, list[int]]:
    """The officers drawn for each case now (after any replacement), by id."""
    rows = session.exec(select(CaseMember.case_id, CaseMember.user_id).where(
        CaseMember.case_id.in_(case_ids), CaseMember.purpose == MemberPurpose.drawn)).all() if case_ids else []
    found: dict[int, list[int]] = {}
    for case_id, user_id in sorted(rows):
        found.setdefault(case_id, []).append(user_id)
    return found


def replacements(session: Session, case_ids: list[int]) -> dict[int, list[dict]]:
    """The recorded replacements of each case's drawn officers, oldest first."""
    rows = session.exec(select(RecordEvent).where(RecordEvent.case_id.in_(case_ids), RecordEvent.kind == REPLACED)
                        .order_by(RecordEvent.case_id, RecordEvent.seq)).all() if case_ids else []
    found: dict[int, list[dict]] = {}
    for e in rows:
        found.setdefault(e.case_id, []).append(e.inputs | {"at": e.at, "actor_name": e.actor_name})
    return found


def shown(replacement: dict) -> dict:
    """What a page shows of one replacement (without the draw's inputs and candidates)."""
    return {k: replacement[k] for k in ("replaced", "replacement", "reason", "mode", "seed", "at", "actor_name")}
