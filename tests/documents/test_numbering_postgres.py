import threading

import pytest
from sqlmodel import Session, SQLModel, create_engine, select

from documents.issuing import issue_documents
from documents.models import IssuedDocument

from .examples import ISSUED_AT, complete_values

pytestmark = pytest.mark.postgres

WRITERS = 8
ROUNDS = 5


def test_concurrent_writers_get_gapless_unique_numbers(postgres_url):
    engine = create_engine(postgres_url, pool_size=WRITERS + 2)
    SQLModel.metadata.create_all(engine)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(case_id: int) -> None:
        try:
            for _ in range(ROUNDS):
                with Session(engine) as session:
                    barrier.wait(timeout=30)
                    issue_documents(
                        session,
                        case_id=case_id,
                        agency_code="suichuan_em",
                        doc_ids=["penalty_decision", "service_receipt"],
                        values=complete_values(),
                        issued_at=ISSUED_AT,
                    )
                    session.commit()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(case_id,)) for case_id in range(1, WRITERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    with Session(engine) as session:
        decisions = session.exec(select(IssuedDocument.sequence).where(IssuedDocument.doc_id == "penalty_decision")).all()
        receipts = session.exec(select(IssuedDocument.number).where(IssuedDocument.doc_id == "service_receipt")).all()
    engine.dispose()
    total = WRITERS * ROUNDS
    assert sorted(decisions) == list(range(1, total + 1))
    assert sorted(receipts) == sorted(f"（遂）应急回〔2026〕{n}号" for n in range(1, total + 1))
