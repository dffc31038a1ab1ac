"""The words a document chooses from the case, where the ministry's formats print a choice.

The formats write 「你（单位）」, 「陈述、申辩（听证）权利」, 「延期（分期）」 and 「法定代表人（负责人）」 for the
filler to strike out what does not apply. A printed document never carries the choice: it says
「你单位」 to a unit and 「你」 to a person, names the hearing right only when the hearing was offered,
and is titled 延期 or 分期 by the arrangement granted.

The case facts come from the snapshot (`case.party_kind`, `case.hearing_offered`, kept at issue) or,
for a document that lists the party as a field, from that field.
"""

from __future__ import annotations

from typing import Any

DEFERRAL_TITLE = "延期（分期）"


def party_kind(snapshot: dict[str, Any]) -> str:
    """`person` or `unit`: the kind of the party the document is addressed to."""
    party = snapshot.get("fields", {}).get("party")
    kind = party.get("kind") if isinstance(party, dict) else snapshot.get("case", {}).get("party_kind")
    return "person" if kind == "person" else "unit"


def rights_text(hearing_offered: bool) -> str:
    return "陈述、申辩和要求听证的权利" if hearing_offered else "陈述、申辩的权利"


def _payment_word(fields: dict[str, Any]) -> str:
    """分期 when the fine is paid in two or more instalments (`instalments`), otherwise 延期."""
    try:
        return "分期" if int(fields.get("instalments") or 0) >= 2 else "延期"
    except (TypeError, ValueError):
        return "延期"


def resolved_title(title: str, fields: dict[str, Any]) -> str:
    """The title with 延期（分期） resolved by the arrangement granted."""
    return title.replace(DEFERRAL_TITLE, _payment_word(fields)) if DEFERRAL_TITLE in title else title


def choices(snapshot: dict[str, Any]) -> dict[str, str]:
    """Builtin placeholders a template writes instead of a choice: {you}, {rights}, {payment_word}."""
    person = party_kind(snapshot) == "person"
    fields = snapshot.get("fields", {})
    return {
        "you": "你" if person else "你单位",
        "rights": rights_text(bool(snapshot.get("case", {}).get("hearing_offered"))),
        "payment_word": _payment_word(fields),
    }


def recipient_signer(snapshot: dict[str, Any]) -> str:
    """Who signs a service receipt: the person served, or for a unit its legal representative."""
    return "受送达人" if party_kind(snapshot) == "person" else "受送达单位法定代表人"
