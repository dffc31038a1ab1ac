import pytest

from engine.settings import get_settings
from tests.factories import seed_agencies
from tests.procedure.driver import CaseDriver


@pytest.fixture
def use_profile(monkeypatch):
    """Choose the rules profile for the deployment (ZHIFA_RULES_PROFILE)."""
    def choose(name: str) -> None:
        monkeypatch.setenv("ZHIFA_RULES_PROFILE", name)
        get_settings.cache_clear()
    return choose


@pytest.fixture
def runtime(app_runtime):
    return app_runtime


@pytest.fixture
def agencies(runtime):
    return seed_agencies(runtime.engine)


@pytest.fixture
def county_case(runtime, agencies, frozen_clock):
    return CaseDriver(runtime, frozen_clock, agencies.county, agencies.county)


@pytest.fixture
def township_case(runtime, agencies, frozen_clock):
    return CaseDriver(runtime, frozen_clock, agencies.township, agencies.county)
