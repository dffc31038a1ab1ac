"""The automatic pre-check (自动预审): every automatic rubric item scored from the case file, with its evidence.

Manual items are listed unscored for the reviewer. The grade is final only where a veto decides it;
otherwise `grade` is None and `provisional_grade` assumes the manual items score in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from documents.case_review.case_file import CaseFile
from documents.case_review.checks import CHECKS
from engine import clock
from engine.calendar import SHANGHAI
from engine.errors import ModelError
from engine.review_rubric import RubricVersion, load_rubric


@dataclass(frozen=True)
class Precheck:
    rubric: str
    rubric_effective_from: date
    items: list[dict[str, Any]]
    automatic_score: float
    automatic_max: int
    manual_max: int
    vetoes: list[dict[str, Any]]
    grade: str | None
    provisional_grade: str

    def as_dict(self) -> dict[str, Any]:
        return {"rubric": self.rubric, "rubric_effective_from": self.rubric_effective_from.isoformat(),
                "items": self.items, "automatic_score": self.automatic_score, "automatic_max": self.automatic_max,
                "manual_max": self.manual_max, "vetoes": self.vetoes, "grade": self.grade,
                "provisional_grade": self.provisional_grade}


def _score(version: RubricVersion, file: CaseFile) -> list[dict[str, Any]]:
    areas = {area.code: area.title for area in version.areas}
    items = []
    for item in version.items:
        row = {"code": item.code, "title": item.title, "area": item.area, "area_title": areas[item.area],
               "points": item.points, "veto_item": item.veto, "automatic": item.automatic}
        if item.check is None:
            items.append(row | {"status": "manual", "score": None, "message": "由评查人员评分", "evidence": []})
            continue
        check = CHECKS.get(item.check)
        if check is None:
            raise ModelError(f"评查标准引用了不存在的自动检查 {item.check}", details={"item": item.code})
        finding = check(file)
        status = {True: "passed", False: "failed", None: "not_applicable"}[finding.passed]
        items.append(row | {"status": status, "score": 0 if finding.passed is False else item.points,
                            "message": finding.message, "evidence": finding.evidence})
    return items


def precheck(file: CaseFile, rubric: str | None = None) -> Precheck:
    """Score the case file by the rubric version in force on its filing date (or today's, if never filed)."""
    loaded = load_rubric(rubric) if rubric else load_rubric()
    day = file.case.filed_on or clock.now().astimezone(SHANGHAI).date()
    version = loaded.version_on(day)
    items = _score(version, file)
    vetoes = [{"code": row["code"], "title": row["title"], "message": row["message"], "evidence": row["evidence"]}
              for row in items if row["veto_item"] and row["status"] == "failed"]
    automatic = [row for row in items if row["automatic"]]
    score = sum(row["score"] for row in automatic)
    manual_max = sum(row["points"] for row in items if not row["automatic"])
    vetoed = bool(vetoes)
    grade = version.grade_for(0, True) if vetoed and version.veto_rule == "zero" else None
    return Precheck(rubric=loaded.name, rubric_effective_from=version.effective_from, items=items,
                    automatic_score=score, automatic_max=sum(row["points"] for row in automatic), manual_max=manual_max,
                    vetoes=vetoes, grade=grade, provisional_grade=version.grade_for(score + manual_max, vetoed))
