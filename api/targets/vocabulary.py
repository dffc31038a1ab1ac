"""The register's closed vocabularies, each value with its Chinese label (DOMAIN.md §3.1).

Import accepts either the value or its label; export writes the label, so an exported sheet imports again.
"""

from __future__ import annotations

INDUSTRIES = {
    "coal_mine": "煤矿",
    "non_coal_mine": "非煤矿山",
    "hazardous_chemicals": "危险化学品",
    "fireworks": "烟花爆竹",
    "industry_trade": "工贸",
    "safety_service": "安全生产中介服务",
    "other": "其他",
}
RISK_LEVELS = {"major": "重大", "large": "较大", "general": "一般", "low": "低"}
CREDIT_LEVELS = {
    "trustworthy": "守信",
    "basic": "基本守信",
    "untrustworthy": "失信",
    "serious_untrustworthy": "严重失信",
}
STANDARDISATION = {"level1": "一级", "level2": "二级", "level3": "三级", "ungraded": "未定级"}
ASSIGNED_LEVELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇(园区)"}

VOCABULARIES = {
    "industry": ("行业", INDUSTRIES),
    "risk_level": ("风险等级", RISK_LEVELS),
    "credit_level": ("信用等级", CREDIT_LEVELS),
    "standardisation": ("标准化等级", STANDARDISATION),
    "assigned_level": ("执法层级", ASSIGNED_LEVELS),
}


def value_of(field: str, text: str) -> str | None:
    """The stored value for a value or a label of `field`'s vocabulary; None when it is neither."""
    _, values = VOCABULARIES[field]
    text = text.strip()
    if text in values:
        return text
    return next((value for value, label in values.items() if label == text), None)


def label_of(field: str, value: str | None) -> str:
    return VOCABULARIES[field][1].get(value, "") if value else ""


def allowed(field: str) -> str:
    return "、".join(VOCABULARIES[field][1].values())
