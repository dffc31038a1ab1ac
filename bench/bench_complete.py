"""One task completion in process: its CPU and SQL statements, without a server, network or other load between.

The HTTP benchmark's officer (bench_http.Officer) drives the same whole inspections through the API on
SQLite, here over ASGI in this process with the sync endpoints run inline (not in the thread pool), so that
CPU time (time.process_time, which a busy machine blurs far less than wall time) and a cProfile see exactly
the requests. Reports per `POST /tasks/{id}/complete` the CPU ms (p50, mean) and the SQL statements (mean,
and each step's count), and both for every request of the cases over the completions. `--profile N` prints
cProfile's top N functions over the completions (or over `--profile-endpoint`'s requests) and writes
bench/out/complete.prof. No worker runs, so no document is rendered: the figures are the requests' own.
Prints figures; never fails on time.

    python bench/bench_complete.py [--cases 20] [--profile 25] [--statements]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx
from bench_http import NOW, PAIRS, Officer, forms
from common import OUT_DIR, write_result, zhifa_env

COMPLETE = "POST /tasks/{id}/complete"
STEPS = list(forms([]))  # the four steps of each inspection, completed in this order


async def _inline(func, *args, **kwargs):
    return func(*args, **kwargs)


class Meter:
    """Counts the SQL statements the engine runs, and by text while `recording`."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        self.statements = 0
        self.texts: Counter[str] = Counter()
        self.recording = False
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        self.statements += 1
        if self.recording:
            self.texts[" ".join(statement.split())[:160]] += 1


class MeasuredOfficer(Officer):
    """An officer whose requests are measured: CPU ms by endpoint, statements by endpoint (a completion's by step)."""

    def __init__(self, client, pair, meter: Meter, profiler: cProfile.Profile | None):
        super().__init__(client, pair, defaultdict(list))
        self.meter, self.profiler = meter, profiler
        self.profiled = COMPLETE
        self.measuring = False
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)  # by endpoint
        self.statements: dict[str, list[int]] = defaultdict(list)

    async def call(self, endpoint: str, method: str, path: str, **kwargs) -> dict:
        if not self.measuring:
            return await super().call(endpoint, method, path, **kwargs)
        completing = endpoint == COMPLETE
        name = STEPS[len(self.cpu_ms[COMPLETE]) % len(STEPS)] if completing else endpoint
        statements = self.meter.statements
        self.meter.recording = completing
        profiled = self.profiler is not None and endpoint == self.profiled
        if profiled:
            self.profiler.enable()
        started = time.process_time()
        try:
            return await super().call(endpoint, method, path, **kwargs)
        finally:
            self.cpu_ms[endpoint].append((time.process_time() - started) * 1000)
            if profiled:
                self.profiler.disable()
            self.meter.recording = False
            self.statements[name].append(self.meter.statements - statements)


async def drive(app, meter: Meter, cases: int, profiler: cProfile.Profile | None, profiled: str) -> MeasuredOfficer:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=60) as client:
        officer = MeasuredOfficer(client, PAIRS[0], meter, profiler)
        officer.profiled = profiled
        await officer.login()
        photo = os.urandom(20 * 1024)
        await officer.one_case(photo)  # warm up: imports, parsed specs, caches
        officer.measuring = True
        for _ in range(cases):
            await officer.one_case(photo)
    return officer


def measure(cases: int, profile: int, statements: bool, profiled: str = COMPLETE) -> dict:
    import fastapi.dependencies.utils
    import fastapi.routing

    # sync endpoints and dependencies in this thread: process_time and cProfile see all of them
    fastapi.routing.run_in_threadpool = fastapi.dependencies.utils.run_in_threadpool = _inline
    from api.app import create_app
    from api.bootstrap import build_runtime
    from api.demo_cases import seed_demo_cases

    runtime = build_runtime()
    seed_demo_cases(runtime)
    meter = Meter(runtime.engine)
    profiler = cProfile.Profile(time.process_time) if profile else None
    officer = asyncio.run(drive(create_app(runtime), meter, cases, profiler, profiled))
    if profiler:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(OUT_DIR / "complete.prof")  # for pstats or snakeviz
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(profile)
    if statements:
        for text, count in meter.texts.most_common(40):
            print(f"{count / len(officer.cpu_ms[COMPLETE]):6.1f}  {text}")
    completions = officer.cpu_ms[COMPLETE]
    all_cpu = sum(map(sum, officer.cpu_ms.values()))
    all_statements = sum(map(sum, officer.statements.values()))
    steps = {name: max(officer.statements[name]) for name in STEPS}
    return {"completions": len(completions), "cpu_ms_per_completion": {
        "p50": round(statistics.median(completions), 1), "mean": round(statistics.fmean(completions), 1),
        # every request of the cases (start, upload, inbox, case page, completions) over the completions: the
        # HTTP benchmark's server CPU per completion without the worker's renditions
        "all_requests": round(all_cpu / len(completions), 1)},
        "statements_per_completion": {"mean": round(sum(sum(officer.statements[n]) for n in STEPS) / len(completions), 1),
                                      "by_step": steps, "all_requests": round(all_statements / len(completions), 1)},
        "by_endpoint": {endpoint: {"cpu_ms_mean": round(statistics.fmean(values), 1),
                                   "statements": max(officer.statements[endpoint]) if endpoint != COMPLETE else None}
                        for endpoint, values in sorted(officer.cpu_ms.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=20, help="whole inspections measured (four completions each)")
    parser.add_argument("--profile", type=int, default=0, help="print this many of cProfile's top functions")
    parser.add_argument("--profile-endpoint", default=COMPLETE, help="the endpoint profiled, as the figures name it")
    parser.add_argument("--statements", action="store_true", help="print the most frequent SQL statements per completion")
    parser.add_argument("--json", help="where to write the figures (default bench/out/complete.json)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhifa-bench-complete-") as tmp:
        os.environ.update(zhifa_env(Path(tmp), ZHIFA_NOW=NOW, ZHIFA_PDF_RENDITION="false"))
        result = measure(args.cases, args.profile, args.statements, args.profile_endpoint)
    print(f"{result['completions']} completions: CPU {result['cpu_ms_per_completion']} ms, "
          f"statements {result['statements_per_completion']}", flush=True)
    write_result("complete", result, args.json)


if __name__ == "__main__":
    main()
