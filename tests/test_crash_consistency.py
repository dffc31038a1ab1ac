"""Crash consistency, a short run of the campaign (bench/reliability.py runs the long one).

Officers drive whole inspections through `zhifa serve`, which is SIGKILLed during three seeded writes (cut
off before their answer, so on every run however fast the machine); each is sent again with its Idempotency-Key. On PostgreSQL + S3 both services are also
taken down once mid-run (503s, retried). Afterwards no case, step or upload is lost
or doubled, every case reached its end, the record and the derived tables verify, and every document
and evidence row has its object.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("setup", ["sqlite", pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.s3])])
def test_killing_the_server_mid_stream_loses_and_doubles_nothing(setup, tmp_path):
    out = tmp_path / "crash.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "reliability.py"), "--setups", setup, "--cases", "3",
                           "--seed", "7", "--cut-writes", "3", "--no-timed-kills", "--no-suites", "--json", str(out)], cwd=ROOT, timeout=600,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    [run] = json.loads(out.read_text())["crashes"]
    assert run["kills"] == 3 and run["retried"] >= 3  # the server died under three writes, each sent again
    assert run["completions"] == 4 * 3 and run["uploads"] == 3
    lost_or_doubled = {k: run[k] for k in ("cases_missing", "cases_doubled", "steps_lost", "steps_doubled",
                                           "uploads_lost", "uploads_doubled", "cases_not_ended", "renditions_pending")}
    assert lost_or_doubled == dict.fromkeys(lost_or_doubled, 0)
    assert run["record_verify"], run["record_verify_output"]
    assert run["storage_verify"], run["storage_verify_output"]
    assert run["server_errors"] == 0  # 5xx other than 503
    if setup == "postgres":  # S3 stopped and PostgreSQL restarted under the officers: 503s, then on as before
        assert run["outages"] == ["S3 停止", "PostgreSQL 停止后重启"] and run["unavailable"] >= 1
        assert run["worker_alive"]
