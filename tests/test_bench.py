"""The HTTP benchmark at a tiny scale: simulated officers drive whole inspections through `zhifa serve` (SQLite).

Checks that the benchmark still speaks the API (logins, forms, evidence upload, completions to the end of the
inspection) and writes its figures; never what the figures are.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_http_benchmark_drives_whole_inspections_and_reports_every_endpoint(tmp_path):
    out = tmp_path / "http.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_http.py"), "--setups", "sqlite", "--users", "1",
                    "--seconds", "1", "--photo-kb", "20", "--json", str(out)], cwd=ROOT, check=True, timeout=120,
                   capture_output=True)
    [setup] = json.loads(out.read_text())["setups"]
    [run] = setup["runs"]
    assert run["cases"] >= 1 and run["completions"] == 4 * run["cases"]  # four steps to the end of each inspection
    assert set(run["latency_ms"]) == {"POST /cases", "POST /cases/{id}/evidence", "GET /tasks", "GET /cases/{id}",
                                      "POST /tasks/{id}/complete"}
    assert run["server_cpu_ms_per_completion"] > 0  # the servers' CPU, the figure a loaded machine does not blur


def test_completion_benchmark_counts_cpu_and_statements_of_each_step(tmp_path):
    out = tmp_path / "complete.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_complete.py"), "--cases", "1", "--json", str(out)],
                   cwd=ROOT, check=True, timeout=120, capture_output=True)
    figures = json.loads(out.read_text())
    assert figures["completions"] == 4  # the four steps of one inspection
    assert set(figures["statements_per_completion"]["by_step"]) == {"现场检查", "责令限期整改", "登记单位提前申请复查", "整改复查"}
    assert all(count > 0 for count in figures["statements_per_completion"]["by_step"].values())
    assert figures["cpu_ms_per_completion"]["p50"] > 0


@pytest.mark.postgres
def test_scale_benchmark_generates_cases_and_explains_every_page(tmp_path):
    out = tmp_path / "scale.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "bench_scale.py"), "--cases", "300", "--repeat", "1",
                    "--json", str(out)], cwd=ROOT, check=True, timeout=300, capture_output=True)
    [size] = json.loads(out.read_text())["sizes"]
    pages = size["pages"]
    assert {"inbox (township officer)", "case list (county officer)", "case list, filtered (status, party, dates)",
            "case list, overdue", "statistics (cases per agency and status, one year)"} <= set(pages)
    assert pages["case list (county officer)"]["rows"] == 300  # the county sees every generated case
    added = size["generated"]["added"]
    assert added["case_member"] > 0 and added["evidence"] > 0  # the case page and inbox read them as in a county of years
    assert all(p["plans"] and p["plans"][0]["plan"] for p in pages.values())
