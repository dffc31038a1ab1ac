"""The 送达回执 of the documents served at one step (DOMAIN.md: every document served needs its receipt).

Where a step issues the documents it serves and their receipt together (the 行政处罚告知书, with the 听证告知书
when a hearing is offered), the receipt lists those documents by the titles and numbers just given to them;
nobody types them. What the step's form does not say is taken from the case: the recipient is the unit's legal
representative or the person, the place the party's address, the servers the case's officers, the time the
notice's service date. Where the form says it, the form wins.
"""

from __future__ import annotations

from typing import Any

RECEIPT = "service_receipt"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _recipient(party: dict[str, Any]) -> str | None:
    if party.get("kind") != "person" and party.get("legal_representative"):
        return party["legal_representative"]
    return party.get("name")


def receipt_values(values: dict[str, Any], served: list[dict[str, str]]) -> dict[str, Any]:
    """The receipt's composed values when it follows `served` (title, number) in the same step; {} otherwise."""
    if not served:
        return {}
    party = values.get("party") if isinstance(values.get("party"), dict) else {}
    officers = [o.get("name") for o in values.get("officers") or [] if isinstance(o, dict) and o.get("name")]
    defaults = {
        "recipient": _recipient(party),
        "service_place": party.get("address"),
        "served_at": values.get("notice_served_on"),
        "server": "、".join(officers),
    }
    composed: dict[str, Any] = {"served_documents": served}
    composed |= {key: value for key, value in defaults.items() if value and _blank(values.get(key))}
    return composed
