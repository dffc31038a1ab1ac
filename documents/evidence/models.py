"""Evidence items (APL Art. 46) and the registry of tables that reference stored objects."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from pydantic import Field as PydanticField
from sqlmodel import JSON, Column, Field, SQLModel

from documents.models import IssuedDocument
from engine.types import UTCDateTime


class EvidenceType(StrEnum):
    """证据种类, 行政处罚法第四十六条."""

    documentary = "documentary"
    physical = "physical"
    audio_video = "audio_video"
    electronic_data = "electronic_data"
    witness_testimony = "witness_testimony"
    party_statement = "party_statement"
    expert_opinion = "expert_opinion"
    inspection_record = "inspection_record"

    @property
    def label(self) -> str:
        return EVIDENCE_TYPE_LABELS[self]


EVIDENCE_TYPE_LABELS: dict[EvidenceType, str] = {
    EvidenceType.documentary: "书证",
    EvidenceType.physical: "物证",
    EvidenceType.audio_video: "视听资料",
    EvidenceType.electronic_data: "电子数据",
    EvidenceType.witness_testimony: "证人证言",
    EvidenceType.party_statement: "当事人陈述",
    EvidenceType.expert_opinion: "鉴定意见",
    EvidenceType.inspection_record: "勘验笔录、现场笔录",
}


class Evidence(SQLModel, table=True):
    """One evidence item attached to a case (and optionally the task that collected it).

    A transfer to another case adds a row there that references the same stored object
    (`transferred_from_id` points at the original); bytes are never copied.
    """

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    task_id: str | None = Field(default=None, max_length=36, index=True)
    type: EvidenceType = Field(sa_column=Column(sa.String(30), nullable=False))
    collected_by: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    collected_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    place: str = Field(default="", max_length=300)
    gps_lat: float | None = None
    gps_lon: float | None = None
    device: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=Column(sa.Text, nullable=False, default=""))
    object_key: str = Field(max_length=64, index=True)
    size: int = Field(sa_column=Column(sa.BigInteger, nullable=False))
    sha256: str = Field(max_length=64)
    content_type: str = Field(default="application/octet-stream", max_length=200)
    filename: str = Field(default="", max_length=255)
    uploaded_by: int | None = None
    uploaded_by_name: str = Field(default="", max_length=100)
    transferred_from_id: int | None = Field(default=None, foreign_key="evidence.id")
    created_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=False))

    @property
    def type_label(self) -> str:
        return EvidenceType(self.type).label


class EvidenceMeta(BaseModel):
    """What the collecting officer states about an item at upload."""

    type: EvidenceType
    collected_by: list[str] = PydanticField(min_length=1, description="收集(提取)证据的执法人员")
    collected_at: datetime
    place: str = PydanticField(default="", max_length=300)
    gps_lat: float | None = PydanticField(default=None, ge=-90, le=90)
    gps_lon: float | None = PydanticField(default=None, ge=-180, le=180)
    device: str = PydanticField(default="", max_length=200)
    description: str = PydanticField(default="", max_length=5000)
    filename: str = ""
    content_type: str = PydanticField(default="application/octet-stream", max_length=200)


_UNSAFE_FILENAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
# bidirectional controls make 「照片\u202egpj.exe」 read as 「照片exe.jpg」: removed, not replaced
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def sanitize_filename(name: str) -> str:
    """Keep a display name only: no directories, control, bidi or reserved characters, at most 200 chars."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = _BIDI_CONTROLS.sub("", name)
    name = _UNSAFE_FILENAME_CHARS.sub("_", name).strip().lstrip(".")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 16 else name[:200]
    return name or "未命名文件"


@dataclass(frozen=True)
class ObjectReference:
    """A column naming stored objects, with the SHA-256 column recorded beside it.

    `zhifa storage gc` keeps every object any registered column names, `verify` re-hashes against
    the recorded SHA-256, archiving locks the objects of a case. A table that stores objects must be
    listed here: an unlisted one would have its objects collected by gc.
    """

    model: Any
    key: str
    sha256: str
    case: str = "case_id"


OBJECT_REFERENCES: list[ObjectReference] = [
    ObjectReference(Evidence, key="object_key", sha256="sha256"),
    ObjectReference(IssuedDocument, key="docx_object_key", sha256="docx_sha256"),
    ObjectReference(IssuedDocument, key="pdf_object_key", sha256="pdf_sha256"),
]
