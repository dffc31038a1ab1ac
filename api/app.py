"""The FastAPI application: `create_app()` for uvicorn, everything under /api/v1."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import errors, web
from api.routes import auth, cases, decisions, documents, evidence, health, records, tasks, users
from engine.runtime import Runtime
from engine.settings import Settings, get_settings

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "static"


def create_app(runtime: Runtime | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app on a runtime (default: from settings, migrating the database and loading the models)."""
    settings = settings or get_settings()
    if runtime is None:
        from api.bootstrap import build_runtime

        runtime = build_runtime(settings)
    app = FastAPI(title="zhifa 应急管理综合行政执法", version="0.1.0", openapi_url=f"{API_PREFIX}/openapi.json",
                  docs_url=f"{API_PREFIX}/docs", redoc_url=None,
                  swagger_ui_oauth2_redirect_url=f"{API_PREFIX}/docs/oauth2-redirect")
    app.state.runtime = runtime
    app.state.settings = settings
    errors.install(app)
    for module in (health, auth, users, cases, records, tasks, decisions, evidence, documents):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
