"""The first page after login: 待办 for those who handle cases, the assigned case files for a supervisor,
the accounts for an administrator."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

from api.casefile_review.review_inbox import review_items
from api.identity.service import today
from api.services import case_handling as cases
from api.services import task_inbox as tasks
from api.web.deadline_badges import badge
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.templating import render
from engine.vocab import CaseStatus, Role

router = page_router()


@router.get("/")
def inbox(request: Request, user: WebUser):
    if user.has_role(Role.admin) and len(user.roles) == 1:
        return RedirectResponse("/admin/users", status_code=303)
    if user.has_role(Role.grid_member) and len(user.roles) == 1:
        return RedirectResponse("/grid", status_code=303)
    runtime = request.app.state.runtime
    day = today()
    items = [(task, badge(task.due_on, day, task.due_at)) for task in tasks.inbox(runtime, user)]
    reviews = None
    if user.has_role(Role.supervisor):
        filters = cases.CaseFilters(status=CaseStatus.archived, page_size=100)
        reviews = cases.list_cases(runtime.engine, user, filters).items
    review_todo = review_items(runtime.engine, user)
    return render(request, "inbox.html", items=items, reviews=reviews, review_todo=review_todo, nav="inbox")
