"""Crash consistency: officers drive whole inspections while the server is killed (SIGKILL) at seeded moments.

Every write carries an `Idempotency-Key`; a request cut off by a kill is sent again, with the same key, once
the server is back. When the cases are done the campaign counts, from the database itself, what a kill
could have broken: a case started twice or not at all, a step done twice or lost, an upload stored twice,
a record chain or a derived table out of line (`zhifa record verify`), a document or evidence row whose
object is missing or altered (`zhifa storage verify`, after the worker has rendered what was issued).

On PostgreSQL + S3 the campaign also takes the services down once each while the officers work: the S3
server stopped for a few seconds, PostgreSQL restarted (every connection dropped). Those answer 503
(retried like a cut-off request); any other 5xx is counted as a server error. The separate worker
must come through both by itself.

Used by bench/reliability.py (full campaign, figures in RELIABILITY.md) and by
tests/test_crash_consistency.py (a short run in CI).
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa
from bench_http import NOW, PARTY, forms
from common import PASSWORD, ROOT, Server, Worker, new_database, postgres_cluster, zhifa_env
from common import s3_server as s3_server_of

PAIR = ("quanjiang1", "quanjiang2")
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # a small JPEG-headed file


@dataclass
class Tally:
    requests: int = 0
    retried: int = 0
    kills: int = 0
    server_errors: int = 0  # 5xx answers other than 503 (a retry follows each)
    unavailable: int = 0  # 503 answers while a service was down
    failed_starts: int = 0  # server restarts that failed (database down) and were tried again
    outages: list[str] = field(default_factory=list)
    cases_started: list[str] = field(default_factory=list)  # titles, one per logical case
    completions: int = 0
    uploads: int = 0


class Chaos:
    """Kills the server at seeded random moments (every `pause` seconds, unless None) or when told to
    (`kill_now`, for a write cut off on purpose) and starts it again on the same port."""

    def __init__(self, start_server, rng: random.Random, pause: tuple[float, float] | None, tally: Tally) -> None:
        self.start_server, self.rng, self.pause, self.tally = start_server, rng, pause, tally
        self.server: Server = start_server(None)
        self.stopping = threading.Event()
        self.up = threading.Event()
        self.up.set()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        if self.pause is None:
            return
        while not self.stopping.wait(self.rng.uniform(*self.pause)):
            self.kill_now()

    def kill_now(self) -> None:
        self.up.clear()
        self.server.process.send_signal(signal.SIGKILL)
        self.server.process.wait()
        self.tally.kills += 1
        self.server = self._restart(self.server.port)
        self.up.set()

    def _restart(self, port: int) -> Server:
        """Start again until it comes up, as a service manager would (it cannot while the database is down)."""
        deadline = time.monotonic() + 120
        while True:
            try:
                return self.start_server(port)
            except RuntimeError:
                self.tally.failed_starts += 1
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)

    def __enter__(self) -> Chaos:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stopping.set()
        self.thread.join()


class Officer:
    """Drives whole inspections; every write is retried with its key until it is answered.

    The writes numbered in `cut` are cut off on purpose: sent with a read timeout of 1 ms (no write is
    answered that fast), then the server is killed while it may be half-way through, and the write is sent
    again with its key. Unlike the timed kills, these happen on every run, however fast the machine."""

    def __init__(self, url: str, chaos: Chaos, tally: Tally, cut: frozenset[int] = frozenset()) -> None:
        self.client = httpx.Client(base_url=f"{url}/api/v1", timeout=30)
        self.chaos, self.tally, self.cut = chaos, tally, cut
        self.writes = 0
        self.outages: Outages | NoOutages = NoOutages()
        self.headers: dict[str, str] = {}
        self.officers: list[dict] = []

    def send(self, method: str, path: str, *, key: str | None = None, **kwargs) -> dict:
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        if key:
            self.outages.before_write()
            self.writes += 1
        cut_off = key is not None and self.writes in self.cut
        deadline = time.monotonic() + 180
        while True:
            self.outages.tick()
            while not self.chaos.up.wait(0.5):  # the server is being restarted
                self.outages.tick()
            self.tally.requests += 1
            timeout = httpx.Timeout(30, read=0.001) if cut_off else httpx.Timeout(30)
            try:
                response = self.client.request(method, path, headers=headers, timeout=timeout, **kwargs)
            except httpx.TransportError:
                response = None
                if cut_off:
                    cut_off = False
                    self.chaos.kill_now()
            if response is not None and response.status_code < 500:
                if response.status_code >= 400:
                    raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
                return response.json()
            if response is not None and response.status_code == 503:
                self.tally.unavailable += 1
            elif response is not None:
                self.tally.server_errors += 1
            if time.monotonic() > deadline:
                raise RuntimeError(f"{method} {path}: no answer after retries")
            self.tally.retried += 1
            time.sleep(0.2)

    def login(self) -> None:
        for username in reversed(PAIR):
            token = self.send("POST", "/auth/login", json={"username": username, "password": PASSWORD})["access_token"]
            self.headers = {"Authorization": f"Bearer {token}"}
            me = self.send("GET", "/me")
            self.officers.insert(0, {"user_id": me["id"], "name": me["display_name"],
                                     "certificate_no": me["certificate_number"]})

    def one_case(self, title: str) -> None:
        self.tally.cases_started.append(title)
        step = self.send("POST", "/cases", key=f"start-{title}",
                         json={"process": "inspection", "party": PARTY, "title": title})
        case_id = step["case"]["id"]
        self.send("POST", f"/cases/{case_id}/evidence", key=f"photo-{title}", data={
            "type": "documentary", "collected_by": [o["name"] for o in self.officers],
            "collected_at": "2026-03-10T09:30:00+08:00", "place": "锯木车间", "description": "现场照片"},
            files={"file": ("现场照片.jpg", PHOTO, "image/jpeg")})
        self.tally.uploads += 1
        for index, (name, data) in enumerate(forms(self.officers).items()):
            if name == "整改复查":
                page = self.send("GET", f"/cases/{case_id}")
                data["order_number"] = next(d["number"] for d in page["documents"] if d["doc_id"] == "rectification_order")
            [task] = [t for t in step["tasks"] if t["name"] == name]
            step = self.send("POST", f"/tasks/{task['id']}/complete", key=f"{title}-step{index}", json={"data": data})
            self.tally.completions += 1
        if not step["case"]["completed"]:
            raise RuntimeError(f"case {case_id} did not end: {step['case']}")


class Outages:
    """Takes S3 down, later PostgreSQL, each from just before a seeded write until a seeded time has passed.

    Everything runs on the officer's (main) thread: the test services die with the thread that started
    them, so the outage ends when the officer, retrying, next looks at the clock (`tick`).
    """

    def __init__(self, cluster, s3_server, rng: random.Random, tally: Tally, writes: int) -> None:
        self.rng, self.tally = rng, tally
        first, second = sorted(rng.sample(range(1, max(3, writes - 1)), 2))
        self.plan = [(first, "S3 停止", s3_server.stop, s3_server.start),
                     (second, "PostgreSQL 停止后重启", cluster.pause, cluster.resume)]
        self.writes = 0
        self.ongoing: tuple[float, Callable[[], None]] | None = None

    def before_write(self) -> None:
        """Start the next planned outage at its write, or at the first write after the one before it has ended."""
        self.tick()
        self.writes += 1
        if self.plan and self.writes >= self.plan[0][0] and self.ongoing is None:
            _, name, stop, start = self.plan.pop(0)
            stop()
            self.tally.outages.append(name)
            self.ongoing = (time.monotonic() + self.rng.uniform(2.0, 4.0), start)

    def tick(self) -> None:
        if self.ongoing is not None and time.monotonic() >= self.ongoing[0]:
            self.ongoing[1]()
            self.ongoing = None

    def __enter__(self) -> Outages:
        return self

    def __exit__(self, *_exc) -> None:
        """End the ongoing outage; one the run was too short to reach still happens (after the last write)."""
        if self.ongoing is not None:
            self.ongoing[1]()
            self.ongoing = None
        for _, name, stop, start in self.plan:
            stop()
            self.tally.outages.append(name)
            time.sleep(self.rng.uniform(2.0, 4.0))
            start()
        self.plan = []


class NoOutages:
    def before_write(self) -> None:
        pass

    def tick(self) -> None:
        pass

    def __enter__(self) -> NoOutages:
        return self

    def __exit__(self, *_exc) -> None:
        pass


def _zhifa(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def _findings(database_url: str, titles: list[str], env: dict[str, str]) -> dict:
    """What the kills broke, counted from the database and the two verify commands."""
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        started = Counter(dict(conn.execute(sa.text(
            "SELECT title, count(*) FROM \"case\" WHERE title LIKE 'crash-%' GROUP BY title")).all()))
        completions = Counter(task for (task,) in conn.execute(sa.text(
            "SELECT e.task_id FROM record_event e JOIN \"case\" c ON c.id = e.case_id "
            "WHERE c.title LIKE 'crash-%' AND e.kind = 'task_completed'")))
        uploads = dict(conn.execute(sa.text(
            "SELECT c.title, count(v.id) FROM \"case\" c LEFT JOIN evidence v ON v.case_id = c.id "
            "WHERE c.title LIKE 'crash-%' GROUP BY c.title")).all())
        per_case = dict(conn.execute(sa.text(
            "SELECT c.title, count(e.id) FROM \"case\" c JOIN record_event e ON e.case_id = c.id "
            "WHERE c.title LIKE 'crash-%' AND e.kind = 'task_completed' GROUP BY c.title")).all())
        ended = dict(conn.execute(sa.text("SELECT title, completed FROM \"case\" WHERE title LIKE 'crash-%'")).all())
    engine.dispose()
    steps = len(forms([]))
    record = _zhifa(env, "record", "verify")
    storage = _zhifa(env, "storage", "verify")
    return {
        "cases_missing": sum(1 for t in titles if started[t] == 0),
        "cases_doubled": sum(n - 1 for n in started.values() if n > 1),
        "steps_doubled": sum(n - 1 for n in completions.values() if n > 1),
        "steps_lost": sum(max(0, steps - per_case.get(t, 0)) for t in titles),
        "cases_not_ended": sum(1 for t in titles if not ended.get(t)),
        "uploads_doubled": sum(max(0, n - 1) for n in uploads.values()),
        "uploads_lost": sum(1 for t in titles if uploads.get(t, 0) == 0),
        "record_verify": record.returncode == 0, "record_verify_output": (record.stderr or record.stdout)[-2000:],
        "storage_verify": storage.returncode == 0, "storage_verify_output": (storage.stderr or storage.stdout)[-2000:],
    }


def _wait_for_renditions(database_url: str, seconds: float) -> int:
    """Documents issued but not yet rendered to .docx once the worker has had `seconds` to catch up."""
    engine = sa.create_engine(database_url)
    deadline = time.monotonic() + seconds
    try:
        while True:
            with engine.connect() as conn:
                pending = conn.execute(sa.text(
                    "SELECT count(*) FROM document_issued d JOIN \"case\" c ON c.id = d.case_id "
                    "WHERE c.title LIKE 'crash-%' AND d.docx_object_key IS NULL AND d.voided_at IS NULL")).scalar()
            if not pending or time.monotonic() > deadline:
                return pending
            time.sleep(0.5)
    finally:
        engine.dispose()


def run(setup: str, cases: int, seed: int, tmp: Path, pause: tuple[float, float] | None = (0.5, 2.5),
        outages: bool = True, cut_writes: int = 0) -> dict:
    """One campaign: `cases` whole inspections (5 writes each) with the server killed every `pause` seconds
    (None: never on a timer) and during `cut_writes` seeded writes (and, on PostgreSQL + S3, both services
    taken down once)."""
    rng = random.Random(seed)
    tally = Tally()
    with ExitStack() as stack:
        # a killed worker's leased item waits out its lease (worker_claim_seconds, 15 min by default) before
        # another pass takes it; the campaign shortens the lease so recovery fits in its run
        settings = {"ZHIFA_NOW": NOW, "ZHIFA_PDF_RENDITION": "false", "ZHIFA_WORKER_CLAIM_SECONDS": "5"}
        data_dir = tmp / f"crash-{setup}-{uuid.uuid4().hex[:6]}"
        if setup == "postgres":
            cluster, database = stack.enter_context(postgres_cluster())
            settings["ZHIFA_DATABASE_URL"] = new_database(database)
            s3_server, s3_settings = stack.enter_context(s3_server_of())
            settings.update(s3_settings)
        env = zhifa_env(data_dir, **settings)
        database_url = settings.get("ZHIFA_DATABASE_URL") or f"sqlite:///{data_dir / 'zhifa.db'}"
        embedded = setup == "sqlite"

        def start_server(port: int | None) -> Server:
            return Server(env, demo=True, worker=embedded, log=tmp / f"crash-{setup}.log", port=port)

        chaos = stack.enter_context(Chaos(start_server, rng, pause, tally))
        worker = None if embedded else Worker(env, tmp / f"crash-{setup}-worker.log")
        if worker is not None:
            stack.callback(worker.stop)
        writes = cases * (2 + len(forms([])))
        cut = frozenset(rng.sample(range(1, writes + 1), min(cut_writes, writes)))
        officer = Officer(chaos.server.url, chaos, tally, cut)
        officer.login()
        started = time.monotonic()
        with Outages(cluster, s3_server, rng, tally, writes) if outages and not embedded else NoOutages() as down:
            officer.outages = down
            for number in range(cases):
                officer.one_case(f"crash-{seed}-{number:04d}")
        elapsed = time.monotonic() - started
        chaos.__exit__(None, None, None)
        pending = _wait_for_renditions(database_url, 120)
        chaos.server.stop()
        findings = _findings(database_url, tally.cases_started, env)
        worker_alive = worker is None or worker.process.poll() is None
    return {"setup": setup, "seed": seed, "seconds": round(elapsed, 1), "cases": cases, "kills": tally.kills,
            "requests": tally.requests, "retried": tally.retried, "server_errors": tally.server_errors,
            "unavailable": tally.unavailable, "outages": tally.outages, "failed_starts": tally.failed_starts, "worker_alive": worker_alive,
            "completions": tally.completions, "uploads": tally.uploads, "renditions_pending": pending, **findings}
