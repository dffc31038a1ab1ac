"""The hazard configuration (api/data/hazards.yaml): categories, the departments summoned per category, periods."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

CONFIG_FILE = Path(__file__).resolve().parent.parent / "data" / "hazards.yaml"


@dataclass(frozen=True)
class HazardConfig:
    triage_days: int
    ack_days: int
    action_days: int
    labels: dict[str, str]
    departments: dict[str, list[str]]

    def all_departments(self) -> list[str]:
        """Every department some category summons, in the file's order."""
        return list(dict.fromkeys(name for names in self.departments.values() for name in names))

    def process_inputs(self, category: str) -> dict:
        """What the process starts with: the category, its default departments and the periods."""
        return {"category": category, "category_label": self.labels[category],
                "departments": list(self.departments[category]), "triage_days": self.triage_days,
                "ack_days": self.ack_days, "action_days": self.action_days}


@cache
def hazard_config() -> HazardConfig:
    raw = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))
    categories = raw["categories"]
    return HazardConfig(triage_days=int(raw["triage_days"]), ack_days=int(raw["ack_days"]),
                        action_days=int(raw["action_days"]),
                        labels={code: entry["label"] for code, entry in categories.items()},
                        departments={code: list(entry["departments"]) for code, entry in categories.items()})
