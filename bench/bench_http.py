"""HTTP throughput and server memory: simulated officers drive whole inspections through `zhifa serve`.

Each simulated officer (an async httpx client) repeats one whole case: start an inspection, upload
a 200 KB site photo, open the inbox, complete the on-site record (two officers), the rectification
order, the early reinspection application, open the case page, and complete the reinspection (rectified:
the inspection ends). The server renders the issued documents (.docx) on its worker; PDF
rendition is off (LibreOffice would take a core of this 2-core machine).

Setups: `sqlite` (embedded: one `zhifa serve --demo` with its worker, local object directory);
`postgres-1` / `postgres-2` (one or two `zhifa serve --no-worker` processes, clients spread over
them, plus one `zhifa worker`, on PostgreSQL + SeaweedFS S3 started as in the tests).

Reports task completions per second and p50/p95/p99 per endpoint, and the servers' RSS during the
run; `--video-mb` then uploads one video of that size and samples RSS while it streams.
Prints figures; never fails on time.

    python bench/bench_http.py [--setups sqlite,postgres-1,postgres-2] [--users 1,4] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

import httpx
from common import (
    OUT_DIR,
    PASSWORD,
    CpuMeter,
    Server,
    Worker,
    new_database,
    percentiles,
    postgres_cluster,
    s3_server,
    write_result,
    zhifa_env,
)

NOW = "2026-03-12T09:00:00+08:00"  # the clock the servers start at (forms below are dated before it)
PAIRS = [("quanjiang1", "quanjiang2"), ("yutian1", "yutian2"), ("zhutian1", "zhutian2"), ("park1", "park2")]
PARTY = {"kind": "unit", "name": "遂川县林峰木业有限公司", "credit_code": "91360827MA35R8QX1K",
         "address": "遂川县泉江镇工业大道18号", "legal_representative": "王林峰", "phone": "0796-6312345"}
PROBLEM = {"description": "作业场所未设置安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条",
           "violation_code": "SPL-099-1-01"}


def forms(officers: list[dict]) -> dict[str, dict]:
    return {
        "现场检查": {
            "party": {k: v for k, v in PARTY.items() if k != "kind"}, "place": "遂川县泉江镇工业大道18号锯木车间",
            "started_at": "2026-03-10T09:00", "ended_at": "2026-03-10T11:00", "officers": officers,
            "site_responsible": "王林峰", "unit_attendees": [{"role": "principal", "name": "王林峰", "post": "总经理"}],
            "checked_items": "安全警示标志、劳动防护用品", "findings": "见问题清单", "problems": [PROBLEM],
            "handling": "责令限期整改", "order_rectification": True, "unit_signature": "signed"},
        "责令限期整改": {
            "officers": officers, "inspection_date": "2026-03-10",
            "rectification_items": [{"problem": "未设置安全警示标志", "provision": "《中华人民共和国安全生产法》第三十五条",
                                     "requirement": "在锯木车间设置明显的安全警示标志", "deadline": "2026-03-20"}]},
        "登记单位提前申请复查": {"applied_on": "2026-03-11", "applicant": "王林峰"},
        "整改复查": {
            "reinspection_date": "2026-03-12", "officers": officers, "opinion": "已按要求整改", "penalty_needed": False,
            "reinspection_results": [{"problem": "未设置安全警示标志", "rectified": True, "result": "已设置"}]},
    }


class Officer:
    """One simulated officer: a login, and whole cases driven one after another."""

    def __init__(self, client: httpx.AsyncClient, pair: tuple[str, str], timings: dict[str, list[float]]):
        self.client, self.pair, self.timings = client, pair, timings
        self.headers: dict[str, str] = {}
        self.officers: list[dict] = []
        self.completions = 0
        self.cases = 0

    async def call(self, endpoint: str, method: str, path: str, **kwargs) -> dict:
        started = time.perf_counter()
        response = await self.client.request(method, f"/api/v1{path}", headers=self.headers, **kwargs)
        self.timings[endpoint].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json()

    async def login(self) -> None:
        for username in reversed(self.pair):
            token = (await self.call("POST /auth/login", "POST", "/auth/login",
                                     json={"username": username, "password": PASSWORD}))["access_token"]
            self.headers = {"Authorization": f"Bearer {token}"}
            me = await self.call("GET /me", "GET", "/me")
            self.officers.insert(0, {"user_id": me["id"], "name": me["display_name"], "certificate_no": me["certificate_number"]})

    async def one_case(self, photo: bytes) -> None:
        step = await self.call("POST /cases", "POST", "/cases", json={"process": "inspection", "party": PARTY, "title": "日常安全生产检查"})
        case_id = step["case"]["id"]
        await self.call("POST /cases/{id}/evidence", "POST", f"/cases/{case_id}/evidence", data={
            "type": "documentary", "collected_by": [o["name"] for o in self.officers], "collected_at": "2026-03-10T09:30:00+08:00",
            "place": "锯木车间", "description": "现场照片"}, files={"file": ("现场照片.jpg", photo, "image/jpeg")})
        await self.call("GET /tasks", "GET", "/tasks")
        for name, data in forms(self.officers).items():
            if name == "整改复查":  # the officer opens the case page for the order's number
                page = await self.call("GET /cases/{id}", "GET", f"/cases/{case_id}")
                data["order_number"] = next(d["number"] for d in page["documents"] if d["doc_id"] == "rectification_order")
            [task] = [t for t in step["tasks"] if t["name"] == name]
            step = await self.call("POST /tasks/{id}/complete", "POST", f"/tasks/{task['id']}/complete", json={"data": data})
            self.completions += 1
        assert step["case"]["completed"], step["case"]
        self.cases += 1


async def drive(urls: list[str], users: int, seconds: float, photo: bytes, on_measure=lambda: None) -> dict:
    timings: dict[str, list[float]] = defaultdict(list)
    limits = httpx.Limits(max_connections=users * 2)
    clients = [httpx.AsyncClient(base_url=url, timeout=60, limits=limits) for url in urls]
    officers = [Officer(clients[i % len(clients)], PAIRS[i % len(PAIRS)], timings) for i in range(users)]
    try:
        await asyncio.gather(*(o.login() for o in officers))
        await asyncio.gather(*(o.one_case(photo) for o in officers))  # warm up
        timings.clear()
        for o in officers:
            o.completions = o.cases = 0
        on_measure()  # after the logins (argon2, slow on purpose) and the warm-up
        started = time.perf_counter()
        deadline = started + seconds

        async def loop(officer: Officer) -> None:
            while time.perf_counter() < deadline:
                await officer.one_case(photo)

        await asyncio.gather(*(loop(o) for o in officers))
        elapsed = time.perf_counter() - started
    finally:
        for client in clients:
            await client.aclose()
    completions = sum(o.completions for o in officers)
    return {"users": users, "seconds": round(elapsed, 1), "cases": sum(o.cases for o in officers), "completions": completions,
            "completions_per_s": round(completions / elapsed, 1),
            "latency_ms": {endpoint: percentiles(values) for endpoint, values in sorted(timings.items())}}


class RssSampler:
    """Samples the servers' RSS every 0.2 s in a thread; `mark()` starts the part that counts as work."""

    def __init__(self, servers: list[Server]):
        self.servers, self.samples, self.work = servers, [], []
        self._working = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss = max(s.rss() for s in self.servers)
            self.samples.append(rss)
            if self._working:
                self.work.append(rss)

    def mark(self, working: bool = True) -> None:
        self._working = working

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


