"""A 200 MB upload streamed through a real uvicorn server process never sits in the server's memory.

The client sends a chunked body from a generator; a sampler thread reads the server process's RSS
while the upload runs. The stored object, in a local directory or on the S3 server, is re-hashed
afterwards.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time

import httpx
import psutil
import pytest
from sqlmodel import Session

from api.identity.security import issue_token
from documents.evidence.models import Evidence
from engine.models import Actor
from engine.objects import get_object_store
from engine.settings import get_settings
from engine.vocab import Role
from tests.api.conftest import PARTY
from tests.services.http_server import free_port, wait_until_healthy

MiB = 1024 * 1024
UPLOAD_MIB = 200
UPLOAD_SHA256 = "a1cdeea403c9a6841fd7468eb3c41bd82a8ee1a4a02684214353cb0d7271ff6a"  # chunk i = 1 MiB of byte i
MAX_GROWTH = 64 * MiB
BOUNDARY = "zhifa-memory-test"


@pytest.fixture
def server(store_kind, runtime, world, db_url, frozen_clock):
    """`uvicorn api.app:create_app` on the test's database and data directory, at the test's time."""
    port = free_port()
    env = {**os.environ, "ZHIFA_DATABASE_URL": db_url, "ZHIFA_NOW": frozen_clock.at.isoformat()}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_until_healthy(f"{base}/health", process, timeout=30)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def form_fields() -> bytes:
    fields = {"type": "audio_video", "collected_by": "用户t1a", "collected_at": "2026-03-02T08:15:00+08:00",
              "sha256": UPLOAD_SHA256}
    parts = [f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="查封过程录像.mp4"\r\n'
                 "Content-Type: video/mp4\r\n\r\n")
    return "".join(parts).encode()


class Sampler(threading.Thread):
    """Peak resident memory of a process, sampled every 10 ms until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = self.process.memory_info().rss
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.01):
            self.peak = max(self.peak, self.process.memory_info().rss)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_200_mb_upload_streams_through_the_server_in_bounded_memory(server, runtime, world):
    base, pid = server
    case = runtime.start_case("inspection_api", agency_id=world.agencies.township.id, party_name=PARTY["name"],
                              actor=Actor(user_id=world.id("t1a"), name="用户t1a", role=Role.township_officer,
                                          agency_id=world.agencies.township.id), data={"party": PARTY})
    headers = {"Authorization": f"Bearer {issue_token(world.id('t1a')).token}",
               "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    url = f"{base}/cases/{case.case.id}/evidence"
    client_hash = hashlib.sha256()

    def body(chunks: int):
        yield form_fields()
        for i in range(chunks):
            chunk = bytes([i]) * MiB
            client_hash.update(chunk)
            yield chunk
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    warm_up = httpx.post(url, content=body(1), headers=headers,
                         timeout=30)  # first-use imports and pools are not the upload's memory
    assert warm_up.json()["code"] == "hash_mismatch"
    client_hash = hashlib.sha256()
    baseline = psutil.Process(pid).memory_info().rss
    sampler = Sampler(pid)
    sampler.start()
    started = time.monotonic()
    response = httpx.post(url, content=body(UPLOAD_MIB), headers=headers, timeout=60)
    elapsed = time.monotonic() - started
    sampler.done.set()
    sampler.join()

    assert response.status_code == 201, response.text
    assert client_hash.hexdigest() == UPLOAD_SHA256
    item = response.json()
    assert (item["size"], item["sha256"]) == (UPLOAD_MIB * MiB, UPLOAD_SHA256)
    with Session(runtime.engine) as session:
        key = session.get(Evidence, item["id"]).object_key
    assert get_object_store(get_settings()).sha256_of(key) == (UPLOAD_MIB * MiB, UPLOAD_SHA256)
    growth = sampler.peak - baseline
    print(f"200 MB upload in {elapsed:.1f} s; server RSS {baseline / MiB:.0f} MB, peak growth {growth / MiB:.1f} MB")
    assert growth < MAX_GROWTH
