"""Redaction for publication (APL Art. 50; DOMAIN.md §9).

Natural persons: ID and phone numbers masked wherever they occur (also inside free text),
home address and bank details omitted, the name as the provincial rule says
(`publication_name_rule` in the rules profile). Units: name and credit code in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RULES_VERSION = "1"

# 18-digit resident ID (17 digits + check digit or X) and the old 15-digit one; never part of a longer number.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(?:\d{11}[\dXx]|\d{9})(?![0-9A-Za-z])")
# Mobile numbers, optionally with +86 / 86 / 0086, grouped by spaces or hyphens: 13812345678, +86 138 1234 5678, 138-1234-5678.
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?\d{4}[\s-]?(\d{4})(?!\d)")
# Landlines with an area code: 0796-6300001, 010 12345678, (0796)6300001.
_LANDLINE = re.compile(r"(?<!\d)[(（]?(0\d{2,3})[)）]?[\s-]?\d{7,8}(?!\d)")
# Bank card and account numbers: 12 to 19 digits, possibly grouped by spaces or hyphens.
_BANK_ACCOUNT = re.compile(r"(?<!\d)\d{4}(?:[\s-]?\d{2,4}){2,4}(?!\d)")

NAME_RULES = ("full", "surname")
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "令狐", "夏侯")
ADDRESS_OMITTED = "[住址不予公开]"


@dataclass(frozen=True)
class Redaction:
    """The redaction rules in force for one case: the profile version and its name rule."""

    name_rule: str
    source: str  # which profile version gave the rule, e.g. jiangxi@2021-07-15

    @property
    def version(self) -> str:
        return f"v{RULES_VERSION}/{self.source}/name={self.name_rule}"

    def person_name(self, name: str) -> str:
        name = name.strip()
        if self.name_rule == "full" or not name:
            return name
        surname = name[:2] if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else name[:1]
        return f"{surname}某"

    def party(self, party: dict) -> dict[str, str]:
        """The party as published: a unit in full, a natural person by name rule only."""
        if party.get("kind") == "unit":
            shown = {"name": party.get("name", ""), "credit_code": party.get("credit_code", ""),
                     "legal_representative": party.get("legal_representative", "")}
            return {key: value for key, value in shown.items() if value}
        return {"name": self.person_name(party.get("name", ""))}

    def text(self, value: str, party: dict | None = None) -> str:
        """Free text with the identifying numbers masked and the person's address and name handled by rule."""
        party = party or {}
        if party.get("kind") == "person":
            address = (party.get("address") or "").strip()
            if address:
                value = value.replace(address, ADDRESS_OMITTED)
            name = (party.get("name") or "").strip()
            if name:
                value = value.replace(name, self.person_name(name))
        credit_code = (party.get("credit_code") or "").strip() if party.get("kind") == "unit" else ""
        if credit_code:  # a unit's credit code is published in full, even where it looks like a number to mask
            return credit_code.join(mask_numbers(part) for part in value.split(credit_code))
        return mask_numbers(value)


def mask_numbers(value: str) -> str:
    """Mask ID numbers, mobile and landline numbers and bank account numbers in free text."""
    value = _ID_NUMBER.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 6), value)
    value = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", value)
    value = _LANDLINE.sub(lambda m: f"{m.group(1)}-********", value)
    return _BANK_ACCOUNT.sub(_bank_account, value)


def _bank_account(match: re.Match) -> str:
    digits = sum(char.isdigit() for char in match.group(0))
    return "[账号不予公开]" if digits >= 12 else match.group(0)  # shorter: a date or an amount, not an account