class ZeroFile:
    """A file-like object of `size` bytes that are never held in memory at once (httpx streams it)."""

    def __init__(self, size: int):
        self.remaining = size

    def read(self, n: int = -1) -> bytes:
        n = self.remaining if n < 0 else min(n, self.remaining)
        self.remaining -= n
        return bytes(n)


async def video_upload(server: Server, megabytes: int) -> dict:
    async with httpx.AsyncClient(base_url=server.url, timeout=600) as client:
        officer = Officer(client, PAIRS[0], defaultdict(list))
        await officer.login()
        case_id = (await officer.call("POST /cases", "POST", "/cases",
                                      json={"process": "inspection", "party": PARTY, "title": "视频证据"}))["case"]["id"]
        before = server.rss()
        started = time.perf_counter()
        with RssSampler([server]) as sampler:
            await officer.call("POST evidence (video)", "POST", f"/cases/{case_id}/evidence", data={
                "type": "audio_video", "collected_by": [o["name"] for o in officer.officers],
                "collected_at": "2026-03-10T09:30:00+08:00", "description": "执法记录仪视频"},
                files={"file": ("执法记录仪.mp4", ZeroFile(megabytes * 1024 * 1024), "video/mp4")})
        elapsed = time.perf_counter() - started
    peak = max(sampler.samples + [server.rss()])
    return {"megabytes": megabytes, "seconds": round(elapsed, 1), "mb_per_s": round(megabytes / elapsed, 1),
            "rss_before_mb": round(before / 2**20, 1), "rss_peak_mb": round(peak / 2**20, 1),
            "rss_growth_mb": round((peak - before) / 2**20, 1)}


