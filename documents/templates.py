"""Document templates: one YAML file per catalogue document in `templates/`.

A template is a list of blocks; text blocks hold `{field}` or `{field.key}` placeholders that
are replaced in one pass by the formatted snapshot value, so a value is always text and can
never change the document's structure.

Blocks:
- `p: "text"` (optional `if: field`: only when that field has a value; `unless: field`: only when it has none;
  `align: right|center`)
- `fields: [field, ...]`: one "标签：值" line per field that has a value
- `grid: [field, ...]` or `grid: all`: a two-column label/value table (forms, 审批表)
- `table: field`: an items field as a table with its column labels
- `party`: the party block; `remedies`: reconsideration/litigation paragraph;
  `signatures`: signature lines for the document's signers; `seal`: issuing body, date, seal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from documents.catalogue import DocumentSpec, FieldType, get_catalogue
from engine.errors import ModelError

TEMPLATE_DIR = Path(__file__).with_name("templates")
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\.([a-z_]+))?\}")
BUILTINS = frozenset(
    {"number", "issuer", "issued_on", "case_number", "case_name", "reconsideration_body", "reconsideration_days", "court", "litigation_months",
     "you", "rights", "payment_word"}  # the last three resolve the formats' choices (documents.alternatives)
)


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Paragraph(_Block):
    p: str
    when: str | None = Field(default=None, alias="if")
    unless: str | None = None  # only when that field has no value
    align: Literal["right", "center"] | None = None


class Fields(_Block):
    fields: tuple[str, ...]


class Grid(_Block):
    grid: tuple[str, ...] | Literal["all"]


class Table(_Block):
    table: str


Block = Union[Literal["party", "remedies", "signatures", "seal"], Paragraph, Fields, Grid, Table]


class Template(_Block):
    addressee: str | None = None
    body: tuple[Block, ...]


_TEMPLATE = TypeAdapter(Template)


def _referenced(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        names = [m.group(1) for m in PLACEHOLDER.finditer(block.p)]
        return names + [name for name in (block.when, block.unless) if name]
    if isinstance(block, Fields):
        return list(block.fields)
    if isinstance(block, Grid):
        return [] if block.grid == "all" else list(block.grid)
    if isinstance(block, Table):
        return [block.table]
    return ["party"] if block == "party" else []


def _check(template: Template, doc: DocumentSpec, path: Path) -> None:
    names = [name for block in template.body for name in _referenced(block)]
    if template.addressee:
        names.append(template.addressee)
    unknown = sorted({n for n in names if n not in BUILTINS and doc.field(n) is None})
    if unknown:
        raise ModelError(f"文书模板 {path.name} 引用了目录中未定义的字段：{', '.join(unknown)}", details={"file": str(path)})
    for block in template.body:
        if isinstance(block, Table) and doc.field(block.table).type != FieldType.items:
            raise ModelError(f"文书模板 {path.name}：{block.table} 不是列表字段", details={"file": str(path)})


def load_template(doc: DocumentSpec, directory: Path = TEMPLATE_DIR) -> Template:
    path = directory / f"{doc.id}.yaml"
    try:
        template = _TEMPLATE.validate_python(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise ModelError(f"文书模板 {path.name} 无效：{exc}", details={"file": str(path)}) from exc
    _check(template, doc, path)
    return template


@lru_cache
def get_template(doc_id: str) -> Template:
    return load_template(get_catalogue().get(doc_id))
