"""Each party's own statement, defence and hearing request in a double-penalty case (APL Arts. 44, 45, 63, 64;
docs/DOUBLE_PENALTY.md).

The model holds the rules (the windows' lengths, who may ask for a hearing, what is refused); these helpers only
line up, per person by ID number, the day his notice was served (his entry's `notice_served_on`, else the
step's), his window's last day, and what the statement and hearing-request steps recorded of him.
"""

from __future__ import annotations

from engine.scripting import as_date, deadline


def _key(entry: dict) -> str | None:
    party = entry.get("party") if isinstance(entry, dict) else None
    return party.get("id_number") if isinstance(party, dict) else None


def _served(notice: dict, served_on: str) -> str:
    return str(notice.get("notice_served_on") or served_on)


def last_window_day(served_on: str, notices: list | None, days: int, working: bool = False,
                    unit: bool = True) -> str:
    """The last day of the latest window among the parties told (the unit's unless `unit` is false, and each
    person's from the service of his own notice): no step waits past it, none closes before it."""
    ends = [deadline(_served(notice, served_on), days, working) for notice in notices or []]
    ends += [deadline(served_on, days, working)] if unit or not ends else []
    return max(ends, key=as_date)


def unknown_parties(entries: list | None, notices: list | None) -> str:
    """The names of the persons an entry names who were never told (not a party of the case's notices)."""
    told = {_key(notice) for notice in notices or []}
    return "、".join(entry["party"].get("name", "") for entry in entries or [] if _key(entry) not in told)


def late_requests(requests: list | None, notices: list | None, served_on: str, days: int) -> str:
    """The names of the persons whose hearing request came after his own window (from his notice's service)."""
    served = {_key(notice): _served(notice, served_on) for notice in notices or []}
    return "、".join(request["party"].get("name", "") for request in requests or []
                    if _key(request) in served
                    and as_date(request["hearing_requested_on"]) > as_date(deadline(served[_key(request)], days, True)))


def requesting_persons(notices: list | None, requests: list | None) -> list[dict]:
    """The persons who asked for the hearing, each with the party block of his notice: each is sent his own
    听证会通知书 of the case's one hearing."""
    asked = {_key(request) for request in requests or []}
    return [{"party": notice["party"]} for notice in notices or [] if _key(notice) in asked]


def party_rights(notices: list | None, statements: list | None, requests: list | None, hearing_held: bool,
                 review_result: str | None = None) -> list[dict]:
    """Per person told: the day his notice was served, whether he stated and defended (his words), whether he
    asked for a hearing (and when) and whether the hearing he asked for was held — the values his decision states
    (APL Art. 59)."""
    stated = {_key(entry): entry for entry in statements or [] if _key(entry)}
    asked = {_key(entry): entry for entry in requests or [] if _key(entry)}
    rows = []
    for notice in notices or []:
        key = _key(notice)
        own = stated.get(key) or {}
        request = asked.get(key) or {}
        rows.append({"party": notice["party"], "notice_served_on": notice.get("notice_served_on"),
                     "stated": bool(own.get("statements")), "statements": own.get("statements"),
                     "review_result": own.get("review_result") or (review_result if own else None),
                     "party_hearing_requested": bool(request), "hearing_requested_on": request.get("hearing_requested_on"),
                     "hearing_held": bool(request) and bool(hearing_held)})
    return rows


HELPERS = {"last_window_day": last_window_day, "unknown_parties": unknown_parties, "late_requests": late_requests,
           "party_rights": party_rights, "requesting_persons": requesting_persons}
