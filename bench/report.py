"""BENCHMARKS.md from the figures in bench/out/*.json: each figure beside its goal and its reference."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
TARGET = ROOT / "BENCHMARKS.md"
ANALYSIS = Path(__file__).with_name("analysis.md")

# References measured on a machine of this kind with the same kind of client (issue 17)
SPIFFARENA_P50_MS = {"sqlite": 67.0, "postgres": 83.0}
SPIFFARENA_PEAK_PER_S = 19.7
COMPLETE = "POST /tasks/{id}/complete"
PAGES = ("inbox", "case list", "case page")


def _load(name: str) -> dict | None:
    path = OUT / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _machine() -> str:
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0)
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({model}), {memory / 1024:.1f} GB memory, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    # the report's own files are rewritten during the run; any other change means the figures are not the commit's
    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no", "--", ".",
                                                 ":!BENCHMARKS.md", ":!README.md") else ""
    return git("rev-parse", "--short", "HEAD") + dirty


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**no**")


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f} ms"


def summary(engine, http, scale, timers, state, documents) -> list[str]:
    rows = ["| # | figure | measured | goal | reference | ratio to reference | goal met |", "|---|---|---|---|---|---|---|"]
    for run in (engine or {}).get("runs", []):
        rows.append(f"| 1 | engine step, {run['model']} ({run['database']}), median per task | {run['zhifa_ms']:.2f} ms "
                    f"| ≤ {run['goal_ratio']}x bare | bare SpiffWorkflow {run['bare_ms']:.2f} ms | {run['ratio']:.2f}x "
                    f"| {_met(run['ratio'] <= run['goal_ratio'])} |")
    for setup in (http or {}).get("setups", []):
        db = "sqlite" if setup["setup"] == "sqlite" else "postgres"
        best = max(setup["runs"], key=lambda r: r["completions_per_s"])
        rows.append(f"| 2 | task completions/s, {setup['setup']} (best: {best['users']} officers) | {best['completions_per_s']:.1f}/s "
                    f"| ≥ 100/s | SpiffArena peak {SPIFFARENA_PEAK_PER_S}/s | {best['completions_per_s'] / SPIFFARENA_PEAK_PER_S:.2f}x "
                    f"| {_met(best['completions_per_s'] >= 100)} |")
        one = setup["runs"][0]
        p50 = one["latency_ms"].get(COMPLETE, {}).get("p50")
        if p50 is not None:
            rows.append(f"| 2 | completion p50, {setup['setup']}, {one['users']} officer(s) | {p50:.1f} ms | ≤ 10 ms "
                        f"| SpiffArena p50 {SPIFFARENA_P50_MS[db]:.0f} ms | {p50 / SPIFFARENA_P50_MS[db]:.2f}x | {_met(p50 <= 10)} |")
    if scale and scale.get("sizes"):
        largest = scale["sizes"][-1]
        for name, figures in largest["pages"].items():
            goal = name.startswith(PAGES)
            rows.append(f"| 3 | {name} p95 at {largest['cases']:,} cases | {_ms(figures.get('p95'))} | {'≤ 20 ms' if goal else '—'} "
                        f"| — | — | {_met(figures.get('p95', 1e9) <= 20) if goal else '—'} |")
        scans = sorted({t for f in largest["pages"].values() for t in f["seq_scans"] if t in ("case", "task", "record_event", "document_issued", "case_member", "evidence")})
        rows.append(f"| 3 | large tables read by sequential scan | {', '.join(scans) or 'none'} | none (plans use indexes) | — | — "
                    f"| {_met(not scans)} |")
    for run in (timers or {}).get("runs", []):
        delay = run.get("committed_delay_ms", run["delay_ms"])  # fired = committed, visible to everyone
        rows.append(f"| 4 | timer delay p99, {run['timers']} timers in one minute, {run['workers']} worker(s) | {_ms(delay.get('p99'))} "
                    f"| ≤ 1 s | — | — | {_met(delay.get('p99') is not None and delay['p99'] <= 1000 and run['fired'] == run['timers'])} |")
        rows.append(f"| 4 | timers fired twice, {run['workers']} worker(s) | {run['fired_twice']} | 0 | — | — | {_met(run['fired_twice'] == 0)} |")
    if state:
        kb = state["workflow_state_bytes"] / 1024
        rows.append(f"| 5 | serialized workflow at closing (hearing, review) | {kb:.1f} KB | ≤ 50 KB | — | — | {_met(kb <= 50)} |")
        rows.append(f"| 5 | database + object bytes per case | {state['database_bytes'] / 1024:.0f} KB + {state['object_bytes'] / 1024:.0f} KB "
                    f"| — | — | — | — |")
    if documents and "docx_per_s_per_core" in documents:
        rows.append(f"| 6 | .docx renders per second per core | {documents['docx_per_s_per_core']:.0f}/s | ≥ 100/s | — | — "
                    f"| {_met(documents['docx_per_s_per_core'] >= 100)} |")
        if "pdf_per_s" in documents:
            rows.append(f"| 6 | PDF renditions per second (persistent LibreOffice) | {documents['pdf_per_s']:.1f}/s | — | — | — | — |")
    if state and state["dossier"].get("build_s") is not None:
        d = state["dossier"]
        rows.append(f"| 6 | dossier build, {d['documents']} documents ({d['pages']} pages) | {d['build_s']:.1f} s | — | — | — | — |")
        if forty := d.get("forty"):
            rows.append(f"| 6 | dossier build, {forty['issued']}-document case ({forty['documents']} entries, {forty['pages']} pages) "
                        f"| {forty['build_s']:.1f} s | — | — | — | — |")
    for setup in (http or {}).get("setups", []):
        rss = setup["rss_mb"]
        growth = rss["peak"] - rss["start"]
        rows.append(f"| 7 | server RSS growth under the throughput run, {setup['setup']} | {growth:.0f} MB ({rss['start']:.0f} → {rss['peak']:.0f}) "
                    f"| < 64 MB | — | — | {_met(growth < 64)} |")
        if "video_upload" in setup:
            v = setup["video_upload"]
            rows.append(f"| 7 | server RSS growth during a {v['megabytes']:,} MB video upload ({setup['setup']}) | {v['rss_growth_mb']:.0f} MB "
                        f"| < 64 MB | — | — | {_met(v['rss_growth_mb'] < 64)} |")
    return rows


def http_details(http) -> list[str]:
    lines = ["| setup | officers | completions/s | cases | endpoint | p50 | p95 | p99 | n |", "|---|---|---|---|---|---|---|---|---|"]
    for setup in http["setups"]:
        for run in setup["runs"]:
            for endpoint, f in run["latency_ms"].items():
                lines.append(f"| {setup['setup']} | {run['users']} | {run['completions_per_s']:.1f} | {run['cases']} | `{endpoint}` "
                             f"| {f.get('p50', 0):.1f} | {f.get('p95', 0):.1f} | {f.get('p99', 0):.1f} | {f['n']} |")
    lines += ["", *cpu_budget(http), "", "Server RSS (MB): " + "; ".join(
        f"{s['setup']}: {s['rss_mb']['start']:.0f} after warm-up, peak {s['rss_mb']['peak']:.0f} while driving cases, "
        f"{s['rss_mb'].get('peak_with_logins', s['rss_mb']['peak']):.0f} with the logins, {s['rss_mb']['end']:.0f} at the end"
        for s in http["setups"]) + "."]
    flames = [f"[{s['setup']}]({s['flame_graph']})" for s in http["setups"] if s.get("flame_graph")]
    if flames:
        lines += ["", "Flame graphs of the server during the last run (py-spy): " + ", ".join(flames) + "."]
    return lines


def cpu_budget(http) -> list[str]:
    """Where the machine's CPU goes per completion: every process the run uses, read from the kernel's counters."""
    parts = ["zhifa serve", "zhifa worker", "PostgreSQL", "S3 (SeaweedFS)", "load generator"]
    runs = [(setup["setup"], run) for setup in http["setups"] for run in setup["runs"] if run.get("cpu_ms_per_completion")]
    if not runs:
        return []
    lines = ["CPU per task completion (ms; user + system, every request of the cases included), by process, and the "
             "cores the run kept busy (total × completions/s):", "",
             "| setup | officers | completions/s | " + " | ".join(parts) + " | total | cores busy |",
             "|---|---|---|" + "---|" * (len(parts) + 2)]
    for name, run in runs:
        cpu = run["cpu_ms_per_completion"]
        total = sum(cpu.values())
        lines.append(f"| {name} | {run['users']} | {run['completions_per_s']:.1f} | "
                     + " | ".join(f"{cpu[p]:.1f}" if p in cpu else "—" for p in parts)
                     + f" | {total:.1f} | {total * run['completions_per_s'] / 1000:.2f} |")
    return lines


def completion_details(complete) -> list[str]:
    """One completion in process (bench_complete.py): the request's own CPU and SQL, which load does not blur."""
    cpu, sql = complete["cpu_ms_per_completion"], complete["statements_per_completion"]
    steps = ", ".join(f"{name} {count}" for name, count in sql["by_step"].items())
    return [f"One task completion over the API in process (SQLite, no worker, {complete['completions']} completions): "
            f"CPU (process time) p50 {cpu['p50']:.1f} ms, mean {cpu['mean']:.1f} ms; every request of the cases "
            f"{cpu['all_requests']:.1f} ms per completion. SQL statements per completion {sql['mean']:.1f} ({steps}); "
            f"every request of the cases {sql['all_requests']:.1f} per completion."]


