"""Engine cost per completed task against bare SpiffWorkflow on the same model.

Bare: deserialize the workflow (SpiffWorkflow's own serializer, spec embedded),
complete the ready task, run engine steps, serialize. zhifa: `Runtime.complete_task`,
i.e. the same plus form validation, the inbox rows, the record event and one
database transaction (SQLite by default; pass a PostgreSQL URL to compare).

Prints figures; never fails on time. Goal: zhifa ≤ 1.5x bare.

    python bench/bench_engine.py [--cases 200] [--db-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.factories import actor, seed_agencies  # noqa: E402
from zhifa.bootstrap import build_runtime  # noqa: E402
from zhifa.engine import scripting  # noqa: E402
from zhifa.engine.db import get_engine  # noqa: E402
from zhifa.vocab import Role  # noqa: E402

MODELS = ROOT / "tests" / "engine" / "models"
STEPS = [{"summary": "未制定安全培训计划", "reply_by": "2026-12-10"}, {"approved": True, "opinion": "同意"}]


def bare(cases: int) -> list[float]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(MODELS / "approval.bpmn"))
    spec, subprocess_specs = parser.get_spec("approval"), parser.get_subprocess_specs("approval")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    timings = []
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=scripting.script_engine())
        workflow.do_engine_steps()
        state = serializer.serialize_json(workflow)
        for data in STEPS:
            started = time.perf_counter()
            workflow = serializer.deserialize_json(state)
            workflow.script_engine = scripting.script_engine()
            [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
            task.set_data(**data)
            task.run()
            workflow.refresh_timers()
            workflow.do_engine_steps()
            state = serializer.serialize_json(workflow)
            timings.append(time.perf_counter() - started)
    return timings


def engine(runtime, agencies, cases: int) -> list[float]:
    officer = actor(Role.county_officer, agencies.county)
    timings = []
    for _ in range(cases):
        view = runtime.start_case("approval", agency_id=agencies.county.id, actor=officer, kind="case")
        for data in STEPS:
            started = time.perf_counter()
            view = runtime.complete_task(view.tasks[0].id, data, officer) if view.tasks else view
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--db-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{tmp}/bench.db"
        runtime = build_runtime(bpmn_dir=MODELS, engine=get_engine(url))
        agencies = seed_agencies(runtime.engine)
        engine(runtime, agencies, 10)  # warm up
        bare_ms = statistics.median(bare(args.cases)) * 1000
        zhifa_ms = statistics.median(engine(runtime, agencies, args.cases)) * 1000
    print(f"database: {url.split(':')[0]}")
    print(f"bare SpiffWorkflow (deserialize + run + serialize): {bare_ms:.2f} ms per task (median of {2 * args.cases})")
    print(f"zhifa Runtime.complete_task (one transaction):      {zhifa_ms:.2f} ms per task")
    print(f"ratio zhifa / bare: {zhifa_ms / bare_ms:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
