"""The FastAPI application: `create_app()` for uvicorn; the API under /api/v1, its description at /openapi.json and /docs.

Configuration is `engine.settings.get_settings()` alone (the app keeps no copy of its own).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from api import deps, error_responses, web
from api.body_guard import BodyGuard
from api.casefile_review import review_routes
from api.hazards import views as hazard_views
from api.identity.security import secret_key
from api.plans import views as plan_views
from api.powers import views as power_views
from api.routes import (
    agency_admin,
    auth,
    cases,
    catalogues,
    decisions,
    docs,
    documents,
    evidence,
    health,
    public,
    records,
    review,
    stats,
    tasks,
    users,
)
from api.targets import views as target_views
from engine.runtime import Runtime

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "static"


def create_app(runtime: Runtime | None = None) -> FastAPI:
    """Build the app on a runtime (default: from settings, migrating the database and loading the models).

    A missing or too short signing key stops start-up here, not at the first login.
    """
    secret_key()
    if runtime is None:
        from api.bootstrap import build_runtime

        runtime = build_runtime()
    app = FastAPI(title="zhifa 应急管理综合行政执法", version="0.1.0", openapi_url=docs.OPENAPI_URL, docs_url=None,
                  redoc_url=None, dependencies=[Depends(deps.request_cache)])
    app.state.runtime = runtime
    error_responses.install(app)
    for module in (health, auth, users, agency_admin, catalogues, cases, records, tasks, decisions, evidence, documents, public,
                   review, review_routes, stats, target_views, power_views, plan_views):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(hazard_views.router, prefix=API_PREFIX)
    app.include_router(hazard_views.public_router, prefix=API_PREFIX)
    app.include_router(docs.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(BodyGuard, api_prefix=API_PREFIX)
    return app
