"""Engine cost per completed task against bare SpiffWorkflow on the same model, with the same persistence.

Bare: one transaction per task on the same database: read the workflow's state (`SELECT … FOR UPDATE`),
restore it, complete the ready task, run engine steps, serialize, `UPDATE` the state, commit. Like zhifa it
keeps the parsed spec in memory and stores the task tree without it (engine.serialization, a thin subclass of
SpiffWorkflow's converter), so both sides do the same workflow and state work. zhifa: `Runtime.complete_task`,
i.e. the same plus form validation, model rules, document numbering and snapshots, the inbox rows, the record
event and the case row. `bare, spec embedded` is the bare loop with SpiffWorkflow's own serializer, which writes
and re-reads the whole spec with every state (shown, not compared: that is a cost zhifa's design avoids).

Per task: the median wall time, the median CPU time (time.process_time, which a busy machine blurs far less)
and the SQL statements (counted by an engine event; BEGIN counts, COMMIT does not).

Two models: `approval`, the two-task test model, and `general_procedure`, the real
process, over the county's first five steps of the demo story (filing to the
end-of-investigation decision). Prints figures; never fails on time. Goals: ≤ 1.0x on the
real procedure, ≤ 1.5x on the two-task model.

    python bench/bench_engine.py [--cases 100] [--db-url URL] [--postgres] [--json PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
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
from engine import serialization  # noqa: E402
from engine.db import WRITES, get_engine  # noqa: E402
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
    case_data = {"source": {"case_number": "（遂泉）应急检〔2026〕1号",
                            "documents": {"inspection_record": "（遂泉）应急检记〔2026〕1号"}}, "documents": {}, "party": PARTY}
    steps = {s.task: s for s in SCRIPT}
    return [(name, step_data(steps[name], case_data, lambda *users: OFFICERS)) for name in names]


GOALS = {"approval": 1.5, "general_procedure": 1.0}
MODELS = {
    "approval": (TEST_MODELS, [("起草", {"summary": "未制定安全培训计划", "reply_by": "2026-12-10"}),
                               ("审批", {"approved": True, "opinion": "同意"})], {}),
    "general_procedure": (get_settings().bpmn_dir, _county_steps(), {"party": PARTY}),
}


class Meter:
    """Per task: wall and CPU seconds, and the SQL statements the engine ran."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.statements = engine, 0
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.counts: list[int] = []
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.statements += 1

    @contextmanager
    def task(self) -> Iterator[None]:
        statements, cpu, wall = self.statements, time.process_time(), time.perf_counter()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)
        self.counts.append(self.statements - statements)

    def close(self) -> dict:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)
        return {"ms": round(statistics.median(self.wall) * 1000, 2), "cpu_ms": round(statistics.median(self.cpu) * 1000, 2),
                "statements": round(statistics.mean(self.counts), 2)}


BARE_STATES = sa.Table("bench_bare_state", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                       sa.Column("state", sa.Text, nullable=False))
_SPIFF = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))


@contextmanager
def _writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One writing transaction, begun as zhifa's are (IMMEDIATE on SQLite)."""
    with engine.connect().execution_options(**{WRITES: True}) as connection, connection.begin():
        yield connection


