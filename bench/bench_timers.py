"""Timer precision: N statutory timers due within one minute, fired by one and by two `zhifa worker` processes.

Real inspections are driven (in this process, on PostgreSQL) to the rectification order, which arms
the rectification-deadline timer (整改期限届满) of each case. Once the workers have logged that they
are up, their due instants are moved into the coming minute, spread evenly: the timer's stored value
in the workflow state and the indexed `case.next_due` are rewritten together, as the engine itself
would have written them. The workers run on the real clock. Reported: delay from due instant to the
`timer_fired` record event (p50, p95, p99, max), the same to the commit of the event's transaction
(when the fire is visible; the server keeps commit instants), and how many timers fired twice (must
be none). Prints figures; never fails on time.

    python bench/bench_timers.py [--timers 1000] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from bench_http import PAIRS, PARTY, forms
from common import Worker, new_database, percentiles, postgres_cluster, write_result, zhifa_env
from sqlmodel import Session, select

from api.bootstrap import build_runtime
from api.identity.models import User
from api.identity.seed import seed_demo
from engine import clock
from engine.db import get_engine, transaction
from engine.models import Actor, Case, RecordEvent, WorkflowState
from engine.vocab import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
ARMED_AT = datetime(2026, 3, 12, 9, 0, tzinfo=SHANGHAI)
LEAD_SECONDS = 10  # the first timer falls due this long after arming, which waits until the workers are up
SPREAD_SECONDS = 60
ARMING_PROCESSES = 2


def arm_cases(url: str, count: int) -> list[int]:
    """Drive `count` inspections to the rectification order; returns their ids."""
    runtime = build_runtime(engine=get_engine(url))
    with Session(runtime.engine) as session:
        users = {u.username: u for u in session.exec(select(User))}
    clock.set_clock(lambda: ARMED_AT)
    ids = []
    try:
        for index in range(count):
            first, second = (users[name] for name in PAIRS[index % len(PAIRS)])
            actor = Actor(user_id=first.id, name=first.display_name, role=Role.township_officer, agency_id=first.agency_id)
            officers = [{"user_id": u.id, "name": u.display_name, "certificate_no": u.certificate_number} for u in (first, second)]
            view = runtime.start_case("inspection", agency_id=first.agency_id, actor=actor, data={"party": PARTY},
                                      party_name=PARTY["name"], title="日常安全生产检查")
            steps = forms(officers)
            for name in ("现场检查", "责令限期整改"):
                [task] = [t for t in view.tasks if t.name == name]
                view = runtime.complete_task(task.id, steps[name], actor)
            ids.append(view.case.id)
    finally:
        clock.set_clock(None)
        runtime.engine.dispose()
    return ids


def _move_timer(node, old: str, new: str) -> int:
    """Rewrite every stored timer value `old` to `new` in a serialized workflow; returns how many."""
    moved = 0
    if isinstance(node, dict):
        internal = node.get("internal_data")
        if isinstance(internal, dict) and internal.get("event_value") == old:
            internal["event_value"] = new
            moved += 1
        for value in node.values():
            moved += _move_timer(value, old, new)
    elif isinstance(node, list):
        for value in node:
            moved += _move_timer(value, old, new)
    return moved


def set_due(url: str, case_ids: list[int], first_due: datetime) -> dict[int, datetime]:
    """Move each case's timer to its instant in the minute after `first_due`; returns the instants."""
    engine = get_engine(url)
    due = {case_id: first_due + timedelta(seconds=SPREAD_SECONDS * i / len(case_ids)) for i, case_id in enumerate(case_ids)}
    with transaction(engine) as session:
        for case_id, at in due.items():
            case = session.get(Case, case_id)
            row = session.get(WorkflowState, case_id)
            old = case.next_due.astimezone(SHANGHAI).isoformat()
            state = json.loads(row.state)
            if _move_timer(state, old, at.astimezone(SHANGHAI).isoformat()) != 1:
                raise RuntimeError(f"case {case_id}: timer value {old} not found once in its state")
            row.state = json.dumps(state)
            case.next_due = at
            session.add_all([case, row])
    engine.dispose()
    return due


