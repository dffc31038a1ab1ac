"""Decisions revoked on reconsideration or litigation (已撤销), as a step hook.

A step whose model names `revokesDocuments` (an expression giving document numbers, e.g. the remedy result's
`[decision_number] if outcome == 'revoked' else []`) marks those documents of the case revoked in its transaction:
they stay in the file with their numbers, marked, and the instrument named by `revokedBy` (the 复议决定书 or
判决书 number) is kept with them. A revoked decision is not void: its number was rightly issued and is never reused.
"""

from __future__ import annotations

from sqlmodel import select

from documents.models import IssuedDocument
from engine import clock
from engine.rules import environment
from engine.runtime import StepContext


def revoke_step_documents(context: StepContext) -> None:
    if not context.task.revokes:
        return
    numbers = [n for n in environment.evaluate(context.task.revokes, context.workflow_data) or () if n]
    if not numbers:
        return
    by = str(context.workflow_data.get(context.task.revoked_by) or "")[:100] if context.task.revoked_by else None
    rows = context.session.exec(select(IssuedDocument).where(
        IssuedDocument.case_id == context.case.id, IssuedDocument.number.in_(numbers),
        IssuedDocument.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = clock.now()
        row.revoked_by = by
        context.session.add(row)
        context.outputs.append({"document_revoked": row.id, "number": row.number, "revoked_by": by})
    context.session.flush()
