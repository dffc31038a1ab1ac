"""The web interface officers, reviewers and supervisors work in: server-rendered pages at `/`.

Pages call the same services (api/services) and the same authorization (api/authz) as /api/v1.
"""

from fastapi import APIRouter

from api.casefile_review import review_pages, review_plan_pages
from api.plans import batch_pages, plan_pages, swap_pages
from api.powers import power_pages
from api.targets import pages as target_pages
from api.web import (
    account_pages,
    case_pages,
    dossier_pages,
    file_pages,
    hazard_pages,
    home_page,
    login_pages,
    public_pages,
    remedy_pages,
    start_page,
    statistics_pages,
    task_pages,
    user_pages,
)

router = APIRouter(include_in_schema=False)
for module in (login_pages, home_page, case_pages, file_pages, start_page, task_pages, user_pages,
               account_pages, dossier_pages, public_pages, review_plan_pages, review_pages, hazard_pages,
               target_pages, plan_pages, batch_pages, swap_pages, power_pages, remedy_pages, statistics_pages):
    router.include_router(module.router)
