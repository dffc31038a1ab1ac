"""`zhifa plan redraw PLAN_ID`: draw a stored plan again from its recorded inputs and seed and compare."""

from __future__ import annotations

import json

import typer

plan_app = typer.Typer(help="年度监督检查计划", no_args_is_help=True)


@plan_app.command("redraw")
def redraw(plan_id: int = typer.Argument(..., help="年度计划ID")) -> None:
    """用保存的输入和随机种子重新抽取, 与保存的计划逐项比对(一致退出码为0, 不一致为1)。"""
    from api.plans.draw import draw
    from api.plans.models import InspectionPlan
    from engine.db import get_engine, read_session
    from engine.errors import NotFound

    with read_session(get_engine()) as session:
        plan = session.get(InspectionPlan, plan_id)
        if plan is None:
            raise NotFound(f"年度计划 {plan_id} 不存在", details={"plan_id": plan_id})
        inputs, seed, stored = plan.inputs, int(plan.seed), plan.result
    again = draw(inputs, seed)
    same = again == stored
    typer.echo(json.dumps({"plan_id": plan_id, "seed": str(seed), "same": same,
                           "visits": sum(len(e["visits"]) for e in again["entries"])}, ensure_ascii=False))
    if not same:
        typer.echo("重新抽取的结果与保存的计划不一致", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
