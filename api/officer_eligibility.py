"""Who may be named as an enforcement officer of a step (`twoOfficers` in the model): at least two, the acting
user among them, each a certified officer (执法人员, never 辅助人员) whose certificate is valid that day, of the
case's agency or added to the case by the county bureau. Called by `api.authz.task_data_check`, with the form."""

from __future__ import annotations

from sqlmodel import Session, select

from api.identity.models import MemberPurpose, StaffCategory, User
from api.identity.service import is_case_member, today
from engine.models import Case

OFFICERS_FIELD = "officers"
DB_INT_MAX = 2**31 - 1


def _officers_problem(message: str, code: str, index: int | None = None, **extra) -> dict:
    suffix = "" if index is None else f"[{index}]"
    return {"path": f"$.{OFFICERS_FIELD}{suffix}", "field": f"{OFFICERS_FIELD}{suffix}", "title": "执法人员",
            "message": message, "code": code, **extra}


def officer_problems(session: Session, case: Case, user_id: int, data: dict) -> list[dict]:
    """The problems with the officers the form names, the acting user `user_id` among them; all of them read in
    one statement."""
    entries = data.get(OFFICERS_FIELD)
    if not isinstance(entries, list):
        entries = []
    ids = [e.get("user_id") for e in entries if isinstance(e, dict)]
    if (len(ids) != len(entries) or not all(type(i) is int for i in ids) or len(set(ids)) < 2):
        return [_officers_problem("本环节须由两名以上执法人员实施, 请在「执法人员」中选择至少两人", "two_officers_required")]
    if user_id not in ids:
        return [_officers_problem("办理人本人须是参与本环节的执法人员之一", "two_officers_required", user_id=user_id)]
    day = today()
    known = [i for i in ids if 1 <= i <= DB_INT_MAX]
    officers = {officer.id: officer for officer in session.exec(select(User).where(User.id.in_(known)))}
    problems, seen = [], set()
    for index, entry in enumerate(entries):
        if entry["user_id"] in seen:
            continue
        seen.add(entry["user_id"])
        officer = officers.get(entry["user_id"])
        reason = _officer_problem(session, case, officer, day) or _entry_mismatch(entry, officer)
        if reason:
            problems.append(_officers_problem(reason, "officer_not_eligible", index, user_id=entry["user_id"]))
    return problems


def _entry_mismatch(entry: dict, officer: User) -> str | None:
    """The names and certificate numbers that go into documents must be the registered ones."""
    if entry.get("name") not in (None, officer.display_name):
        return f"执法人员姓名「{entry.get('name')}」与登记的「{officer.display_name}」不符"
    if entry.get("certificate_no") not in (None, officer.certificate_number):
        return f"{officer.display_name}的执法证号与登记不符"
    return None


def _officer_problem(session: Session, case: Case, officer: User | None, day) -> str | None:
    if officer is None:
        return "所选执法人员不存在"
    name = officer.display_name
    if officer.staff_category != StaffCategory.officer:
        return f"{name}为辅助人员, 不能作为执法人员"
    if not officer.active:
        return f"{name}的账号已停用"
    if not officer.certificate_valid_on(day):
        return f"{name}的行政执法证未登记或已过期"
    if officer.agency_id != case.agency_id and not is_case_member(session, case.id, officer.id, MemberPurpose.officer):
        return f"{name}不属于本案承办单位, 也未经县局指派参与本案"
    return None
