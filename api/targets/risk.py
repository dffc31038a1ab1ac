"""Risk score of a register entry (风险评分): from its register fields and its enforcement history (hazards found,
penalties, accidents) with the weights of api/data/risk_score.yaml.

`score(target, history, weights)` is a pure function; `histories(session, target_ids)` reads the history of many
units at once (the cases started from each entry and the cases they led to, and the hazard reports linked to it).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlmodel import Session, select

from api.hazards.models import HazardReport
from api.targets.models import TargetCase
from documents.models import IssuedDocument
from engine.models import Case, RecordEvent

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "risk_score.yaml"
PENALTY_DOCUMENTS = ("penalty_decision", "simple_penalty_decision")
HAZARD_DOCUMENTS = ("rectification_order",)
ACCIDENT_TASK = "登记经批复的事故调查报告"
PART_LABELS = {"risk_level": "风险等级", "credit_level": "信用等级", "hazards": "隐患", "penalties": "行政处罚",
               "accidents": "生产安全事故"}


def load_weights(path: Path = WEIGHTS_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def score(target: dict, history: dict, weights: dict) -> dict:
    """{"score": int, "parts": {part: points}}; the parts add up to the score and none is negative."""
    cap = weights["history_cap"]
    parts = {
        "risk_level": weights["risk_level"].get(target.get("risk_level"), 0),
        "credit_level": weights["credit_level"].get(target.get("credit_level") or "unknown", 0),
        "hazards": min(history.get("hazards", 0), cap) * weights["per_hazard"],
        "penalties": min(history.get("penalties", 0), cap) * weights["per_penalty"],
        "accidents": min(history.get("accidents", 0), cap) * weights["per_accident"],
    }
    return {"score": sum(parts.values()), "parts": parts}


def unit_case_ids(session: Session, target_id: int) -> set[int]:
    """The cases started from the entry and the cases they led to (reported up, linked)."""
    ids = set(session.exec(select(TargetCase.case_id).where(TargetCase.target_id == target_id)).all())
    frontier = set(ids)
    while frontier:
        frontier = set(session.exec(select(Case.id).where(Case.parent_case_id.in_(frontier)))) - ids
        ids |= frontier
    return ids


def histories(session: Session, target_ids: list[int]) -> dict[int, dict]:
    """{target_id: {"hazards", "penalties", "accidents"}}: counts over the unit's whole history (no caller scope:
    the score is the register's, the same for every agency that reads it)."""
    out = {}
    for target_id in target_ids:
        cases = unit_case_ids(session, target_id)
        docs = session.exec(select(IssuedDocument.doc_id).where(
            IssuedDocument.case_id.in_(cases), IssuedDocument.doc_id.in_(PENALTY_DOCUMENTS + HAZARD_DOCUMENTS))).all() \
            if cases else []
        reports = len(session.exec(select(HazardReport.id).where(HazardReport.target_id == target_id)).all())
        accidents = len(session.exec(select(RecordEvent.id).where(
            RecordEvent.case_id.in_(cases), RecordEvent.kind == "task_completed",
            RecordEvent.task_name == ACCIDENT_TASK)).all()) if cases else 0
        out[target_id] = {"hazards": reports + sum(1 for d in docs if d in HAZARD_DOCUMENTS),
                          "penalties": sum(1 for d in docs if d in PENALTY_DOCUMENTS), "accidents": accidents}
    return out
