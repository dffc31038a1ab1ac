"""Engine cost per completed task against bare SpiffWorkflow on the same model.

Bare: deserialize the workflow (SpiffWorkflow's own serializer, spec embedded),
complete the ready task, run engine steps, serialize. zhifa: `Runtime.complete_task`,
i.e. the same plus form validation, model rules, document numbering and snapshots,
the inbox rows, the record event and one database transaction (SQLite by default;
pass a PostgreSQL URL to compare).

Two models: `approval`, the two-task test model, and `general_procedure`, the real
process, over the county's first five steps of the demo story (filing to the
end-of-investigation decision). Prints figures; never fails on time. Goals: ≤ 1.0x on the
real procedure, ≤ 1.5x on the two-task model.

    python bench/bench_engine.py [--cases 100] [--db-url URL] [--json PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import new_database, postgres, write_result  # noqa: E402

from api.bootstrap import build_runtime  # noqa: E402
from api.demo import SCRIPT, step_data  # noqa: E402
from engine.db import get_engine  # noqa: E402
from engine.rules import environment  # noqa: E402
from engine.rules.profiles import profile_inputs  # noqa: E402
from engine.settings import get_settings  # noqa: E402
from engine.specs import read_model_files  # noqa: E402
from engine.vocab import Role  # noqa: E402
from tests.factories import actor, seed_agencies  # noqa: E402

TEST_MODELS = ROOT / "tests" / "engine" / "models"
OFFICERS = [{"user_id": 1, "name": "王振宇", "certificate_no": "赣36082701001"},
            {"user_id": 2, "name": "钟海燕", "certificate_no": "赣36082701002"}]
PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35R8QX1K", "address": "遂川县泉江镇工业大道18号",
         "legal_representative": "王林峰", "phone": "0796-6312345"}


def _county_steps() -> list[tuple[str, dict]]:
    names = ["填写立案审批表", "审批立案", "调查取证", "制作案件调查报告和处理呈批表", "审批处理意见"]
    case_data = {"source": {"case_number": "（遂泉）应急检〔2026〕1号"}, "documents": {}}
    steps = {s.task: s for s in SCRIPT}
    return [(name, step_data(steps[name], case_data, lambda *users: OFFICERS)) for name in names]


GOALS = {"approval": 1.5, "general_procedure": 1.0}
MODELS = {
    "approval": (TEST_MODELS, [("起草", {"summary": "未制定安全培训计划", "reply_by": "2026-12-10"}),
                               ("审批", {"approved": True, "opinion": "同意"})], {}),
    "general_procedure": (get_settings().bpmn_dir, _county_steps(), {"party": PARTY}),
}


def bare(bpmn_dir: Path, process_id: str, steps: list[tuple[str, dict]], start: dict, cases: int) -> list[float]:
    parser = SpiffBpmnParser()
    for name, text in read_model_files(bpmn_dir).items():
        if name.endswith(".bpmn"):
            parser.add_bpmn_str(text.encode(), filename=name)
        elif name.endswith(".dmn"):
            parser.add_dmn_str(text.encode(), filename=name)
    spec, subprocess_specs = parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    data = {**start, **profile_inputs("jiangxi"), "rules_profile": "jiangxi", "case_number": "（遂）应急立〔2026〕1号"}
    timings = []
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=environment.script_engine())
        workflow.data.update(data)
        workflow.task_tree.data.update(data)
        for task in workflow.get_tasks(state=TaskState.READY, manual=False):
            task.data.update(data)
        workflow.do_engine_steps()
        state = serializer.serialize_json(workflow)
        for name, form in steps:
            started = time.perf_counter()
            workflow = serializer.deserialize_json(state)
            workflow.script_engine = environment.script_engine()
            [task] = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_name == name]
            task.set_data(**form)
            task.run()
            workflow.refresh_timers()
            workflow.do_engine_steps()
            state = serializer.serialize_json(workflow)
            timings.append(time.perf_counter() - started)
    return timings


def zhifa(runtime, agencies, process_id: str, steps: list[tuple[str, dict]], start: dict, cases: int) -> list[float]:
    timings = []
    for _ in range(cases):
        view = runtime.start_case(process_id, agency_id=agencies.county.id, actor=actor(Role.county_officer, agencies.county),
                                  kind="case", data=start)
        for name, form in steps:
            [task] = [t for t in view.tasks if t.name == name]
            started = time.perf_counter()
            view = runtime.complete_task(task.id, form, actor(Role(task.role), agencies.county))
            timings.append(time.perf_counter() - started)
    return timings


def measure(url: str, name: str, cases: int, out: Callable[[str], None]) -> dict:
    bpmn_dir, steps, start = MODELS[name]
    runtime = build_runtime(bpmn_dir=bpmn_dir, engine=get_engine(url))
    agencies = seed_agencies(runtime.engine)
    zhifa(runtime, agencies, name, steps, start, 5)  # warm up
    bare_ms = statistics.median(bare(bpmn_dir, name, steps, start, cases)) * 1000
    zhifa_ms = statistics.median(zhifa(runtime, agencies, name, steps, start, cases)) * 1000
    out(f"{name} ({len(steps)} steps x {cases} cases, median per task): bare SpiffWorkflow {bare_ms:.2f} ms, "
        f"zhifa {zhifa_ms:.2f} ms, ratio {zhifa_ms / bare_ms:.2f}x (goal <= {GOALS[name]}x)")
    runtime.engine.dispose()
    return {"model": name, "steps": len(steps), "cases": cases, "bare_ms": round(bare_ms, 2), "zhifa_ms": round(zhifa_ms, 2),
            "ratio": round(zhifa_ms / bare_ms, 2), "goal_ratio": GOALS[name]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--db-url", help="a database URL (default: a fresh SQLite file per model)")
    parser.add_argument("--postgres", action="store_true", help="also on a throwaway PostgreSQL (as the tests start it)")
    parser.add_argument("--json", help="where to write the figures (default bench/out/engine.json)")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in MODELS:
            url = args.db_url or f"sqlite:///{tmp}/{name}.db"
            runs.append({"database": url.split(":")[0].split("+")[0], **measure(url, name, args.cases, print)})
        if args.postgres:
            with postgres() as server:
                for name in MODELS:
                    runs.append({"database": "postgresql", **measure(new_database(server), name, args.cases, print)})
    write_result("engine", {"runs": runs}, args.json)


if __name__ == "__main__":
    main()
