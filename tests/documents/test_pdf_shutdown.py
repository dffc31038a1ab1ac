"""Stopping `zhifa worker` or `zhifa serve` stops the unoserver and LibreOffice it started.

Real processes: the command runs in a subprocess with PDF rendition on, starts LibreOffice, and
is sent the signal an init system (SIGTERM) or a terminal (SIGINT) sends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from documents.pdf import pdf_status

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _started_by(data_dir: Path) -> list[psutil.Process]:
    """Every live process of the command's tree, found by the data directory in its environment.

    Found this way, not as the command's children: LibreOffice restarts soffice.bin on a fresh
    profile, and what the command leaves behind is re-parented to PID 1.
    """
    marker = f"ZHIFA_DATA_DIR={data_dir}"
    found = []
    for process in psutil.process_iter():
        try:
            if process.status() != psutil.STATUS_ZOMBIE and marker in (f"{k}={v}" for k, v in process.environ().items()):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def _name(process: psutil.Process) -> str:
    """unoserver is a Python script: its process is named after the interpreter, its command line names it."""
    try:
        return "unoserver" if any(Path(part).name == "unoserver" for part in process.cmdline()[:2]) else process.name()
    except psutil.NoSuchProcess:
        return ""


def _wait_for_libreoffice(data_dir: Path, command: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        names = {_name(p) for p in _started_by(data_dir)}
        if {"soffice.bin", "unoserver"} <= names:
            return
        assert command.poll() is None, "the command ended before starting LibreOffice"
        time.sleep(0.2)
    pytest.fail("LibreOffice did not start")


@pytest.mark.libreoffice
@pytest.mark.parametrize(("command", "sig"), [
    (["worker"], signal.SIGTERM),
    (["worker"], signal.SIGINT),
    (["serve", "--port", "PORT"], signal.SIGTERM),
])
def test_stopping_the_command_stops_libreoffice(tmp_path, command, sig):
    status = pdf_status()
    if not status.available:
        pytest.fail(status.message, pytrace=False)
    data_dir = tmp_path / "data"
    env = {**os.environ, "ZHIFA_DATA_DIR": str(data_dir), "ZHIFA_PDF_RENDITION": "true",
           "ZHIFA_NOW": "2026-06-15T09:00:00+08:00", "ZHIFA_ALLOW_CLOCK_OVERRIDE": "1", "PYTHONPATH": str(REPO)}
    env.pop("ZHIFA_DATABASE_URL", None)
    if command[0] == "serve":  # serve refuses an installation without accounts: create its administrator first
        subprocess.run([sys.executable, "-m", "api", "admin", "create", "--username", "boss", "--agency", "360827",
                        "--agency-name", "遂川县应急管理局", "--short-name", "遂", "--password-stdin"],
                       input="a-long-password\n", text=True, env=env, cwd=tmp_path, check=True, capture_output=True)
    args = [str(_free_port()) if arg == "PORT" else arg for arg in command]
    popen = subprocess.Popen([sys.executable, "-m", "api", *args], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_libreoffice(data_dir, popen)
        popen.send_signal(sig)
        popen.wait(timeout=60)
        deadline = time.monotonic() + 20
        while _started_by(data_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [_name(p) for p in _started_by(data_dir)] == []
    finally:
        if popen.poll() is None:
            popen.kill()
            popen.wait()
        for process in _started_by(data_dir):  # never leave this test's LibreOffice behind, whatever happened
            process.kill()
