"""The case-file review rubric is data: effective-dated versions, validated, with a Chinese error for a bad file."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from engine.errors import ValidationFailed
from engine.review_rubric import RUBRICS_DIR, load_rubric, parse_rubric


def test_the_default_rubric_carries_domain_section_10():
    version = load_rubric().version_on(date(2026, 3, 11))
    assert {area.title: area.weight for area in version.areas} == {
        "立案": 8, "调查取证": 30, "定性与裁量": 15, "审查决定": 20, "送达执行": 12, "公示与记录": 5, "立卷归档": 10}
    assert [(grade.name, grade.min) for grade in version.grades] == [("优秀", 90), ("良好", 80), ("合格", 60), ("不合格", 0)]
    assert {item.code for item in version.items if item.veto} >= {"two_certified_officers", "legal_review",
                                                                 "decision_deadline", "advance_notice"}
    assert any(not item.automatic for item in version.items)
    assert (version.grade_for(95, False), version.grade_for(85, False), version.grade_for(95, True)) == ("优秀", "良好", "不合格")


def _variant(tmp_path, change) -> object:
    content = yaml.safe_load((RUBRICS_DIR / "default.yaml").read_text(encoding="utf-8"))
    change(content["versions"][0])
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return parse_rubric(path)


def test_a_rubric_where_a_veto_only_bars_the_top_band_and_without_a_good_band(tmp_path):
    def change(version):
        version["veto_rule"] = "bar_excellent"
        version["grades"] = [{"name": "优秀", "min": 90}, {"name": "合格", "min": 60}, {"name": "不合格", "min": 0}]
    version = _variant(tmp_path, change).versions[0]
    assert (version.grade_for(95, True), version.grade_for(85, False), version.grade_for(50, True)) == ("合格", "合格", "不合格")


def test_a_bad_rubric_file_is_refused_in_chinese_naming_the_problem(tmp_path):
    def change(version):
        version["areas"][0]["weight"] = 9
    with pytest.raises(ValidationFailed) as refused:
        _variant(tmp_path, change)
    assert refused.value.code == "rubric_invalid"
    assert "各评查项目权重之和须为100分" in str(refused.value)

    def unknown_rule(version):
        version["veto_rule"] = "sometimes"
    with pytest.raises(ValidationFailed, match="评查标准文件 variant.yaml 有误: versions.0.veto_rule"):
        _variant(tmp_path, unknown_rule)


def test_a_case_filed_before_the_first_version_has_no_rubric():
    with pytest.raises(ValidationFailed) as refused:
        load_rubric().version_on(date(2023, 12, 31))
    assert refused.value.code == "rubric_not_in_force"
