"""Every benchmark, on the embedded setup and on PostgreSQL + S3, then BENCHMARKS.md regenerated.

    python bench/run_all.py            # the scale the issue asks for (about 15 minutes on 2 cores)
    python bench/run_all.py --quick    # a tiny scale, to check that everything runs (about 3 minutes)

Each benchmark runs in its own process and writes bench/out/<name>.json; a benchmark that fails
is named in BENCHMARKS.md with its log (bench/out/<name>.log) and the others still run.
PostgreSQL and S3 (SeaweedFS) are started the way the test session starts them (tests/services/).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from report import write_report

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

FULL = {
    "engine": ["--cases", "30", "--postgres"],
    "documents": ["--seconds", "5", "--pdfs", "10"],
    "state": [],
    "http": ["--setups", "sqlite,postgres-1,postgres-2", "--users", "1,4,8", "--seconds", "8", "--video-mb", "2000", "--flame"],
    "complete": ["--cases", "20"],
    "timers": ["--timers", "1000", "--workers", "1,2"],
    "scale": ["--cases", "10000,100000", "--events-per-case", "10", "--repeat", "30"],
}
QUICK = {
    "engine": ["--cases", "5", "--postgres"],
    "documents": ["--seconds", "2", "--pdfs", "3"],
    "state": [],
    "http": ["--setups", "sqlite,postgres-1,postgres-2", "--users", "1,2", "--seconds", "4", "--video-mb", "20"],
    "complete": ["--cases", "3"],
    "timers": ["--timers", "30", "--workers", "1,2"],
    "scale": ["--cases", "500,2000", "--repeat", "5"],
}
TIMEOUT_SECONDS = {"engine": 600, "documents": 300, "state": 600, "timers": 900, "http": 1200, "complete": 300, "scale": 1500}


def run(name: str, args: list[str]) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(ROOT / "bench" / f"bench_{name}.py"), *args, "--json", str(OUT / f"{name}.json")]
    (OUT / f"{name}.json").unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"== {name}: {' '.join(args)}", flush=True)
    with open(OUT / f"{name}.log", "w") as log:
        try:
            code = subprocess.run(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, timeout=TIMEOUT_SECONDS[name]).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    seconds = round(time.perf_counter() - started)
    print(f"   {name}: {'ok' if code == 0 else f'failed ({code})'} in {seconds} s", flush=True)
    return {"name": name, "args": args, "exit": code, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny scale: checks that every benchmark runs")
    parser.add_argument("--only", help="comma-separated benchmarks to run (the report still covers all)")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    names = args.only.split(",") if args.only else list(plan)
    if not args.only:  # figures of an earlier pass must not mix with this one's
        for stale in [*OUT.glob("*.json"), *OUT.glob("flame-*.svg")]:
            stale.unlink()
    runs = []
    for name in names:  # the report is rewritten after each benchmark: an interrupted run still leaves its figures
        runs.append(run(name, plan[name]))
        path = write_report(runs, quick=args.quick)
    print(f"written {path}")
    if any(r["exit"] != 0 for r in runs):
        sys.exit(1)


if __name__ == "__main__":
    main()
