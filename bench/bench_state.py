"""State size per case, and the dossier build time, for a full general-procedure case with hearing and review.

The case is the procedure test E2 (tests/procedure/test_e2_profiles_and_hearing.py, Jiangxi profile):
filing, investigation, notice, a hearing requested and held, legal review, collective discussion,
decision, service, publication, payment, closing, archiving; the test's own assertions run too.
It runs on a throwaway PostgreSQL with the object store in a directory. Reported at closing: the
serialized workflow (bytes, and gzip-compressed), the case's rows in the database (pg_column_size
of each row, indexes not counted), and its objects (rendered .docx, and PDFs when LibreOffice is
available). Then the dossier (卷宗) is built through the persistent LibreOffice and timed; then once more with
the case grown to 40 issued documents by the records a long investigation adds one by one (询问笔录, 勘验笔录,
现场笔录, 抽样取证凭证), issued, rendered and converted as the steps and the worker do.
Prints figures; never fails on time.

    python bench/bench_state.py [--json PATH]
"""

from __future__ import annotations

import argparse
import gzip
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from common import new_database, postgres, write_result
from sqlmodel import Session

from api.bootstrap import build_runtime, object_store
from documents.dossier import build_dossier
from documents.issuing import issue_documents
from documents.models import IssuedDocument
from documents.pdf import UnoServer, pdf_status
from documents.rendition import convert_pending, render_pending
from engine import clock
from engine.calendar import SHANGHAI
from engine.db import get_engine, transaction
from engine.models import Agency, Case, WorkflowState
from engine.settings import get_settings
from tests.documents.examples import complete_values
from tests.factories import seed_agencies
from tests.procedure.driver import CaseDriver
from tests.procedure.test_e2_profiles_and_hearing import test_e2_jiangxi_profile_hearing_requested_held_and_reviewed

RECORDS = ["inquiry_record", "site_survey_record", "onsite_record", "sampling_voucher"]
CASE_TABLES = ("case", "workflow_state", "task", "record_event", "document_issued", "evidence", "case_member")


def use_profile(name: str) -> None:
    os.environ["ZHIFA_RULES_PROFILE"] = name
    get_settings.cache_clear()


def row_bytes(engine: sa.Engine, case_id: int) -> dict[str, int]:
    sizes = {}
    with engine.connect() as conn:
        for table in CASE_TABLES:
            key = "id" if table == "case" else "case_id"
            sizes[table] = conn.execute(sa.text(f'SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM "{table}" t '
                                                f"WHERE {key} = :case_id"), {"case_id": case_id}).scalar()
    return sizes


def timed_dossier(engine: sa.Engine, store, settings, case_id: int, out_dir: Path) -> dict:
    """Render and convert what is pending, then build the case's dossier and time the build."""
    while render_pending(engine, store):
        pass
    started = time.perf_counter()
    with UnoServer(settings.uno_dir) as converter:
        figures = {"libreoffice_start_s": round(time.perf_counter() - started, 1)}
        started = time.perf_counter()
        while convert_pending(engine, store, converter):
            pass
        figures["pdf_renditions_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with Session(engine) as session:
            result = build_dossier(session, store, case_id, out_dir, converter=converter)
        figures.update(build_s=round(time.perf_counter() - started, 1), documents=len(result.entries),
                       pages=result.page_count, pdf_kb=round(result.pdf_path.stat().st_size / 1024),
                       zip_kb=round(result.zip_path.stat().st_size / 1024))
    return figures


def grow_to(engine: sa.Engine, case_id: int, documents: int) -> int:
    """Issue investigation records on the case until it has `documents` issued documents; returns how many."""
    with transaction(engine) as session:
        case = session.get(Case, case_id)
        have = session.scalar(sa.select(sa.func.count()).select_from(IssuedDocument).where(IssuedDocument.case_id == case_id))
        extra = [RECORDS[i % len(RECORDS)] for i in range(max(0, documents - have))]
        issue_documents(session, case_id=case_id, agency_code=session.get(Agency, case.agency_id).code, doc_ids=extra,
                        values=complete_values(), issued_at=clock.now())
    return have + len(extra)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="where to write the figures (default bench/out/state.json)")
    args = parser.parse_args()
    with postgres() as server, tempfile.TemporaryDirectory(prefix="zhifa-bench-state-") as tmp:
        url = new_database(server)
        os.environ.update({"ZHIFA_DATABASE_URL": url, "ZHIFA_DATA_DIR": tmp})
        os.environ.pop("ZHIFA_S3_ENDPOINT", None)
        get_settings.cache_clear()
        engine = get_engine(url)
        runtime = build_runtime(engine=engine)
        agencies = seed_agencies(engine)
        frozen = clock.FrozenClock(datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI))
        clock.set_clock(frozen)
        try:
            case = CaseDriver(runtime, frozen, agencies.township, agencies.county)
            test_e2_jiangxi_profile_hearing_requested_held_and_reviewed(case, agencies, use_profile)
        finally:
            clock.set_clock(None)
        case_id = case.case.id
        with Session(engine) as session:
            state = session.get(WorkflowState, case_id).state.encode()
        store = object_store()
        settings = get_settings()
        while render_pending(engine, store):
            pass
        status = pdf_status(settings.uno_dir)
        dossier = {"available": status.available, "message": status.message}
        if status.available:
            dossier.update(timed_dossier(engine, store, settings, case_id, Path(tmp) / "dossiers"))
        objects = sum(p.stat().st_size for p in settings.objects_dir.rglob("*") if p.is_file())
        rows = row_bytes(engine, case_id)
        if status.available:  # after the per-case figures: the records added here are not the E2 case's
            issued = grow_to(engine, case_id, 40)
            dossier["forty"] = {"issued": issued, **timed_dossier(engine, store, settings, case_id, Path(tmp) / "dossier-40")}
        result = {"case": "E2: general procedure, hearing requested and held, legal review, collective discussion",
                  "steps": len(case.steps), "documents": case.documents(),
                  "workflow_state_bytes": len(state), "workflow_state_gzip_bytes": len(gzip.compress(state)),
                  "database_row_bytes": rows, "database_bytes": sum(rows.values()), "object_bytes": objects,
                  "dossier": dossier}
        engine.dispose()
    print(f"workflow state {len(state) / 1024:.1f} KB (gzip {result['workflow_state_gzip_bytes'] / 1024:.1f} KB), "
          f"database {result['database_bytes'] / 1024:.1f} KB, objects {objects / 1024:.1f} KB, dossier {dossier}")
    write_result("state", result, args.json)


if __name__ == "__main__":
    main()