@contextmanager
def database_with_commit_times() -> Iterator[str]:
    """A new database on a throwaway server that keeps each transaction's commit instant (track_commit_timestamp)."""
    with postgres_cluster() as (cluster, server):
        url = new_database(server)
        server.admin.execute("ALTER SYSTEM SET track_commit_timestamp = on")
        cluster.pause()
        cluster.resume()  # the setting takes a restart
        yield url


def fired(url: str, case_ids: list[int]) -> list[tuple[int, datetime, datetime]]:
    """(case, the fire's instant as recorded, the instant its transaction committed) of every timer_fired event."""
    engine = get_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(RecordEvent.case_id, RecordEvent.at, sa.func.pg_xact_commit_timestamp(sa.column("xmin")))
                            .where(RecordEvent.kind == "timer_fired", RecordEvent.case_id.in_(case_ids))).all()
    engine.dispose()
    return [(case_id, at if at.tzinfo else at.replace(tzinfo=timezone.utc), committed) for case_id, at, committed in rows]


def measure(url: str, case_ids: list[int], workers: int, data_dir: Path) -> dict:
    env = zhifa_env(data_dir, ZHIFA_DATABASE_URL=url, ZHIFA_PDF_RENDITION="false")
    processes = [Worker(env, data_dir / f"worker-{workers}-{i}.log") for i in range(workers)]
    try:
        for process in processes:
            process.wait_ready()
        due = set_due(url, case_ids, datetime.now(timezone.utc) + timedelta(seconds=LEAD_SECONDS))
        deadline = time.monotonic() + LEAD_SECONDS + SPREAD_SECONDS + 120
        events = []
        while time.monotonic() < deadline:
            time.sleep(2)
            events = fired(url, case_ids)
            if len({event[0] for event in events}) == len(case_ids):
                break
        time.sleep(2)  # a twice-fired timer would show up now
        events = fired(url, case_ids)
    finally:
        for process in processes:
            process.stop()
    delays = [(at - due[case_id]).total_seconds() * 1000 for case_id, at, _ in events]
    visible = [(committed - due[case_id]).total_seconds() * 1000 for case_id, _, committed in events]
    fired_cases = {event[0] for event in events}
    return {"workers": workers, "timers": len(case_ids), "fired": len(fired_cases), "fired_twice": len(events) - len(fired_cases),
            "delay_ms": {**percentiles(delays), "max": round(max(delays), 1) if delays else None},
            "committed_delay_ms": {**percentiles(visible), "max": round(max(visible), 1) if visible else None}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timers", type=int, default=1000)
    parser.add_argument("--workers", default="1,2", help="worker process counts, one run each")
    parser.add_argument("--json", help="where to write the figures (default bench/out/timers.json)")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]
    runs = []
    with database_with_commit_times() as url, tempfile.TemporaryDirectory(prefix="zhifa-bench-timers-") as tmp:
        engine = get_engine(url)
        build_runtime(engine=engine)
        seed_demo(engine)
        engine.dispose()
        started = time.perf_counter()
        total = args.timers * len(counts)
        with ProcessPoolExecutor(ARMING_PROCESSES, mp_context=multiprocessing.get_context("spawn")) as pool:
            shares = [total // ARMING_PROCESSES + (i < total % ARMING_PROCESSES) for i in range(ARMING_PROCESSES)]
            ids = [case_id for part in pool.map(arm_cases, [url] * ARMING_PROCESSES, shares) for case_id in part]
        print(f"armed {len(ids)} timers in {time.perf_counter() - started:.0f} s", flush=True)
        with Session(get_engine(url)) as session:
            assert session.exec(select(sa.func.count()).select_from(Case).where(Case.next_due.is_not(None))).one() == len(ids)
        # armed for 2026-03-20, long past on the real clock: out of the way until each run's minute
        set_due(url, ids, datetime.now(timezone.utc) + timedelta(days=1))
        for index, workers in enumerate(counts):
            batch = ids[index * args.timers:(index + 1) * args.timers]
            runs.append(measure(url, batch, workers, Path(tmp)))
            print(runs[-1], flush=True)
            write_result("timers", {"spread_seconds": SPREAD_SECONDS, "runs": runs}, args.json)


if __name__ == "__main__":
    main()
