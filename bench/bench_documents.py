"""Documents: .docx renders per second on one core, and PDF renditions per second.

Usage: .venv/bin/python bench/bench_documents.py [--seconds 5] [--pdfs 20] [--json PATH]
Prints figures; never passes or fails on time (goal: ≥100 .docx per second).
The dossier build time is measured with the case it belongs to, in bench_state.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sqlmodel import Session, SQLModel, create_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import write_result  # noqa: E402

from documents.catalogue import get_catalogue  # noqa: E402
from documents.issuing import issue_documents  # noqa: E402
from documents.pdf import UnoServer, pdf_status  # noqa: E402
from documents.render import render_docx  # noqa: E402
from engine import models as _tables  # noqa: E402, F401  (the case table the documents' rows refer to)
from tests.documents.examples import ISSUED_AT, complete_values  # noqa: E402


def snapshots() -> list[dict]:
    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    doc_ids = [d.id for d in get_catalogue().documents if not d.part_of_dossier]
    with Session(engine) as session:
        issued = issue_documents(
            session, case_id=1, agency_code="suichuan_em", doc_ids=doc_ids, values=complete_values(), issued_at=ISSUED_AT
        )
        return [dict(d.snapshot) for d in issued]


def bench_docx(samples: list[dict], seconds: float) -> dict:
    for snapshot in samples:  # warm caches (templates, base package)
        render_docx(snapshot)
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        render_docx(samples[count % len(samples)])
        count += 1
    elapsed = time.perf_counter() - started
    print(f"docx: {count / elapsed:.0f} documents/s on one core ({len(samples)} document types, {elapsed * 1000 / count:.1f} ms each)")
    return {"docx_per_s_per_core": round(count / elapsed, 1), "document_types": len(samples), "docx_ms": round(elapsed * 1000 / count, 2)}


def bench_pdf(samples: list[dict], count: int) -> dict:
    status = pdf_status()
    if not status.available:
        print(f"pdf: {status.message}")
        return {"pdf": status.message}
    blobs = [render_docx(s) for s in samples]
    started = time.perf_counter()
    with UnoServer() as converter:
        start_s = time.perf_counter() - started
        print(f"pdf: LibreOffice started in {start_s:.1f} s")
        converter.convert(blobs[0])
        started = time.perf_counter()
        for index in range(count):
            converter.convert(blobs[index % len(blobs)])
        elapsed = time.perf_counter() - started
    print(f"pdf: {count / elapsed:.1f} renditions/s ({elapsed * 1000 / count:.0f} ms each, one persistent LibreOffice)")
    return {"pdf_per_s": round(count / elapsed, 2), "pdf_ms": round(elapsed * 1000 / count), "libreoffice_start_s": round(start_s, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--pdfs", type=int, default=20)
    parser.add_argument("--json", help="where to write the figures (default bench/out/documents.json)")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    samples = snapshots()
    write_result("documents", {**bench_docx(samples, args.seconds), **bench_pdf(samples, args.pdfs)}, args.json)


if __name__ == "__main__":
    main()
