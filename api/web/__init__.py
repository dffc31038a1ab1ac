"""The web interface officers, reviewers and supervisors work in: server-rendered pages at `/`.

Pages call the same services (api/services) and the same authorization (api/authz) as /api/v1.
"""

from fastapi import APIRouter

from api.web import admin, auth, cases, files, home, start, tasks

router = APIRouter(include_in_schema=False)
for module in (auth, home, cases, files, start, tasks, admin):
    router.include_router(module.router)
