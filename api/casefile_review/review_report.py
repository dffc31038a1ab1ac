"""The review report (评查情况通报): per unit and overall — grades, common problems ranked, veto findings and
officer findings — as data, as .docx (documents.report_docx) and as .xlsx (review_workbook)."""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa
from cn2an import an2cn
from sqlmodel import Session, select

from api.casefile_review import review_candidates as found
from api.casefile_review import review_permissions
from api.casefile_review import review_procedure as procedure
from api.casefile_review.models import PlanStatus, ReviewPlan, ReviewSample, ReviewScore
from api.casefile_review.review_draw import REASON_LABELS
from api.casefile_review.review_findings import finding_rows, today
from api.casefile_review.review_plans import get_plan
from api.identity.models import User
from documents.amounts import chinese_date
from documents.report_docx import Grid, Heading, Text, render_report
from engine import clock
from engine.db import read_session, transaction
from engine.errors import InvalidState
from engine.models import Case
from engine.review_rubric import load_rubric
from engine.runtime import Runtime


def _summary(files: list[dict], findings: list[dict], grade_names: list[str]) -> dict:
    scored = [f for f in files if f["grade"]]
    grades = Counter(f["grade"] for f in scored)
    problems = Counter((f["item_code"], f["item_title"]) for f in findings)
    lost = defaultdict(float)
    for f in findings:
        lost[f["item_code"]] += f["points_lost"]
    officers: dict[int, dict] = {}
    for f in findings:
        for officer in f["officers"]:
            entry = officers.setdefault(officer["id"], {"name": officer["name"], "unit_name": f["unit_name"], "findings": 0,
                                                        "vetoes": 0, "items": []})
            entry["findings"] += 1
            entry["vetoes"] += int(f["veto"])
            entry["items"].append(f["item_title"])
    return {"files": len(files), "scored": len(scored),
            "average": round(sum(f["total"] for f in scored) / len(scored), 1) if scored else None,
            "grades": {name: grades.get(name, 0) for name in grade_names},
            "problems": [{"item_code": code, "item_title": title, "files": count, "points_lost": lost[code]}
                         for (code, title), count in sorted(problems.items(), key=lambda kv: (-kv[1], kv[0][0]))],
            "vetoes": [f for f in findings if f["veto"]],
            "officers": sorted(officers.values(), key=lambda o: (-o["findings"], o["name"]))}


def report_data(session: Session, user: User, plan: ReviewPlan) -> dict:
    units = review_permissions.plan_reader_units(session, user, plan.agency_id)
    grade_names = [g.name for g in load_rubric(plan.rubric).versions[-1].grades]
    query = (select(ReviewSample, Case.number, ReviewScore).join(Case, Case.id == ReviewSample.case_id)
             .join(ReviewScore, ReviewScore.sample_id == ReviewSample.id, isouter=True)
             .where(ReviewSample.plan_id == plan.id).order_by(ReviewSample.unit_id, ReviewSample.case_id))
    rows = session.exec(query).all()
    unit_ids = [u for u in plan.unit_ids if units is None or u in units]
    names = found.unit_names(session, set(plan.unit_ids) | {plan.agency_id})
    reviewers = found.user_names(session, {s.reviewer_id for s, _, _ in rows})
    findings = finding_rows(session, plan, units, today())
    files = [{"sample_id": s.id, "case_id": s.case_id, "case_number": number or "", "unit_id": s.unit_id,
              "unit_name": names.get(s.unit_id, ""), "reasons": "、".join(REASON_LABELS[r] for r in s.reasons),
              "reviewer": reviewers.get(s.reviewer_id, ""), "total": score.total if score else None,
              "grade": score.grade if score else None, "vetoes": [v["title"] for v in score.vetoes] if score else []}
             for s, number, score in rows if s.unit_id in unit_ids]
    per_unit = [{"unit_id": u, "unit_name": names.get(u, ""),
                 **_summary([f for f in files if f["unit_id"] == u], [f for f in findings if f["unit_id"] == u], grade_names),
                 "file_rows": [f for f in files if f["unit_id"] == u],
                 "finding_rows": [f for f in findings if f["unit_id"] == u]} for u in unit_ids]
    return {"plan_id": plan.id, "title": f"{plan.title}情况通报", "issuer": names.get(plan.agency_id, ""),
            "period": f"{chinese_date(plan.period_from)}至{chinese_date(plan.period_to)}", "seed": plan.seed,
            "grade_names": grade_names, "overall": _summary(files, findings, grade_names), "units": per_unit,
            "dated": chinese_date(clock.now())}


