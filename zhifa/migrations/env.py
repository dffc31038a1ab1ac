"""Alembic environment: the schema is the SQLModel metadata of every zhifa domain."""

from alembic import context
from sqlmodel import SQLModel

from zhifa.engine.db import get_engine
from zhifa.model_registry import import_all_models

import_all_models()
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = get_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
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
