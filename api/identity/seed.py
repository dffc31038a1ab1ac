"""Seed the demo county (agencies and users) from a data file; running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml
from sqlmodel import select

from api.identity.models import StaffCategory, User
from api.identity.security import hash_password
from api.identity.service import create_user
from engine.db import transaction
from engine.models import Agency
from engine.vocab import AgencyKind

DEMO_FILE = Path(__file__).resolve().parents[1] / "data" / "demo" / "suichuan.yaml"


@dataclass(frozen=True)
class SeedResult:
    agencies_added: int
    users_added: int


def seed_demo(engine: sa.Engine, path: Path = DEMO_FILE) -> SeedResult:
    """Add the file's agencies (by code) and users (by username) that are missing; never overwrite."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    agencies_added = users_added = 0
    with transaction(engine) as session:
        by_code = {a.code: a for a in session.exec(select(Agency))}
        for item in data["agencies"]:
            if item["code"] in by_code:
                continue
            parent = by_code[item["parent"]] if item.get("parent") else None
            agency = Agency(code=item["code"], name=item["name"], short_name=item["short_name"],
                            kind=AgencyKind(item["kind"]), parent_id=parent.id if parent else None)
            session.add(agency)
            session.flush()
            by_code[agency.code] = agency
            agencies_added += 1
        existing = set(session.exec(select(User.username)))
        missing = [item for item in data["users"] if item["username"] not in existing]
        # one hash for the shared, published demo password: argon2 is deliberately slow
        password_hash = hash_password(data["password"]) if missing else None
        for item in missing:
            expires = item.get("expires")
            create_user(session, username=item["username"], display_name=item["name"], password=data["password"],
                        password_hash=password_hash, agency_id=by_code[item["agency"]].id, roles=item["roles"],
                        staff_category=StaffCategory(item["staff"]), certificate_number=item.get("certificate"),
                        certificate_expires=expires if isinstance(expires, date) or expires is None else date.fromisoformat(expires),
                        grid=item.get("grid"), department=item.get("department"))
            users_added += 1
    return SeedResult(agencies_added, users_added)