def bare(engine: sa.Engine, bpmn_dir: Path, process_id: str, steps: list[tuple[str, dict]], start: dict, cases: int,
         embed_spec: bool = False) -> dict:
    parser = SpiffBpmnParser()
    for name, text in read_model_files(bpmn_dir).items():
        if name.endswith(".bpmn"):
            parser.add_bpmn_str(text.encode(), filename=name)
        elif name.endswith(".dmn"):
            parser.add_dmn_str(text.encode(), filename=name)
    spec, subprocess_specs = parser.get_spec(process_id), parser.get_subprocess_specs(process_id)
    if embed_spec:
        dump, load = _SPIFF.serialize_json, _SPIFF.deserialize_json
    else:
        dump, load = serialization.dump, lambda state: serialization.load(state, spec, subprocess_specs, None)
    BARE_STATES.create(engine, checkfirst=True)
    select_state = sa.select(BARE_STATES.c.state).where(BARE_STATES.c.id == sa.bindparam("b_id")).with_for_update()
    update_state = BARE_STATES.update().where(BARE_STATES.c.id == sa.bindparam("b_id")).values(state=sa.bindparam("b_state"))
    data = {**start, **profile_inputs("jiangxi"), "rules_profile": "jiangxi", "case_number": "（遂）应急立〔2026〕1号"}
    meter = Meter(engine)
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=environment.script_engine())
        workflow.data.update(data)
        workflow.task_tree.data.update(data)
        for task in workflow.get_tasks(state=TaskState.READY, manual=False):
            task.data.update(data)
        workflow.do_engine_steps()
        with _writing(engine) as connection:
            state_id = connection.execute(BARE_STATES.insert().returning(BARE_STATES.c.id), {"state": dump(workflow)}).scalar_one()
        for name, form in steps:
            with meter.task(), _writing(engine) as connection:
                workflow = load(connection.execute(select_state, {"b_id": state_id}).scalar_one())
                workflow.script_engine = environment.script_engine()
                [task] = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_name == name]
                task.set_data(**form)
                task.run()
                workflow.refresh_timers()
                workflow.do_engine_steps()
                connection.execute(update_state, {"b_id": state_id, "b_state": dump(workflow)})
    return meter.close()


def zhifa(runtime, agencies, process_id: str, steps: list[tuple[str, dict]], start: dict, cases: int) -> dict:
    meter = Meter(runtime.engine)
    for _ in range(cases):
        view = runtime.start_case(process_id, agency_id=agencies.county.id, actor=actor(Role.county_officer, agencies.county),
                                  kind="case", data=start)
        for name, form in steps:
            [task] = [t for t in view.tasks if t.name == name]
            with meter.task():
                view = runtime.complete_task(task.id, form, actor(Role(task.role), agencies.county))
    return meter.close()


def measure(url: str, name: str, cases: int, out: Callable[[str], None]) -> dict:
    bpmn_dir, steps, start = MODELS[name]
    runtime = build_runtime(bpmn_dir=bpmn_dir, engine=get_engine(url))
    agencies = seed_agencies(runtime.engine)
    zhifa(runtime, agencies, name, steps, start, 5)  # warm up
    bare(runtime.engine, bpmn_dir, name, steps, start, 5)
    plain = bare(runtime.engine, bpmn_dir, name, steps, start, cases)
    embedded = bare(runtime.engine, bpmn_dir, name, steps, start, cases, embed_spec=True)
    ours = zhifa(runtime, agencies, name, steps, start, cases)
    out(f"{name} ({len(steps)} steps x {cases} cases, median per task): bare SpiffWorkflow {plain['ms']:.2f} ms "
        f"(CPU {plain['cpu_ms']:.2f} ms, {plain['statements']:.1f} statements), zhifa {ours['ms']:.2f} ms "
        f"(CPU {ours['cpu_ms']:.2f} ms, {ours['statements']:.1f} statements), ratio {ours['ms'] / plain['ms']:.2f}x, "
        f"CPU ratio {ours['cpu_ms'] / plain['cpu_ms']:.2f}x (goal <= {GOALS[name]}x); "
        f"bare with the spec embedded in the state {embedded['ms']:.2f} ms (CPU {embedded['cpu_ms']:.2f} ms)")
    runtime.engine.dispose()
    return {"model": name, "steps": len(steps), "cases": cases, "bare_ms": plain["ms"], "zhifa_ms": ours["ms"],
            "ratio": round(ours["ms"] / plain["ms"], 2), "goal_ratio": GOALS[name],
            "bare_cpu_ms": plain["cpu_ms"], "zhifa_cpu_ms": ours["cpu_ms"], "cpu_ratio": round(ours["cpu_ms"] / plain["cpu_ms"], 2),
            "bare_statements": plain["statements"], "zhifa_statements": ours["statements"],
            "bare_spec_embedded_ms": embedded["ms"], "bare_spec_embedded_cpu_ms": embedded["cpu_ms"]}


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