def flame_graph(server: Server, seconds: float, name: str) -> subprocess.Popen | None:
    """py-spy samples the server during the run (bench extra); None if py-spy is not installed."""
    spy = shutil.which("py-spy", path=os.path.dirname(sys.executable)) or shutil.which("py-spy")
    if spy is None:
        return None
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen([spy, "record", "--pid", str(server.process.pid), "--duration", str(max(1, int(seconds) - 1)),
                             "--rate", "50", "--nonblocking", "--output", str(OUT_DIR / f"flame-{name}.svg")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_setup(name: str, users: list[int], seconds: float, photo: bytes, video_mb: int, tmp: Path, flame: bool) -> dict:
    with ExitStack() as stack:
        settings = {"ZHIFA_NOW": NOW, "ZHIFA_PDF_RENDITION": "false"}
        roots: dict[str, list[int]] = {}
        if name.startswith("postgres"):
            cluster, server = stack.enter_context(postgres_cluster())
            settings["ZHIFA_DATABASE_URL"] = new_database(server)
            weed, s3_settings = stack.enter_context(s3_server())
            settings.update(s3_settings)
            roots = {"PostgreSQL": [cluster.process.pid], "S3 (SeaweedFS)": [weed.pid]}
        env = zhifa_env(tmp / name, **settings)
        processes = 2 if name.endswith("-2") else 1
        embedded = name == "sqlite"
        servers = [Server(env, demo=True, worker=embedded, log=tmp / f"{name}-serve-0.log")]
        stack.callback(servers[0].stop)
        for index in range(1, processes):
            servers.append(Server(env, demo=False, worker=False, log=tmp / f"{name}-serve-{index}.log"))
            stack.callback(servers[-1].stop)
        roots = {"zhifa serve": [s.process.pid for s in servers], **roots}
        if not embedded:
            worker = Worker(env, tmp / f"{name}-worker.log")
            stack.callback(worker.stop)
            roots["zhifa worker"] = [worker.process.pid]
        meter = CpuMeter(roots)
        result = {"setup": name, "server_processes": processes, "worker": "in serve" if embedded else "zhifa worker", "runs": []}
        asyncio.run(drive([s.url for s in servers], 1, 1.0, photo))  # imports and caches filled before memory is read
        rss_start = max(s.rss() for s in servers)
        with RssSampler(servers) as sampler:
            for index, count in enumerate(users):
                profilers = []
                profile = flame and index == len(users) - 1

                cpu: list[dict[str, float]] = []

                def measuring(profile=profile, profilers=profilers, cpu=cpu) -> None:
                    sampler.mark()  # the logins before this allocate 64 MB each (argon2's memory cost) and free it
                    cpu.append(meter.read())
                    if profile:
                        profilers.append(flame_graph(servers[0], seconds, name))

                run = asyncio.run(drive([s.url for s in servers], count, seconds, photo, measuring))
                sampler.mark(False)  # the next run logs in again
                # CPU per completion of every process the run uses: the servers (every request of the cases, and the
                # embedded worker's renditions), the worker, PostgreSQL, S3 and the load generator
                used = {part: seconds - cpu[0][part] for part, seconds in meter.read().items()}
                run["cpu_ms_per_completion"] = {part: round(1000 * seconds / max(1, run["completions"]), 1)
                                                for part, seconds in used.items()}
                run["server_cpu_ms_per_completion"] = run["cpu_ms_per_completion"]["zhifa serve"]
                if profilers and profilers[0] is not None:
                    profilers[0].wait()
                    result["flame_graph"] = f"bench/out/flame-{name}.svg"
                print(f"{name}: {count} users, {run['completions_per_s']} completions/s, complete p50 "
                      f"{run['latency_ms']['POST /tasks/{id}/complete'].get('p50')} ms, server CPU "
                      f"{run['server_cpu_ms_per_completion']} ms per completion", flush=True)
                result["runs"].append(run)
        mb = 2**20
        result["rss_mb"] = {"start": round(rss_start / mb, 1), "peak": round(max(sampler.work + [rss_start]) / mb, 1),
                            "peak_with_logins": round(max(sampler.samples + [rss_start]) / mb, 1),
                            "end": round(max(s.rss() for s in servers) / mb, 1)}
        if video_mb and name.startswith("postgres") and processes == 1:
            result["video_upload"] = asyncio.run(video_upload(servers[0], video_mb))
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setups", default="sqlite,postgres-1,postgres-2")
    parser.add_argument("--users", default="1,4", help="concurrent officers, one run each (comma-separated)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    parser.add_argument("--photo-kb", type=int, default=200)
    parser.add_argument("--video-mb", type=int, default=0, help="upload one video of this size (PostgreSQL + S3, one process)")
    parser.add_argument("--flame", action="store_true", help="flame graph of the (first) server during the last run, by py-spy")
    parser.add_argument("--json", help="where to write the figures (default bench/out/http.json)")
    args = parser.parse_args()
    photo = os.urandom(args.photo_kb * 1024)
    users = [int(u) for u in args.users.split(",")]
    with tempfile.TemporaryDirectory(prefix="zhifa-bench-http-") as tmp:
        setups = []
        for name in args.setups.split(","):  # written after each setup: a stopped run keeps what it measured
            setups.append(run_setup(name, users, args.seconds, photo, args.video_mb, Path(tmp), args.flame))
            write_result("http", {"photo_kb": args.photo_kb, "setups": setups}, args.json)


if __name__ == "__main__":
    main()