def scale_details(scale) -> list[str]:
    lines = ["| page | " + " | ".join(f"{s['cases']:,} cases p50 / p95 (SQL)" for s in scale["sizes"]) + " | rows | seq scans of large tables |",
             "|---|" + "---|" * len(scale["sizes"]) + "---|---|"]
    for name in scale["sizes"][0]["pages"]:
        cells = [f"{s['pages'][name]['p50']:.1f} / {s['pages'][name]['p95']:.1f} ms ({s['pages'][name]['sql_ms']:.1f})" for s in scale["sizes"]]
        last = scale["sizes"][-1]["pages"][name]
        lines.append(f"| {name} | {' | '.join(cells)} | {last['rows']} | {', '.join(last['seq_scans']) or 'none'} |")
    lines.append("")
    for s in scale["sizes"]:
        tables = ", ".join(f"{t} {v['rows']:,} rows / {v['mb']} MB" for t, v in s["tables"].items())
        lines.append(f"- {s['cases']:,} cases: generated in {s['generation_seconds']} s; {tables}.")
    largest = scale["sizes"][-1]
    lines += ["", f"The slowest statement of each page at {largest['cases']:,} cases (EXPLAIN ANALYZE):", ""]
    for name, figures in largest["pages"].items():
        slowest = max(figures["plans"], key=lambda p: p["execution_ms"] or 0)
        plan = "\n".join(line for line in slowest["plan"].splitlines() if not line.lstrip().startswith(("Planning", "Buckets")))
        lines += [f"{name}:", "```", plan, "```"]
    return lines


