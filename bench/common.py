"""What the benchmarks share: the real services the tests start, the `zhifa serve` processes, and figures.

PostgreSQL and SeaweedFS (S3) come from the test session's starters in tests/services/, so a
benchmark runs against the same throwaway servers the tests use and leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.scheduler import READY  # noqa: E402
from tests.services.postgres import LocalCluster, PostgresServer  # noqa: E402
from tests.services.s3 import SeaweedServer, _start_new_server  # noqa: E402

PASSWORD = "zhifa-demo-2026"  # the published demo password (api/data/demo/suichuan.yaml)


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster (fsync off, as in the tests)."""
    with postgres_cluster() as (_cluster, server):
        yield server


@contextmanager
def postgres_cluster() -> Iterator[tuple[LocalCluster, PostgresServer]]:
    """The cluster too, for a campaign that restarts it."""
    cluster = LocalCluster()
    try:
        server = PostgresServer(cluster.start(), fsync_off=True)
        yield cluster, server
        server.close()
    finally:
        cluster.stop()


def new_database(server: PostgresServer) -> str:
    name = f"zhifa_bench_{uuid.uuid4().hex[:10]}"
    server.create_database(name)
    return server.url(name)


@contextmanager
def s3() -> Iterator[dict[str, str]]:
    """A SeaweedFS S3 server; yields the ZHIFA_S3_* settings for a fresh bucket."""
    with s3_server() as (_server, settings):
        yield settings


@contextmanager
def s3_server() -> Iterator[tuple[SeaweedServer, dict[str, str]]]:
    """The server too (stop() and start() keep its data), for a campaign that takes it down."""
    server = _start_new_server()
    try:
        yield server, {"ZHIFA_S3_ENDPOINT": server.endpoint, "ZHIFA_S3_ACCESS_KEY": server.access_key,
                       "ZHIFA_S3_SECRET_KEY": server.secret_key,
                       "ZHIFA_S3_BUCKET": f"zhifa-bench-{uuid.uuid4().hex[:8]}", "ZHIFA_S3_SECURE": "false"}
    finally:
        server.remove()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def zhifa_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a `zhifa` subprocess: this checkout first on the path, ZHIFA_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    env.update({"PYTHONPATH": str(ROOT), "ZHIFA_DATA_DIR": str(data_dir), "ZHIFA_SECRET_KEY": "bench-" + "0" * 40,
                "ZHIFA_LOGIN_MAX_FAILURES_PER_ADDRESS": "100000",
                # serve and worker refuse ZHIFA_NOW (a simulated clock) unless told it is a test
                "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1", **settings})
    return env


class Server:
    """One `zhifa serve` process on a free port; `rss()` reads its resident memory."""

    def __init__(self, env: dict[str, str], *, demo: bool, worker: bool, log: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        command = [sys.executable, "-m", "api", "serve", "--port", str(self.port)]
        command += ["--demo"] if demo else []
        command += [] if worker else ["--no-worker"]
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"zhifa serve exited; log:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"zhifa serve did not answer; log:\n{log.read_text(errors='replace')[-3000:]}")

    def rss(self) -> int:
        return rss_bytes(self.process.pid)

    def cpu_seconds(self) -> float:
        """User + system CPU the process has used so far: robust to the machine's load, unlike its latencies."""
        import psutil

        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system

    def stop(self) -> None:
        stop_process(self.process)


class Worker:
    """One `zhifa worker` process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "api", "worker"], env=env, cwd=ROOT,
                                            stdout=out, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 300) -> None:
        """Until the worker has logged that its start-up is done (engine.scheduler.READY)."""
        deadline = time.monotonic() + timeout
        while READY not in self.log.read_text(encoding="utf-8", errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker not ready, see {self.log}")
            time.sleep(0.1)

    def stop(self) -> None:
        stop_process(self.process)


class CpuMeter:
    """CPU seconds (user + system) used by named groups of processes, each a root process and its children.

    A root's `children_*` times count its children that have exited (PostgreSQL's backends); the live
    children are read one by one. `this process` is the load generator itself."""

    def __init__(self, roots: dict[str, list[int]]) -> None:
        self.roots = roots

    def read(self) -> dict[str, float]:
        import psutil

        seconds = {"load generator": time.process_time()}
        for name, pids in self.roots.items():
            total = 0.0
            for pid in pids:
                try:
                    root = psutil.Process(pid)
                    t = root.cpu_times()
                    total += t.user + t.system + t.children_user + t.children_system
                    for child in root.children(recursive=True):
                        c = child.cpu_times()
                        total += c.user + c.system
                except psutil.NoSuchProcess:
                    continue
            seconds[name] = total
        return seconds


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, and kill after 20 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def percentiles(values_ms: list[float]) -> dict[str, float]:
    """p50/p95/p99 (and count) of a list of milliseconds."""
    if not values_ms:
        return {"n": 0}
    if len(values_ms) == 1:
        return {"n": 1, "p50": values_ms[0], "p95": values_ms[0], "p99": values_ms[0]}
    cuts = statistics.quantiles(values_ms, n=100, method="inclusive")
    return {"n": len(values_ms), "p50": round(cuts[49], 2), "p95": round(cuts[94], 2), "p99": round(cuts[98], 2)}


def write_result(name: str, result: dict, path: str | None) -> None:
    """Write the figures as JSON (bench/out/<name>.json unless a path is given)."""
    target = Path(path) if path else OUT_DIR / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"figures written to {target}")
