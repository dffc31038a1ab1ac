"""Case-file review rubrics (案卷评查评分标准, `engine/data/rubrics/<name>.yaml`) as effective-dated data.

Published rubrics differ in weights, grade bands and what a veto does, so all three are configuration
(DOMAIN.md §10). A rubric is a list of complete versions; a case is scored by the version in force on its
filing date. Items with a `check` are scored by the automatic pre-check, the rest by the reviewer.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.errors import NotFound, ValidationFailed
from engine.settings import PACKAGE_DIR

RUBRICS_DIR = PACKAGE_DIR / "data" / "rubrics"
DEFAULT_RUBRIC = "default"
_CODE = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Grade(_Strict):
    name: str = Field(min_length=1)
    min: int = Field(ge=0, le=100)


class Area(_Strict):
    code: str = Field(pattern=_CODE)
    title: str = Field(min_length=1)
    weight: int = Field(gt=0)


class Item(_Strict):
    code: str = Field(pattern=_CODE)
    area: str
    title: str = Field(min_length=1)
    points: int = Field(gt=0)
    check: str | None = Field(default=None, pattern=_CODE)
    veto: bool = False

    @property
    def automatic(self) -> bool:
        return self.check is not None


class RubricVersion(_Strict):
    effective_from: date
    basis: str
    veto_rule: Literal["zero", "bar_excellent"]
    grades: tuple[Grade, ...] = Field(min_length=2)
    areas: tuple[Area, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> RubricVersion:
        if sum(area.weight for area in self.areas) != 100:
            raise ValueError("各评查项目权重之和须为100分")
        for area in self.areas:
            points = sum(item.points for item in self.items if item.area == area.code)
            if points != area.weight:
                raise ValueError(f"「{area.title}」下各评查要点分值之和为{points}, 应为{area.weight}")
        unknown = {item.area for item in self.items} - {area.code for area in self.areas}
        if unknown:
            raise ValueError(f"评查要点引用了未定义的项目: {', '.join(sorted(unknown))}")
        codes = [item.code for item in self.items]
        if len(codes) != len(set(codes)):
            raise ValueError("评查要点代码重复")
        bounds = [grade.min for grade in self.grades]
        if bounds != sorted(bounds, reverse=True) or len(set(bounds)) != len(bounds) or bounds[-1] != 0:
            raise ValueError("等次须按最低分从高到低排列, 最后一档最低分为0")
        return self

    def grade_for(self, score: float, vetoed: bool) -> str:
        """The band a score falls in; a veto fails the file or, by the other rule, only bars the top band."""
        if vetoed and self.veto_rule == "zero":
            return self.grades[-1].name
        bands = self.grades[1:] if vetoed else self.grades
        return next(grade.name for grade in bands if score >= grade.min)


class Rubric(_Strict):
    name: str = Field(pattern=_CODE)
    title: str = Field(min_length=1)
    versions: tuple[RubricVersion, ...] = Field(min_length=1)

    def version_on(self, day: date) -> RubricVersion:
        in_force = [v for v in sorted(self.versions, key=lambda v: v.effective_from) if v.effective_from <= day]
        if not in_force:
            raise ValidationFailed(f"评查标准“{self.title}”在 {day.isoformat()} 没有生效的版本", code="rubric_not_in_force",
                                   details={"rubric": self.name, "on": day.isoformat()})
        return in_force[-1]


def _problems(error: ValidationError) -> str:
    parts = []
    for problem in error.errors():
        where = ".".join(str(step) for step in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def parse_rubric(path: Path) -> Rubric:
    """Read and validate one rubric file; a bad file is refused with what is wrong and where."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Rubric.model_validate(content)
    except yaml.YAMLError as exc:
        raise ValidationFailed(f"评查标准文件 {path.name} 不是有效的 YAML: {exc}", code="rubric_invalid",
                               details={"file": path.name}) from None
    except ValidationError as exc:
        raise ValidationFailed(f"评查标准文件 {path.name} 有误: {_problems(exc)}", code="rubric_invalid",
                               details={"file": path.name}) from None


@lru_cache(maxsize=8)
def load_rubric(name: str = DEFAULT_RUBRIC) -> Rubric:
    path = RUBRICS_DIR / f"{name}.yaml"
    if not path.is_file() or not name.replace("_", "").isalnum():
        raise NotFound(f"评查标准 {name} 不存在", code="rubric_not_found", details={"rubric": name})
    return parse_rubric(path)
