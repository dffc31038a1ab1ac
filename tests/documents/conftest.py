import pytest
from sqlmodel import Session, SQLModel, create_engine

import zhifa.documents.models  # noqa: F401  (registers the tables)


@pytest.fixture
def sqlite_session(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'documents.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()
