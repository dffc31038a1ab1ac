"""Issue and render documents for tests, and read a .docx back as text."""

from io import BytesIO

from docx import Document

from documents.issuing import issue_documents
from documents.render import render_docx

from .examples import ISSUED_AT, complete_values


def issue_one(session, doc_id, values=None, case_id=1):
    (document,) = issue_documents(
        session,
        case_id=case_id,
        agency_code="suichuan_em",
        doc_ids=[doc_id],
        values=values if values is not None else complete_values(doc_id),
        issued_at=ISSUED_AT,
    )
    return document


def docx_text(blob: bytes) -> str:
    """Every paragraph of the body and of every table cell, one per line."""
    document = Document(BytesIO(blob))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def render_one(session, doc_id, values=None):
    document = issue_one(session, doc_id, values)
    return document, render_docx(document.snapshot)
