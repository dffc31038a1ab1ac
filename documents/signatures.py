"""The party's signature on a document: drawn on the officer's screen, or refused before a witness.

A form asks for it in its `party_signature` field: `{"evidence_id": n}` names the PNG the party drew, stored
as an evidence item of the case (hashed and kept like every evidence); `{"refused": true, "witness": "…"}`
says the party would not sign. Task data only ever holds the reference. Issuing resolves it into the
snapshot (the object's key and SHA-256, the day it was drawn), so rendering stays a function of the
snapshot and the stored bytes, which are checked against that hash before they go into the .docx.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from io import BytesIO
from typing import Any

from docx.shared import Cm
from docx.text.paragraph import Paragraph
from sqlmodel import Session

from documents.amounts import chinese_date
from documents.evidence.models import Evidence
from engine.errors import InvalidState, ValidationFailed
from engine.objects import ObjectStore

SIGNATURE_FIELD = "party_signature"
SIGNATURE_TYPE = "image/png"
SIGNATURE_MAX_BYTES = 256 * 1024  # a drawn signature is a few KB; a photo passed off as one is refused
REFUSED_TEXT = "当事人拒绝签字"
IMAGE_HEIGHT = Cm(1.5)

ImageReader = Callable[[str, str], bytes]  # (object key, SHA-256) → the stored bytes


def _invalid(message: str, code: str = "signature_invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, details=[{"field": SIGNATURE_FIELD, "message": message}])


def resolve(session: Session, case_id: int, value: Any) -> dict | None:
    """What a snapshot keeps of the form's signature value; the drawn image must be a signature of this case."""
    if not isinstance(value, dict) or not value:
        return None
    if value.get("refused") is True:
        return {"refused": True, "witness": str(value.get("witness") or "").strip()}
    evidence = session.get(Evidence, value.get("evidence_id")) if type(value.get("evidence_id")) is int else None
    if evidence is None or evidence.case_id != case_id:
        raise _invalid("当事人签名图片不是本案的证据, 请重新签名")
    if evidence.content_type != SIGNATURE_TYPE or evidence.size > SIGNATURE_MAX_BYTES:
        raise _invalid("当事人签名须是签名板上签写的图片(PNG), 请重新签名")
    return {"evidence_id": evidence.id, "object_key": evidence.object_key, "sha256": evidence.sha256,
            "signed_at": evidence.collected_at.isoformat() if evidence.collected_at else None}


def refusal_text(signature: dict) -> str:
    """「当事人拒绝签字（见证人：张三）」, written where the party would have signed."""
    witness = signature.get("witness")
    return f"{REFUSED_TEXT}（见证人：{witness}）" if witness else REFUSED_TEXT


def write_signature(para: Paragraph, run, signature: dict, images: ImageReader | None, blank_date: str) -> None:
    """The rest of the party's signature line after its caption: the drawn image and its day, or the refusal."""
    if signature.get("refused"):
        run(para, f"{refusal_text(signature)}　　{blank_date}")
        return
    if images is None:
        raise ValueError("a snapshot with a drawn signature renders only with its stored image")
    para.add_run().add_picture(BytesIO(images(signature["object_key"], signature["sha256"])), height=IMAGE_HEIGHT)
    run(para, "　　" + (chinese_date(signature["signed_at"]) if signature.get("signed_at") else blank_date))


def stored_image(store: ObjectStore, key: str, sha256: str) -> bytes:
    """The stored signature, refused if it no longer matches the hash its snapshot recorded."""
    with store.open(key) as reader:
        data = reader.read(SIGNATURE_MAX_BYTES + 1)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise InvalidState("签名图片在对象存储中的内容与记录的哈希不符，可能已被篡改", code="object_tampered",
                           details={"key": key, "expected": sha256})
    return data
