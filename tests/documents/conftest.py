import pytest
from sqlmodel import Session, SQLModel, create_engine

import documents.models  # noqa: F401  (registers the tables)


@pytest.fixture
def sqlite_session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'documents.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture(scope="session")
def pdf_converter():
    """One persistent LibreOffice for the whole session (started by scripts/setup-system.sh's unoserver)."""
    from documents.pdf import UnoServer, pdf_status

    status = pdf_status()
    if not status.available:
        pytest.fail(status.message, pytrace=False)
    with UnoServer() as converter:
        yield converter
