"""Test factories: agencies of Suichuan county and actors in their roles."""

from __future__ import annotations

from dataclasses import dataclass

from engine.db import transaction
from engine.models import Actor, Agency
from engine.vocab import AgencyKind, Role


@dataclass
class Agencies:
    county: Agency
    township: Agency
    other_township: Agency
    park: Agency


def seed_agencies(engine) -> Agencies:
    with transaction(engine) as session:
        county = Agency(code="suichuan-em", name="遂川县应急管理局", short_name="遂", kind=AgencyKind.county_bureau)
        session.add(county)
        session.flush()
        township = Agency(code="quanjiang", name="泉江镇人民政府", short_name="遂泉", kind=AgencyKind.township, parent_id=county.id)
        other = Agency(code="yulin", name="雩田镇人民政府", short_name="遂雩", kind=AgencyKind.township, parent_id=county.id)
        park = Agency(code="park", name="遂川工业园区管委会", short_name="遂园", kind=AgencyKind.park, parent_id=county.id)
        session.add_all([township, other, park])
    return Agencies(county, township, other, park)


def actor(role: Role, agency: Agency, user_id: int = 1, name: str = "张三") -> Actor:
    return Actor(user_id=user_id, name=name, role=role, agency_id=agency.id)