def two_processes(http, timers) -> list[str]:
    """The README's figures at two processes (section "Running beyond one machine")."""
    lines = []
    setups = {s["setup"]: s for s in (http or {}).get("setups", [])}
    for name, label in (("postgres-1", "one"), ("postgres-2", "two")):
        if name in setups:
            best = max(setups[name]["runs"], key=lambda r: r["completions_per_s"])
            p50 = best["latency_ms"].get(COMPLETE, {}).get("p50")
            lines.append(f"- HTTP, {label} `zhifa serve --no-worker` process(es) + one `zhifa worker`, PostgreSQL + S3: "
                         f"{best['completions_per_s']:.1f} task completions/s with {best['users']} simulated officers "
                         f"(completion p50 {_ms(p50)}).")
    for run in (timers or {}).get("runs", []):
        lines.append(f"- Timers, {run['workers']} `zhifa worker` process(es): {run['timers']} timers due within one minute, delay "
                     f"p50 {_ms(run['delay_ms'].get('p50'))}, p99 {_ms(run['delay_ms'].get('p99'))}, fired twice: {run['fired_twice']}.")
    if lines:
        lines.append(f"- On the shared 2-core machine described in BENCHMARKS.md ({datetime.now(timezone.utc):%Y-%m-%d}): both "
                     "processes, the database, S3 and the load generator share the same two cores.")
    return lines


