"""Imports every module that defines tables, so SQLModel.metadata (and Alembic) sees the whole schema."""

import importlib

MODEL_MODULES = [
    "zhifa.engine.models",
    "zhifa.engine.sequences",
    "zhifa.identity.models",
    "zhifa.documents.models",
    "zhifa.evidence.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