def load_report(engine: sa.Engine, user: User, plan_id: int) -> dict:
    with read_session(engine) as session:
        return report_data(session, user, get_plan(session, plan_id))


def _fmt(value) -> str:
    return "—" if value is None else f"{value:g}"


def _summary_blocks(summary: dict, grade_names: list[str]) -> list:
    grades = "，".join(f"{name}{summary['grades'][name]}件" for name in grade_names)
    blocks = [Text(f"抽取案卷{summary['files']}件，已评查{summary['scored']}件，平均得分{_fmt(summary['average'])}分；{grades}。")]
    if summary["problems"]:
        blocks.append(Grid(["序号", "常见问题(评查要点)", "涉及案卷", "合计扣分"],
                           [[str(i), p["item_title"], str(p["files"]), _fmt(p["points_lost"])]
                            for i, p in enumerate(summary["problems"], start=1)], [1, 6, 2, 2]))
    blocks.append(Text("否决项：" + ("；".join(f"{v['case_number']} {v['item_title']}（{v['comment']}）" for v in summary["vetoes"])
                                    if summary["vetoes"] else "无。")))
    if summary["officers"]:
        blocks.append(Grid(["责任执法人员", "单位", "问题数", "否决项", "问题"],
                           [[o["name"], o["unit_name"], str(o["findings"]), str(o["vetoes"]), "、".join(o["items"])]
                            for o in summary["officers"]], [2, 3, 1, 1, 5]))
    return blocks


def report_docx(report: dict) -> bytes:
    blocks = [Text(f"根据{report['title'].removesuffix('情况通报')}方案，对{report['period']}立案并已归档的案卷进行了随机抽取"
                   f"（随机种子{report['seed']}）和交叉评查。现将评查情况通报如下。"),
              Heading("一、总体情况"), *_summary_blocks(report["overall"], report["grade_names"])]
    for number, unit in enumerate(report["units"], start=1):
        blocks.append(Heading(f"{an2cn(number + 1)}、{unit['unit_name']}"))
        blocks += _summary_blocks(unit, report["grade_names"])
        if unit["file_rows"]:
            blocks.append(Grid(["案号", "抽取依据", "评查人员", "得分", "等次"],
                               [[f["case_number"], f["reasons"], f["reviewer"], _fmt(f["total"]), f["grade"] or "未评查"]
                                for f in unit["file_rows"]], [4, 3, 2, 1, 1]))
    return render_report(report["issuer"], report["title"], blocks, report["dated"])


def mark_reported(runtime: Runtime, user: User, plan_id: int) -> None:
    """通报: the model's review step closes once every drawn file is scored (its rule), then the report step."""
    with transaction(runtime.engine) as session:
        review_permissions.review_organiser_agency(session, user)
        plan = get_plan(session, plan_id)
        review_permissions.plan_reader_units(session, user, plan.agency_id)
        if plan.status != PlanStatus.reviewing:
            raise InvalidState(f"评查方案当前为「{PlanStatus(plan.status).label}」, 不能通报", code="review_plan_state",
                               details={"plan_id": plan_id})
        samples = session.exec(select(ReviewSample.id, ReviewScore.id).join(
            ReviewScore, ReviewScore.sample_id == ReviewSample.id, isouter=True).where(ReviewSample.plan_id == plan_id)).all()
        unscored = [sample for sample, score in samples if score is None]
        if unscored:
            raise InvalidState(f"还有{len(unscored)}份案卷未评查, 不能通报", code="review_not_finished",
                               details={"sample_ids": unscored})
        procedure.advance(runtime, plan, "review_files", user, {"scored_files": len(samples), "unscored_files": 0})
        procedure.advance(runtime, plan, "report_results", user, {"reported_on": today().isoformat()})
        plan.reported_at = clock.now()
        session.add(plan)
