"""Imports every module that defines tables, so SQLModel.metadata (and Alembic) sees the whole schema."""

import importlib

MODEL_MODULES = [
    "engine.models",
    "engine.sequences",
    "api.identity.models",
    "api.idempotency.models",
    "documents.models",
    "documents.evidence.models",
    "documents.publication.models",
    "api.casefile_review.models",
    "api.hazards.models",
    "api.targets.models",
    "engine.powers.models",
    "api.plans.models",
]


def import_all_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
