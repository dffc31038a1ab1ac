"""Each penalised responsible person's fine as a debt of his own (SPL Arts. 94/95/99; docs/DOUBLE_PENALTY.md).

The model's payment steps hold the rules (a payment short of the fine or of the surcharge is refused, a 催告书 goes
to each party still unpaid); these helpers only line up, per person, what was decided on him (his decision's number
and fine), when his time to pay ran out (his decision's service) and what the form records of his payment, with the
surcharge owed computed by the one function `zhifa surcharge` uses (engine.surcharge via `surcharge_owed`).
"""

from __future__ import annotations

from engine.scripting import as_date, deadline, surcharge_owed


def _key(entry: dict) -> str | None:
    party = entry.get("party") if isinstance(entry, dict) else None
    return party.get("id_number") if isinstance(party, dict) else None


def payment_dues(services: list | None, days: int) -> dict[str, str]:
    """The last day to pay of each person served his decision: `days` after his own service (APL Art. 67)."""
    return {_key(service): deadline(str(service["served_at"]), days) for service in services or [] if _key(service)}


def last_payment_due(unit_due: str, dues: dict | None) -> str:
    """The last of the parties' last days to pay: the payment step waits for it, so no party is reminded before
    his own day (a person served later than the unit pays later)."""
    return max([unit_due, *(dues or {}).values()], key=as_date)


def party_dues(persons: list | None, payments: list | None, dues: dict | None) -> list[dict]:
    """Per penalised person: his fine, his payment as recorded (none: `paid_on` is None) and the surcharge owed on
    the day he paid."""
    paid = {_key(payment): payment for payment in payments or [] if _key(payment)}
    rows = []
    for person in persons or []:
        key = _key(person)
        payment = paid.get(key) or {}
        due = (dues or {}).get(key)
        paid_on = payment.get("paid_on")
        rows.append({"name": person["party"].get("name"), "id_number": key, "fine_amount": person["fine_amount"],
                     "decision_number": person.get("document_number"), "payment_due": due, "paid_on": paid_on,
                     "paid_amount": payment.get("paid_amount", 0), "surcharge_paid": payment.get("surcharge_paid", 0),
                     "payment_voucher": payment.get("payment_voucher"),
                     "surcharge_payable": surcharge_owed(person["fine_amount"], due, paid_on) if paid_on and due else 0})
    return rows


def party_reminders(persons: list | None, unpaid: list | None, dues: dict | None, served_on: str) -> list[dict]:
    """The values of a 催告书 to each person named unpaid: his party block, his decision and fine, his surcharge
    owed on the day the reminder is served."""
    named = set(unpaid or [])
    return [{"party": person["party"], "decision_number": person.get("document_number"),
             "fine_amount": person["fine_amount"], "payment_due": (dues or {}).get(_key(person)),
             "surcharge_amount": surcharge_owed(person["fine_amount"], (dues or {})[_key(person)], served_on)}
            for person in persons or [] if _key(person) in named]


def not_yet_due(reminders: list | None, served_on: str) -> str:
    """The names of the persons a 催告书 would go to whose own last day to pay is not over on `served_on`."""
    return "、".join(r["party"]["name"] for r in reminders or [] if as_date(r["payment_due"]) >= as_date(served_on))


HELPERS = {"not_yet_due": not_yet_due, "payment_dues": payment_dues, "last_payment_due": last_payment_due, "party_dues": party_dues,
           "party_reminders": party_reminders}
