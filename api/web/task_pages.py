"""A task's page: its form rendered from the JSON Schema, prefilled from the case, and its completion."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from api import authz
from api.deps import get_store
from api.downloads import download_response
from api.identity.service import today
from api.officer_eligibility import OFFICERS_FIELD
from api.services import dossier_files, record_issuing, signature_upload
from api.services import task_inbox as tasks
from api.web import form_schema
from api.web.case_file_panel import CASE_FILE_STEPS, case_file
from api.web.officers import officer_choices
from api.web.routing import page_router
from api.web.session import WebUser
from api.web.step_summaries import step_summaries
from api.web.templating import render
from documents.catalogue import get_catalogue
from documents.evidence.custody import list_evidence
from documents.evidence.models import EvidenceType
from engine.errors import Conflict, Forbidden, NotFound, ValidationFailed
from engine.models import Case, Task
from engine.settings import get_settings

router = page_router()
TaskId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[0-9a-fA-F-]+$")]
DocId = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
EVIDENCE_FIELD = "evidence_ids"  # a record's evidence: ticked from the case's items, not typed


def _document_titles(doc_ids: list[str]) -> list[str]:
    catalogue = get_catalogue()
    return [catalogue.get(doc_id).title for doc_id in doc_ids if doc_id]


def _refusal(runtime, session: Session, user, case: Case, task: Task) -> str | None:
    """Why the user may not complete this task (not their lane or agency, or they investigated the case), if so.

    The completion's own authorizer answers, before any form data is known: its data checks come last.
    """
    try:
        authz.task_authorizer(user.id)(session, case, task)
    except Forbidden as exc:
        return exc.message
    except ValidationFailed:
        pass
    return None


def _page(request: Request, user, task_id: str, *, values: dict | None = None, errors: dict | None = None,
          message: str | None = None, status_code: int = 200):
    runtime = request.app.state.runtime
    detail = tasks.task_detail(runtime, user, task_id)
    with Session(runtime.engine) as session:
        case = session.get(Case, detail.case.id)
        choices = officer_choices(session, case, today())
        refusal = _refusal(runtime, session, user, case, session.get(Task, task_id))
        current = [runtime.specs.latest(pid) for pid in sorted(runtime.specs.current)]
        labels = form_schema.known_labels([runtime.process_of(session, case), *current])
        earlier = step_summaries(runtime, session, case, labels)
        beside = case_file(runtime, session, case, labels) if detail.task.bpmn_id in CASE_FILE_STEPS else None
    if values is None:
        values = dict(detail.prefill)
        values.setdefault(OFFICERS_FIELD, [c.entry() for c in choices if c.user_id == user.id and c.valid])
    return render(request, "task.html", status_code=status_code, detail=detail, task=detail.task, case=detail.case,
                  schema=detail.form, values=values, errors=errors or {}, message=message, refusal=refusal,
                  earlier=earlier, case_file=beside, officers=choices, document_titles=_document_titles(detail.documents),
                  widget=form_schema.widget, options=lambda schema: form_schema.options(schema, labels),
                  datetime_value=form_schema.datetime_input_value, capitals=form_schema.capitals,
                  evidence_types=list(EvidenceType), nav="inbox")


@router.get("/amounts/capitals")
def amount_capitals(request: Request, user: WebUser):
    """The Chinese capital form of the amount being typed into a money field (the field's name varies)."""
    value = next(iter(request.query_params.values()), "")
    return PlainTextResponse(form_schema.capitals(value[:20]))


@router.get("/tasks/{task_id}")
def task_page(request: Request, task_id: TaskId, user: WebUser):
    return _page(request, user, task_id)


@router.post("/tasks/{task_id}/signature", status_code=201)
async def party_signature(request: Request, task_id: TaskId, user: WebUser) -> signature_upload.SignatureOut:
    """The party's drawn signature (a PNG body), stored as evidence; the form then carries its id."""
    return await signature_upload.upload(request, request.app.state.runtime.engine, get_store(request), user, task_id)


@router.get("/tasks/{task_id}/dossier.pdf")
def task_dossier(request: Request, task_id: TaskId, user: WebUser):
    """The case's dossier as it stands, for the pages that show the case file beside the form."""
    engine = request.app.state.runtime.engine
    with Session(engine) as session:
        task, case = authz.visible_task(session, user, task_id)
        if task.bpmn_id not in CASE_FILE_STEPS:
            raise NotFound("本环节不提供卷宗预览", code="no_dossier_preview", details={"task_id": task_id})
    return download_response(dossier_files.working_dossier(engine, get_store(request), get_settings(), user, case.id))


@router.post("/tasks/{task_id}")
async def complete(request: Request, task_id: TaskId, user: WebUser):
    form = await request.form()
    return await run_in_threadpool(_complete, request, user, task_id, form)


def _complete(request: Request, user, task_id: str, form: FormData):
    runtime = request.app.state.runtime
    detail = tasks.task_detail(runtime, user, task_id)
    with Session(runtime.engine) as session:
        choices = officer_choices(session, session.get(Case, detail.case.id), today())
    data = form_schema.read_form(detail.form, form, {c.user_id: c.entry() for c in choices})
    try:
        tasks.complete(runtime, user, task_id, data)
    except Conflict as exc:
        return render(request, "conflict.html", status_code=409, case=detail.case, task=detail.task, message=exc.message)
    except ValidationFailed as exc:
        errors = form_schema.field_errors(exc.details)
        if exc.code in ("two_officers_required", "officer_not_eligible"):
            # the officers are checked before the form: show the form's own errors in the same round
            errors = {**form_schema.schema_errors(detail.form, data), OFFICERS_FIELD: exc.message}
        return _page(request, user, task_id, values=data, errors=errors, message=exc.message, status_code=422)
    return RedirectResponse(f"/cases/{detail.case.id}?done={task_id}", status_code=303)


# ---- records made one by one while the task is open (询问笔录, 勘验笔录 ...) -------------------
@router.get("/tasks/{task_id}/records/{doc_id}")
def record_page(request: Request, task_id: TaskId, doc_id: DocId, user: WebUser):
    return _record_page(request, user, task_id, doc_id)


@router.post("/tasks/{task_id}/records/{doc_id}")
async def issue_record(request: Request, task_id: TaskId, doc_id: DocId, user: WebUser):
    form = await request.form()
    return await run_in_threadpool(_issue_record, request, user, task_id, doc_id, form)


def _record_kind(detail, doc_id: str):
    kind = next((k for k in detail.records if k.doc_id == doc_id), None)
    if kind is None:
        raise NotFound("本环节不能制作该文书", code="record_not_allowed", details={"doc_id": doc_id})
    return kind


def _record_page(request: Request, user, task_id: str, doc_id: str, *, values: dict | None = None,
                 errors: dict | None = None, message: str | None = None, status_code: int = 200):
    runtime = request.app.state.runtime
    detail = tasks.task_detail(runtime, user, task_id)
    kind = _record_kind(detail, doc_id)
    with Session(runtime.engine) as session:
        case = session.get(Case, detail.case.id)
        choices = officer_choices(session, case, today())
        refusal = _refusal(runtime, session, user, case, session.get(Task, task_id))
        evidence = [(item.id, f"{item.filename or item.description or '证据'}（{item.type_label}）")
                    for item in list_evidence(session, case.id)]
        labels = form_schema.known_labels([runtime.process_of(session, case)])
    if values is None:
        values = {OFFICERS_FIELD: [c.entry() for c in choices if c.user_id == user.id and c.valid]}
    schema = {**kind.form, "properties": {k: v for k, v in kind.form["properties"].items() if k != EVIDENCE_FIELD}}
    return render(request, "record.html", status_code=status_code, detail=detail, task=detail.task, case=detail.case,
                  kind=kind, schema=schema, values=values, errors=errors or {}, message=message, refusal=refusal,
                  officers=choices, evidence=evidence, evidence_field=EVIDENCE_FIELD, widget=form_schema.widget,
                  options=lambda schema: form_schema.options(schema, labels),
                  datetime_value=form_schema.datetime_input_value, capitals=form_schema.capitals, nav="inbox")


def _issue_record(request: Request, user, task_id: str, doc_id: str, form: FormData):
    runtime = request.app.state.runtime
    detail = tasks.task_detail(runtime, user, task_id)
    kind = _record_kind(detail, doc_id)
    with Session(runtime.engine) as session:
        choices = officer_choices(session, session.get(Case, detail.case.id), today())
    data = form_schema.read_form(kind.form, form, {c.user_id: c.entry() for c in choices})
    data[EVIDENCE_FIELD] = [int(v) for v in form.getlist(EVIDENCE_FIELD) if isinstance(v, str) and v.isdigit()]
    try:
        issued = record_issuing.issue(runtime, user, task_id, doc_id, data)
    except Conflict as exc:
        return render(request, "conflict.html", status_code=409, case=detail.case, task=detail.task, message=exc.message)
    except ValidationFailed as exc:
        errors = {**form_schema.schema_errors(kind.form, data), **form_schema.field_errors(exc.details)}
        return _record_page(request, user, task_id, doc_id, values=data, errors=errors, message=exc.message,
                            status_code=422)
    return RedirectResponse(f"/tasks/{task_id}?record={issued.document_id}", status_code=303)
