"""Helpers for tests that run the service in its own process: a free port, and waiting until it answers."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(health_url: str, process: subprocess.Popen, *, timeout: float = 60,
                       describe_exit: Callable[[], str] = lambda: "") -> None:
    """Poll `health_url` until it answers 200; fail with the process's output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(health_url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"the server exited: {describe_exit()}"
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
