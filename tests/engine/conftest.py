import pytest

from api.bootstrap import build_runtime
from engine.db import get_engine
from tests.conftest import ENGINE_MODELS
from tests.factories import seed_agencies


@pytest.fixture
def runtime(db_url):
    engine = get_engine(db_url)
    yield build_runtime(bpmn_dir=ENGINE_MODELS, engine=engine)
    engine.dispose()


@pytest.fixture
def agencies(runtime):
    return seed_agencies(runtime.engine)


@pytest.fixture
def inspection_runtime(app_runtime):
    """The runtime on the real models in bpmn, with Suichuan's agencies."""
    return app_runtime, seed_agencies(app_runtime.engine)
