"""Scale of the data: inbox, case list, case page and statistics latency at 10,000 ... 100,000 cases.

The data are generated in bulk in PostgreSQL (bench/scale_data.py: copies of real template cases,
20 agencies, ~10 record events per case), then each page is requested through the real application
(FastAPI app in this process, real login, authorization, serialization; no network) by the demo
users a county has: a township officer (inbox, own cases), a county officer (the whole county's
cases), the head. Every SQL statement a page runs is captured and EXPLAINed; the report names any
sequential scan of a large table (10,000 rows or more). "Statistics" has no page yet: it is the query a statistics page
would run (cases per agency and status of one year). Prints figures; never fails on time.

    python bench/bench_scale.py [--cases 10000,100000] [--events-per-case 10] [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from collections.abc import Callable

import sqlalchemy as sa
from common import PASSWORD, new_database, percentiles, postgres, write_result
from fastapi.testclient import TestClient
from scale_data import Generator, add_townships, make_templates

from api.app import create_app
from api.bootstrap import build_runtime
from engine.db import get_engine
from engine.settings import get_settings

LARGE_TABLES = {"case", "task", "record_event", "document_issued", "case_member", "evidence"}
LARGE_ROWS = 10_000  # below this, reading the whole table is the planner's right choice, not a finding
STATISTICS = sa.text("""SELECT agency_id, status, count(*) FROM "case"
                        WHERE started_at >= :start AND started_at < :end GROUP BY agency_id, status""")


class Captured:
    """The SQL statements an engine runs while `on` is set."""

    def __init__(self, engine: sa.Engine):
        self.on, self.statements = False, []
        sa.event.listen(engine, "before_cursor_execute", self._capture)

    def _capture(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.on and statement.lstrip().upper().startswith("SELECT"):
            self.statements.append((statement, parameters))


def explain(engine: sa.Engine, statements: list[tuple[str, object]]) -> list[dict]:
    """Each statement's plan (EXPLAIN ANALYZE), its execution time, and the large tables it reads by sequential scan."""
    plans = []
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:names)"),
                                 {"names": sorted(LARGE_TABLES)}).all())
        large = {table for table in LARGE_TABLES if rows.get(table, 0) >= LARGE_ROWS}
        for statement, parameters in statements:
            raw = conn.connection.dbapi_connection.cursor()
            raw.execute("EXPLAIN ANALYZE " + statement, parameters)
            plan = "\n".join(row[0] for row in raw.fetchall())
            seq = sorted({t for t in re.findall(r'Seq Scan on "?(\w+)"?', plan) if t in large})
            took = re.search(r"Execution Time: ([\d.]+) ms", plan)
            plans.append({"sql": " ".join(statement.split())[:300], "seq_scans": seq,
                          "execution_ms": float(took.group(1)) if took else None, "plan": plan})
    return plans


