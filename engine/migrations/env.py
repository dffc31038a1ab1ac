"""Alembic environment. Migrations are plain `op` scripts; `target_metadata` (for comparing the schema with
the models) is what the caller puts in `config.attributes`, since the engine does not import the rooms
above it that define tables too (see `api.model_registry`)."""

from alembic import context
from sqlmodel import SQLModel

from engine.db import WRITES, get_engine

target_metadata = context.config.attributes.get("target_metadata", SQLModel.metadata)


def run_migrations_online() -> None:
    engine = get_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.execution_options(**{WRITES: True}).connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
