"""The documents a step declares: numbered and snapshotted in the step's transaction.

Installed as a runtime step hook. The numbers go into the case data
(`documents.<doc_id>`) so later steps and forms can cite them; each snapshot's
SHA-256 goes into the step's record event.
"""

from __future__ import annotations

import hashlib
import json

from documents.issuing import issue_documents
from documents.signatures import SIGNATURE_FIELD
from engine import clock
from engine.runtime import StepContext


def snapshot_sha256(snapshot: dict) -> str:
    text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _record(context: StepContext, document) -> None:
    context.outputs.append({"document_id": document.id, "doc_id": document.doc_id, "name": document.title,
                            "number": document.number, "sha256": snapshot_sha256(document.snapshot)})


def issue_step_documents(context: StepContext) -> None:
    if not context.task.documents and not context.task.documents_each:
        return
    agency = context.agency
    values = {"case_name": context.case.title or context.case.party_name, **context.workflow_data}
    doc_ids = [doc_id for doc_id in context.task.documents
               if flag_holds(context.task.documents_if.get(doc_id), context.workflow_data)]
    issued = issue_documents(context.session, case_id=context.case.id, agency_code=agency.code,
                             doc_ids=doc_ids, values=values, issued_at=clock.now(),
                             signature=context.data.get(SIGNATURE_FIELD))
    numbers = dict(context.workflow_data.get("documents") or {})
    for document in issued:
        numbers[document.doc_id] = document.number
        _record(context, document)
    if issued:
        context.data_updates["documents"] = numbers
    lists = dict.fromkeys(list_name for _, list_name, _ in context.task.documents_each)
    for list_name in lists:
        doc_ids = [doc_id for doc_id, name, flag in context.task.documents_each
                   if name == list_name and flag_holds(flag, context.workflow_data)]
        _issue_each(context, agency.code, doc_ids, list_name, values | {"documents": numbers})


def flag_holds(flag: str | None, data: dict) -> bool:
    """A document's condition in the model: none, `flag` (the case data's value is true) or `not flag`."""
    if flag is None:
        return True
    return (data.get(flag.removeprefix("not ")) is True) != flag.startswith("not ")


def _person_key(entry: dict) -> str | None:
    party = entry.get("party")
    return party.get("id_number") or party.get("name") if isinstance(party, dict) else None


def _earlier_numbers(data: dict, key: str | None) -> dict:
    """The numbers of documents an earlier step issued to the same party (e.g. the person's own 告知书, which
    the decision on him cites)."""
    found: dict = {}
    for value in data.values():
        for entry in value if isinstance(value, list) and key else ():
            if isinstance(entry, dict) and _person_key(entry) == key and isinstance(entry.get("documents"), dict):
                found |= entry["documents"]
    return found


def _own_rights(data: dict, key: str | None) -> dict:
    """How the same party used his rights (`person_rights`, engine.party_rights): his notice's service, his
    statement, his hearing request — what his decision states (APL Art. 59), not the unit's."""
    for entry in data.get("person_rights") or [] if key else ():
        if _person_key(entry) == key:
            return {name: value for name, value in entry.items() if name != "party" and value is not None}
    return {}


def _own_values(values: dict) -> dict:
    """What an entry (a penalised responsible person) does not take from the step's values: the unit's receipt
    recipient and place (his receipt names him), and the unit's hearing right (his is `person_hearing_eligible`)."""
    own: dict = {"recipient": None, "service_place": None}
    if isinstance(values.get("person_hearing_eligible"), bool):
        own["hearing_eligible"] = values["person_hearing_eligible"]
    return own


def _issue_each(context: StepContext, agency_code: str, doc_ids: list[str], list_name: str, values: dict) -> None:
    """The documents once per entry of the form's list `list_name` (e.g. a 行政处罚决定书 for each penalised
    responsible person): the entry's values over the step's; each entry keeps its documents' numbers
    (`documents`, and the first one's as `document_number`)."""
    entries = [dict(entry) for entry in context.workflow_data.get(list_name) or [] if isinstance(entry, dict)]
    for entry in entries if doc_ids else ():
        earlier = _earlier_numbers(context.workflow_data, _person_key(entry))
        entry_values = (values | _own_values(values) | _own_rights(context.workflow_data, _person_key(entry)) | entry
                        | {"documents": values["documents"] | earlier})
        issued = issue_documents(context.session, case_id=context.case.id, agency_code=agency_code,
                                 doc_ids=doc_ids, values=entry_values, issued_at=clock.now())
        entry["documents"] = {document.doc_id: document.number for document in issued}
        entry["document_number"] = issued[0].number
        for document in issued:
            _record(context, document)
    if entries:
        context.data_updates[list_name] = entries
