"""Named rule profiles: effective-dated threshold sets that the decision tables take as inputs.

A profile (`zhifa/data/profiles/<name>.yaml`) is a list of complete versions, each with an
`effective_from` date. A case uses the version in force on its filing date; the tables never
hard-code these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import best_match

from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import ModelError, NotFound, ValidationFailed
from engine.settings import PACKAGE_DIR, get_settings

PROFILES_DIR = PACKAGE_DIR / "data" / "profiles"

_AMOUNT = {"type": "number", "minimum": 0}
_VALUES_SCHEMA = {
    "type": "object",
    "required": [
        "hearing_threshold_person", "hearing_threshold_org", "hearing_threshold_inclusive",
        "simple_limit_person", "simple_limit_org", "simple_limit_inclusive",
        "statement_defence_days", "major_catalogue", "discretion_split",
    ],
    "additionalProperties": False,
    "properties": {
        "hearing_threshold_person": _AMOUNT,
        "hearing_threshold_org": _AMOUNT,
        "hearing_threshold_inclusive": {"type": "boolean"},
        "simple_limit_person": _AMOUNT,
        "simple_limit_org": _AMOUNT,
        "simple_limit_inclusive": {"type": "boolean"},
        "statement_defence_days": {"type": "integer", "minimum": 1},
        "major_catalogue": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "name", "collective_discussion"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "name": {"type": "string", "minLength": 1},
                    "collective_discussion": {"type": "boolean"},
                },
            },
        },
        "discretion_split": {
            "type": "array", "minItems": 2, "maxItems": 2,
            "items": {"type": "string", "pattern": r"^\d+/\d+$"},
        },
        "publication_name_rule": {"enum": ["full", "surname"]},
    },
}
_PROFILE_SCHEMA = {
    "type": "object",
    "required": ["name", "title", "versions"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "versions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["effective_from", "basis", "values"],
                "additionalProperties": False,
                "properties": {"effective_from": {}, "basis": {"type": "string"}, "values": _VALUES_SCHEMA},
            },
        },
    },
}


@dataclass(frozen=True)
class ProfileVersion:
    profile: str
    effective_from: date
    basis: str
    values: dict[str, Any]

    @property
    def discretion_split(self) -> tuple[Fraction, Fraction]:
        """Where the lighter/standard and standard/heavier tiers meet, as fractions of the statutory range.

        A configurable default (thirds), not law: no official discretion benchmark is loaded.
        """
        lower, upper = (Fraction(text) for text in self.values["discretion_split"])
        return lower, upper

    @property
    def publication_name_rule(self) -> str:
        """How a natural person's name is published (DOMAIN.md §9): "surname" (刘某) unless the profile says "full"."""
        return self.values.get("publication_name_rule", "surname")

    def table_inputs(self) -> dict[str, Any]:
        """The values every decision table receives next to the case's own inputs."""
        catalogue = self.values["major_catalogue"]
        inputs = {key: value for key, value in self.values.items()
                  if key not in ("major_catalogue", "discretion_split", "publication_name_rule")}
        inputs["major_catalogue_items"] = [item["code"] for item in catalogue]
        inputs["major_catalogue_discussion_items"] = [
            item["code"] for item in catalogue if item["collective_discussion"]
        ]
        return inputs


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    versions: tuple[ProfileVersion, ...]  # ascending by effective_from

    def version_on(self, day: date) -> ProfileVersion:
        """The version in force on `day` (a case's filing date)."""
        in_force = [version for version in self.versions if version.effective_from <= day]
        if not in_force:
            first = self.versions[0].effective_from.isoformat()
            raise ValidationFailed(
                f"规则配置“{self.title}”({self.name}) 在 {day.isoformat()} 没有生效的版本（最早版本自 {first} 起施行）",
                code="profile_not_in_force",
                details={"profile": self.name, "on": day.isoformat(), "first_effective_from": first},
            )
        return in_force[-1]


def today() -> date:
    """Today in China, by the engine clock: the default day whose profile version applies."""
    return clock.now().astimezone(SHANGHAI).date()


def profile_inputs(profile: str | None = None, on: date | None = None) -> dict[str, Any]:
    """The profile values in force on `on` (a case's filing date), as the tables expect them in task data."""
    return load_profile(profile).version_on(on or today()).table_inputs()


def available_profiles() -> list[str]:
    return sorted(path.stem for path in PROFILES_DIR.glob("*.yaml"))


def load_profile(name: str | None = None) -> Profile:
    """Load a profile by name (default: `settings.rules_profile`) or from a .yaml path (a draft profile)."""
    name = name or get_settings().rules_profile
    if name.endswith((".yaml", ".yml")):
        path = Path(name)
    else:
        path = PROFILES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise NotFound(
            f"找不到规则配置 {name}，可用的配置：{', '.join(available_profiles())}",
            details={"profile": name},
        )
    return _load(path.resolve(), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load(path: Path, _mtime: int) -> Profile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ModelError(f"规则配置文件 {path.name} 不是有效的 YAML：{exc}", details={"file": str(path)}) from exc
    error = best_match(jsonschema.Draft202012Validator(_PROFILE_SCHEMA).iter_errors(raw))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path)
        raise ModelError(f"规则配置文件 {path.name} 格式错误（{where}）：{error.message}",
                         details={"file": str(path), "path": where})
    versions = []
    for entry in raw["versions"]:
        if not isinstance(entry["effective_from"], date):
            raise ModelError(f"规则配置文件 {path.name} 的 effective_from 应为日期 (YYYY-MM-DD)",
                             details={"file": str(path)})
        version = ProfileVersion(raw["name"], entry["effective_from"], entry["basis"], entry["values"])
        lower, upper = version.discretion_split
        if not 0 < lower < upper < 1:
            raise ModelError(f"规则配置文件 {path.name} 的 discretion_split 应为 0 与 1 之间的两个递增分数",
                             details={"file": str(path)})
        versions.append(version)
    versions.sort(key=lambda version: version.effective_from)
    dates = [version.effective_from for version in versions]
    if len(set(dates)) != len(dates):
        raise ModelError(f"规则配置文件 {path.name} 有两个版本的 effective_from 相同", details={"file": str(path)})
    return Profile(raw["name"], raw["title"], tuple(versions))
