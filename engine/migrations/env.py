"""Alembic environment. Migrations are plain `op` scripts; `target_metadata` (for comparing the schema with
the models) is what the caller puts in `config.attributes`, since the engine does not import the rooms
above it that define tables too (see `api.model_registry`)."""

from alembic import context
from sqlmodel import SQLModel

from engine.db import WRITES, get_engine

target_metadata = context.config.attributes.get("target_metadata", SQLModel.metadata)


def _on_dialect(dialect: str):
    """Compare only the objects the dialect creates (a PostgreSQL-only index is no difference on SQLite)."""
    def include(obj, _name, type_, _reflected, _compare_to) -> bool:
        only = getattr(obj, "_ddl_if", None) if type_ == "index" else None
        return only is None or only.dialect in (None, dialect)
    return include


def run_migrations_online() -> None:
    engine = get_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.execution_options(**{WRITES: True}).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=_on_dialect(connection.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
