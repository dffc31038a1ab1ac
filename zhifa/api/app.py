"""The FastAPI application: `create_app()` for uvicorn, everything under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI

from zhifa.api import errors
from zhifa.api.routes import auth, cases, decisions, health, records, tasks, users
from zhifa.engine.runtime import Runtime
from zhifa.settings import Settings, get_settings

API_PREFIX = "/api/v1"


def create_app(runtime: Runtime | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app on a runtime (default: from settings, migrating the database and loading the models)."""
    settings = settings or get_settings()
    if runtime is None:
        from zhifa.bootstrap import build_runtime

        runtime = build_runtime(settings)
    app = FastAPI(title="zhifa 应急管理综合行政执法", version="0.1.0", openapi_url=f"{API_PREFIX}/openapi.json",
                  docs_url=f"{API_PREFIX}/docs", redoc_url=None,
                  swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect")
    app.state.runtime = runtime
    app.state.settings = settings
    errors.install(app)
    for module in (health, auth, users, cases, records, tasks, decisions):
        app.include_router(module.router, prefix=API_PREFIX)
    return app
