"""Issue 15, risk-based targeting over HTTP: the annual plan shows each drawn target's risk score and its parts
beside it, the draw records the weights it used, and `zhifa plan redraw` still reproduces the weighted plan."""

from __future__ import annotations

from typer.testing import CliRunner

from api.cli import app as cli_app
from engine.settings import get_settings
from tests.api.test_annual_plan import SEED, register, runtime  # noqa: F401  (the real-models runtime fixture)


def test_the_plan_shows_each_drawn_targets_risk_score_and_redraws_exactly(client, auth, world, db_url, monkeypatch):
    risky = register(client, auth, world, 1, risk_level="major", credit_level="untrustworthy")
    calm = [register(client, auth, world, serial, risk_level="low") for serial in range(2, 5)]
    plan = client.post("/api/v1/plans", headers=auth("t1a"), json={"year": 2027, "seed": SEED})
    assert plan.status_code == 201, plan.text
    plan = plan.json()
    assert plan["weight_by_risk"] is True
    scores = {v["target_id"]: v["risk_score"] for v in plan["visits"]}
    assert set(scores) <= {risky, *calm} and len(scores) == 2  # 30 % of four, rounded up
    assert scores[risky] == 40 + 20  # 重大 + 失信 (api/data/risk_score.yaml), drawn with this seed
    assert all(scores[t] == 0 for t in scores if t != risky)
    parts = {p["label"]: p["points"] for p in plan["visits"][0]["risk_parts"]}
    assert set(parts) == {"风险等级", "信用等级", "隐患", "行政处罚", "生产安全事故"}
    assert sum(parts.values()) == plan["visits"][0]["risk_score"]

    monkeypatch.setenv("ZHIFA_DATABASE_URL", db_url)
    get_settings.cache_clear()
    redraw = CliRunner().invoke(cli_app, ["plan", "redraw", str(plan["id"])])
    assert redraw.exit_code == 0, redraw.output
    assert '"same": true' in redraw.output