def measure_pages(engine: sa.Engine, repeat: int) -> dict:
    runtime = build_runtime(engine=engine)
    captured = Captured(engine)
    rng = random.Random(5)
    with TestClient(create_app(runtime)) as client:
        def headers(username: str) -> dict:
            token = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD}).json()["access_token"]
            return {"Authorization": f"Bearer {token}"}

        users = {name: headers(name) for name in ("quanjiang1", "county1", "head")}
        with engine.connect() as conn:
            township = conn.execute(sa.text("SELECT agency_id FROM app_user WHERE username = 'quanjiang1'")).scalar()
            own = [r[0] for r in conn.execute(sa.text('SELECT id FROM "case" WHERE agency_id = :a ORDER BY random() LIMIT 200'),
                                              {"a": township})]
            county_cases = [r[0] for r in conn.execute(sa.text("""SELECT id FROM "case" WHERE kind = 'case'
                                                                  ORDER BY random() LIMIT 200"""))]
            party = conn.execute(sa.text('SELECT party_name FROM "case" ORDER BY random() LIMIT 1')).scalar()
        pages: dict[str, Callable[[], object]] = {
            "inbox (township officer)": lambda: client.get("/api/v1/tasks", headers=users["quanjiang1"]),
            "inbox (county officer)": lambda: client.get("/api/v1/tasks", headers=users["county1"]),
            "case list (township officer)": lambda: client.get("/api/v1/cases", headers=users["quanjiang1"]),
            "case list (county officer)": lambda: client.get("/api/v1/cases", headers=users["county1"]),
            "case list, filtered (status, party, dates)": lambda: client.get(
                "/api/v1/cases", headers=users["county1"],
                params={"status": "archived", "party": party[3:9], "started_from": "2024-01-01", "started_to": "2025-12-31"}),
            "case list, overdue": lambda: client.get("/api/v1/cases", headers=users["county1"], params={"overdue": "true"}),
            "case page (township case)": lambda: client.get(f"/api/v1/cases/{rng.choice(own)}", headers=users["quanjiang1"]),
            "case page (county case)": lambda: client.get(f"/api/v1/cases/{rng.choice(county_cases)}", headers=users["head"]),
            "statistics (cases per agency and status, one year)": lambda: _statistics(engine),
        }
        results = {}
        for name, call in pages.items():
            response = call()
            if hasattr(response, "status_code") and response.status_code != 200:
                raise RuntimeError(f"{name}: {response.status_code} {response.text[:300]}")
            captured.statements.clear()
            captured.on = True
            call()
            captured.on = False
            plans = explain(engine, list(captured.statements)) if "statistics" not in name else explain(
                engine, [(str(STATISTICS.compile(engine)).replace(":start", "%(start)s").replace(":end", "%(end)s"),
                          {"start": "2025-01-01", "end": "2026-01-01"})])
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                call()
                timings.append((time.perf_counter() - started) * 1000)
            rows = _row_count(response)
            results[name] = {**percentiles(timings), "rows": rows, "statements": len(plans),
                             "sql_ms": round(sum(p["execution_ms"] or 0 for p in plans), 2),
                             "seq_scans": sorted({t for p in plans for t in p["seq_scans"]}), "plans": plans}
    return results


def _statistics(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(STATISTICS, {"start": "2025-01-01", "end": "2026-01-01"}).all()


def _row_count(response) -> int | None:
    if isinstance(response, list):
        return len(response)
    body = response.json()
    if isinstance(body, list):
        return len(body)
    return body.get("total", len(body.get("timeline", [])))


def table_sizes(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        rows = conn.execute(sa.text("""SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables
                                       WHERE relname IN ('case', 'task', 'record_event', 'document_issued', 'case_member', 'evidence')""")).all()
    return {name: {"rows": count, "mb": round(size / 2**20, 1)} for name, count, size in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", default="10000,100000", help="sizes to measure at, growing (comma-separated)")
    parser.add_argument("--events-per-case", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=40, help="requests per page and size")
    parser.add_argument("--json", help="where to write the figures (default bench/out/scale.json)")
    args = parser.parse_args()
    sizes = []
    with postgres() as server, tempfile.TemporaryDirectory(prefix="zhifa-bench-scale-") as tmp:
        url = new_database(server)
        os.environ.update({"ZHIFA_DATABASE_URL": url, "ZHIFA_DATA_DIR": tmp, "ZHIFA_PDF_RENDITION": "false",
                           "ZHIFA_SECRET_KEY": "bench-" + "0" * 40})
        os.environ.pop("ZHIFA_S3_ENDPOINT", None)
        get_settings.cache_clear()
        templates = make_templates(url)
        add_townships(url)
        generator = Generator(url, templates)
        engine = get_engine(url)
        for total in (int(c) for c in args.cases.split(",")):
            started = time.perf_counter()
            generated = generator.grow(total, args.events_per_case)
            seconds = round(time.perf_counter() - started, 1)
            print(f"{total} cases: generated in {seconds} s {generated}", flush=True)
            pages = measure_pages(engine, args.repeat)
            for name, figures in pages.items():
                print(f"  {name}: p50 {figures['p50']} ms, p95 {figures['p95']} ms, SQL {figures['sql_ms']} ms, rows {figures['rows']}, "
                      f"seq scans {figures['seq_scans'] or 'none'}", flush=True)
            sizes.append({"cases": total, "generated": generated, "generation_seconds": seconds,
                          "tables": table_sizes(engine), "pages": pages})
            # after each size: a run stopped during the next one keeps these figures
            write_result("scale", {"events_per_case": args.events_per_case, "agencies": 20, "sizes": sizes}, args.json)
        engine.dispose()


if __name__ == "__main__":
    main()
