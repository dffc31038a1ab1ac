"""Register entries for tests: valid unified social credit codes and a complete entry body."""

from __future__ import annotations

from api.targets.credit_code import check_character


def credit_code(serial: int) -> str:
    """A valid unified social credit code (Jiangxi, Suichuan) for a test unit numbered `serial`."""
    first17 = f"91360827MA35{serial:05d}"
    return first17 + check_character(first17)


def entry(township_id: int, serial: int, **changes) -> dict:
    body = {"credit_code": credit_code(serial), "name": f"遂川县测试{serial}号企业有限公司", "address": "遂川县泉江镇工业大道8号",
            "township_id": township_id, "industry": "industry_trade", "risk_level": "general",
            "credit_level": "trustworthy", "standardisation": "level3", "assigned_level": "county", "key_target": False,
            "contacts": [{"name": "王林峰", "role": "principal", "phone": "0796-6300000"}]}
    return body | changes