def update_readme(lines: list[str]) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:two-processes -->", "<!-- /bench:two-processes -->"
    if start in text and end in text and lines:
        head, rest = text.split(start, 1)
        readme.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end + rest.split(end, 1)[1])


def write_report(runs: list[dict], *, quick: bool) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    history = OUT / "runs.json"
    previous = {r["name"]: r for r in json.loads(history.read_text())} if history.exists() else {}
    previous.update({r["name"]: r for r in runs})
    history.write_text(json.dumps(list(previous.values()), indent=1))
    engine, http, scale, timers, state, documents = (_load(n) for n in ("engine", "http", "scale", "timers", "state", "documents"))
    load = os.getloadavg()
    lines = [
        "# Benchmarks",
        "",
        f"Regenerated by `python bench/run_all.py{' --quick' if quick else ''}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"at commit {_commit()}. Raw figures and logs: bench/out/ (written by the run, not committed; the flame graphs are).",
        "",
        f"Machine: {_machine()}. Load average when the report was written: {load[0]:.1f}. These figures were taken on "
        "**one 2-core machine** that also runs the load generator, PostgreSQL and SeaweedFS (and, when the load average "
        "above is high, other work): read them as a floor, not as what a dedicated server does.",
        "",
    ]
    if quick:
        lines += ["**Quick run (tiny scale): these figures only show that every benchmark runs.**", ""]
    missing = [n for n in ("engine", "documents", "state", "http", "timers", "scale") if _load(n) is None]
    if missing:
        lines += ["Not measured in this pass: " + ", ".join(missing) + ".", ""]
    failed = [r for r in previous.values() if r["exit"] != 0]
    if failed:
        lines += ["Failed: " + ", ".join(f"{r['name']} ({r['exit']}, log bench/out/{r['name']}.log)" for r in failed), ""]
    lines += ["## Summary", "", *summary(engine, http, scale, timers, state, documents), ""]
    if http:
        lines += ["## 2. HTTP throughput and latency per endpoint", "", *http_details(http), ""]
    if complete := _load("complete"):
        lines += [*([] if http else ["## 2. HTTP throughput and latency per endpoint", ""]), *completion_details(complete), ""]
    if scale:
        lines += ["## 3. Latency as the data grow", "", *scale_details(scale), ""]
    if state:
        lines += ["## 5. State per case", "", f"Case: {state['case']} ({state['steps']} steps, {len(state['documents'])} documents).",
                  f"Serialized workflow {state['workflow_state_bytes']:,} bytes ({state['workflow_state_gzip_bytes']:,} gzip-compressed); "
                  "database rows: " + ", ".join(f"{t} {b:,} B" for t, b in state["database_row_bytes"].items() if b) +
                  f"; objects {state['object_bytes']:,} bytes.", ""]
    lines += [ANALYSIS.read_text().strip(), ""]
    TARGET.write_text("\n".join(lines))
    if not quick:
        update_readme(two_processes(http, timers))
    return TARGET
