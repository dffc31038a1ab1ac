"""One register entry's fields checked and normalised: the same rules for the form, the API and every import row.

`normalise` returns the stored values and every problem found, in Chinese, so an import names all of a row's
problems at once.
"""

from __future__ import annotations

from typing import Any

from api.targets import credit_code
from api.targets.vocabulary import VOCABULARIES, value_of

FIELDS = ("credit_code", "name", "address", "township_id", "industry", "risk_level", "credit_level",
          "standardisation", "assigned_level", "key_target", "contacts")
LABELS = {"credit_code": "统一社会信用代码", "name": "单位名称", "address": "地址", "township_id": "所属乡镇(园区)",
          "key_target": "重点检查对象", "contacts": "联系人"} | {key: label for key, (label, _) in VOCABULARIES.items()}
REQUIRED_VOCABULARIES = ("industry", "risk_level", "standardisation", "assigned_level")
YES = {"是", "true", "1", "yes", "y", "重点"}
NO = {"否", "false", "0", "no", "n", ""}
CONTACT_ROLES = {"principal": "主要负责人", "safety_manager": "安全管理人员", "contact": "联系人"}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def normalise(raw: dict, townships: dict[str, int]) -> tuple[dict, list[str]]:
    """`raw`: field → value (text from a sheet, or typed JSON). `townships`: id, name, code or short name → id."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    code = _text(raw.get("credit_code")).upper()
    if not code:
        problems.append("缺少统一社会信用代码")
    elif (why := credit_code.problem(code)) is not None:
        problems.append(why)
    values["credit_code"] = code
    for key, limit in (("name", 200), ("address", 300)):
        text = _text(raw.get(key))
        if key == "name" and not text:
            problems.append("缺少单位名称")
        if len(text) > limit:
            problems.append(f"{LABELS[key]}超过{limit}字")
        values[key] = text
    township = _text(raw.get("township_id"))
    if township not in townships:
        problems.append(f"所属乡镇(园区)「{township}」不是本县的乡镇或园区" if township else "缺少所属乡镇(园区)")
    values["township_id"] = townships.get(township)
    for key, (label, _) in VOCABULARIES.items():
        text = _text(raw.get(key))
        if not text and key not in REQUIRED_VOCABULARIES:
            values[key] = None
            continue
        value = value_of(key, text)
        if value is None:
            problems.append(f"{label}「{text}」不在可选值中" if text else f"缺少{label}")
        values[key] = value
    flag = raw.get("key_target")
    if isinstance(flag, bool):
        values["key_target"] = flag
    elif _text(flag).lower() in YES | NO:
        values["key_target"] = _text(flag).lower() in YES
    else:
        problems.append(f"重点检查对象应填「是」或「否」, 实为「{_text(flag)}」")
    values["contacts"], contact_problems = _contacts(raw.get("contacts"))
    return values, problems + contact_problems


def _contacts(raw: Any) -> tuple[list[dict], list[str]]:
    if raw in (None, ""):
        return [], []
    if not isinstance(raw, list) or len(raw) > 20:
        return [], ["联系人应为不超过20人的列表"]
    contacts, problems = [], []
    for item in raw:
        if not isinstance(item, dict) or not _text(item.get("name")):
            problems.append("联系人须写明姓名")
            continue
        role = _text(item.get("role")) or "contact"
        role = role if role in CONTACT_ROLES else next((k for k, v in CONTACT_ROLES.items() if v == role), None)
        if role is None:
            problems.append(f"联系人身份应为{'、'.join(CONTACT_ROLES.values())}之一")
            continue
        name, phone = _text(item.get("name"))[:50], _text(item.get("phone"))[:50]
        contacts.append({"name": name, "role": role, "phone": phone})
    return contacts, problems


def contacts_text(contacts: list[dict]) -> str:
    """Contacts in one sheet cell: 「主要负责人:张三:0796-1234567；联系人:李四:」."""
    return "；".join(f"{CONTACT_ROLES.get(c['role'], c['role'])}:{c['name']}:{c.get('phone', '')}" for c in contacts)


def parse_contacts(text: str) -> list[dict] | str:
    items = []
    for part in filter(None, (p.strip() for p in text.replace(";", "；").split("；"))):
        pieces = [p.strip() for p in part.replace("：", ":").split(":")]
        if len(pieces) == 1:
            pieces = ["联系人", pieces[0], ""]
        items.append({"role": pieces[0], "name": pieces[1] if len(pieces) > 1 else "",
                      "phone": pieces[2] if len(pieces) > 2 else ""})
    return items
