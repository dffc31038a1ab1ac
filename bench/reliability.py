"""The reliability campaign in one command; its figures go into RELIABILITY.md.

1. Crash consistency (bench/crash_campaign.py) on the embedded setup (SQLite, local objects, worker in
   the server) and on PostgreSQL + S3 (separate worker): whole inspections driven with Idempotency-Keys
   while the server is SIGKILLed at seeded random moments; then what was lost or doubled is counted from the
   database and `zhifa record verify` / `zhifa storage verify` are run.
2. The hostile-input corpus, the access matrix (leaks) and the tamper tests of the test suite, run as they
   are and counted.

    python bench/reliability.py [--setups sqlite,postgres] [--cases 40] [--seed 1] [--json out.json] [--report]

Prints figures; `--report` rewrites the campaign section of RELIABILITY.md. Never fails on figures
(tests/test_crash_consistency.py is the pass/fail check).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import crash_campaign
from common import ROOT

SUITES = {
    "hostile input (5xx answers)": ["tests/api/test_hostile_input.py", "tests/api/test_openapi_fuzz.py"],
    "access matrix (leaks)": ["tests/api/test_access_matrix.py", "tests/api/test_web_access_matrix.py"],
    "tampering (record, anchors, objects)": ["tests/engine/test_record.py", "tests/engine/test_anchor.py",
                                             "tests/test_evidence.py::test_verify_names_an_object_altered_behind_the_applications_back"],
}
START, END = "<!-- campaign:start -->", "<!-- campaign:end -->"


def run_suite(paths: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths], cwd=ROOT,
                          capture_output=True, text=True, timeout=1800)
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (passed|failed|error|errors)", tail)}
    return {"passed": counts.get("passed", 0), "failed": counts.get("failed", 0) + counts.get("error", 0)
            + counts.get("errors", 0), "summary": tail}


def report(crashes: list[dict], suites: dict[str, dict]) -> str:
    lines = [START, f"## The campaign, measured ({date.today().isoformat()}, `python bench/reliability.py`)", "",
             "| setup | cases | writes answered | requests sent | kills (SIGKILL) | outages | 503 answers | other 5xx "
             "| cases lost / doubled | steps lost / doubled | uploads lost / doubled | record verify | storage verify "
             "| worker survived |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for c in crashes:
        writes = c["cases"] + c["uploads"] + c["completions"]
        lines.append(f"| {c['setup']} | {c['cases']} | {writes} | {c['requests']} | {c['kills']} "
                     f"| {'、'.join(c['outages']) or '-'} | {c['unavailable']} | {c['server_errors']} "
                     f"| {c['cases_missing']} / {c['cases_doubled']} | {c['steps_lost']} / {c['steps_doubled']} "
                     f"| {c['uploads_lost']} / {c['uploads_doubled']} | {'通过' if c['record_verify'] else '失败'} "
                     f"| {'通过' if c['storage_verify'] else '失败'} | {'是' if c['worker_alive'] else '否'} |")
    lines += ["", "Goal: 0 lost, 0 doubled, no 5xx but 503 while a service is down, both verifications pass, the "
              "worker survives. Each kill falls at a seeded random moment (0.5-2.5 s apart); every cut-off request is "
              "sent again with its Idempotency-Key. On PostgreSQL + S3, S3 is stopped and PostgreSQL stopped and "
              "restarted once each, 2-4 s, from just before a seeded write.", "",
              "| suite | tests passed | failed (goal 0) |", "|---|---|---|"]
    lines += [f"| {name} | {s['passed']} | {s['failed']} |" for name, s in suites.items()]
    return "\n".join(lines + ["", END])


def write_report(section: str) -> None:
    path = ROOT / "RELIABILITY.md"
    text = path.read_text()
    if START in text:
        text = text[:text.index(START)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--setups", default="sqlite,postgres")
    parser.add_argument("--cases", type=int, default=40, help="whole inspections per setup (5 writes each)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cut-writes", type=int, default=0, help="writes cut off by a kill mid-request, seeded")
    parser.add_argument("--no-timed-kills", action="store_true", help="kill only during the cut-off writes")
    parser.add_argument("--no-suites", action="store_true", help="only the crash campaign")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--report", action="store_true", help="rewrite the campaign section of RELIABILITY.md")
    args = parser.parse_args()
    crashes = []
    with tempfile.TemporaryDirectory(prefix="zhifa-reliability-", ignore_cleanup_errors=True) as tmp:
        for setup in args.setups.split(","):
            result = crash_campaign.run(setup, args.cases, args.seed, Path(tmp),
                                         pause=None if args.no_timed_kills else (0.5, 2.5), cut_writes=args.cut_writes)
            print(json.dumps({k: v for k, v in result.items() if not k.endswith("_output")}, ensure_ascii=False), flush=True)
            crashes.append(result)
    suites = {} if args.no_suites else {name: run_suite(paths) for name, paths in SUITES.items()}
    for name, suite in suites.items():
        print(f"{name}: {suite['summary']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"crashes": crashes, "suites": suites}, ensure_ascii=False, indent=2))
    if args.report:
        write_report(report(crashes, suites))


if __name__ == "__main__":
    main()
