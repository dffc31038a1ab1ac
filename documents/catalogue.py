"""The document catalogue (DOMAIN.md §7) loaded from `catalogue.yaml` and validated.

Every enforcement document has a stable id that BPMN tasks name in their `documents`
property; the catalogue says its title, numbering code, fields, signers and archive order.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from documents.labels import LABELS
from engine.errors import ModelError, NotFound

CATALOGUE_FILE = Path(__file__).with_name("catalogue.yaml")


class FieldType(StrEnum):
    text = "text"
    longtext = "longtext"
    date = "date"
    datetime = "datetime"
    amount = "amount"
    integer = "integer"
    party = "party"
    officers = "officers"
    items = "items"
    enum = "enum"  # a machine value printed by its Chinese label (documents/labels.py)


class Signer(StrEnum):
    officers = "officers"
    party = "party"
    site_responsible = "site_responsible"
    inquired_person = "inquired_person"
    agency_head = "agency_head"
    legal_reviewer = "legal_reviewer"
    hearing_host = "hearing_host"
    recorder = "recorder"
    witness = "witness"
    attendees = "attendees"
    recipient = "recipient"
    server = "server"
    seal = "seal"

    @property
    def label(self) -> str:
        return LABELS["signer"][self.value]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    type: FieldType
    required: bool
    labels: str | None = None  # for an enum: its vocabulary in documents/labels.py

    @model_validator(mode="after")
    def _labels_only_for_enums(self) -> ColumnSpec:
        if (self.type == FieldType.enum) != (self.labels is not None):
            raise ValueError(f"field {self.name}: `labels` are required for enum and only for enum")
        if self.labels is not None and self.labels not in LABELS:
            raise ValueError(f"field {self.name}: no label table {self.labels} in documents/labels.py")
        return self


class FieldSpec(ColumnSpec):
    columns: tuple[ColumnSpec, ...] = ()

    @model_validator(mode="after")
    def _columns_only_for_items(self) -> FieldSpec:
        if (self.type == FieldType.items) != bool(self.columns):
            raise ValueError(f"field {self.name}: `columns` are required for items and only for items")
        return self


class DocumentSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    code: str | None
    archive_order: int = Field(ge=0)
    signers: tuple[Signer, ...]
    fields: tuple[FieldSpec, ...]
    part_of_dossier: bool = False

    @model_validator(mode="after")
    def _unique_field_names(self) -> DocumentSpec:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"document {self.id}: duplicate field names")
        return self

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def is_decision(self) -> bool:
        """Decisions carry the remedies paragraph (reconsideration / litigation)."""
        return self.title.endswith("决定书")


class Issuer(_Strict):
    name: str
    short: str


class EntrustedAgency(_Strict):
    issuer: str
    sub_series: str | None = None


class NumberingConfig(_Strict):
    scope: Literal["issuer_code_year", "case"]
    pattern: str
    case_pattern: str
    default_issuer: str
    issuers: dict[str, Issuer]
    entrusted: dict[str, EntrustedAgency] = {}

    @model_validator(mode="after")
    def _issuers_known(self) -> NumberingConfig:
        known = set(self.issuers)
        if self.default_issuer not in known:
            raise ValueError(f"default_issuer {self.default_issuer} is not among issuers")
        for agency, entry in self.entrusted.items():
            if entry.issuer not in known:
                raise ValueError(f"entrusted agency {agency}: unknown issuer {entry.issuer}")
        return self


class Remedies(_Strict):
    reconsideration_body: str
    reconsideration_days: int
    court: str
    litigation_months: int


class Catalogue(_Strict):
    numbering: NumberingConfig
    remedies: Remedies
    documents: tuple[DocumentSpec, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        ids = [d.id for d in self.documents]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate document ids")
        orders = [d.archive_order for d in self.documents]
        if len(orders) != len(set(orders)):
            raise ValueError("duplicate archive_order values")
        return self

    def get(self, doc_id: str) -> DocumentSpec:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise NotFound(f"文书目录中没有编号为「{doc_id}」的文书", details={"document": doc_id})

    def in_archive_order(self) -> list[DocumentSpec]:
        return sorted(self.documents, key=lambda d: d.archive_order)


def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    """Read and validate a catalogue file; a broken file raises ModelError naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Catalogue.model_validate(data)
    except (yaml.YAMLError, ValidationError, OSError) as exc:
        raise ModelError(f"文书目录文件 {path.name} 无效：{exc}", details={"file": str(path)}) from exc


@lru_cache
def get_catalogue() -> Catalogue:
    return load_catalogue()
