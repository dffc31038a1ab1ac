"""The Alembic migrations build exactly the schema the models describe, and `zhifa db upgrade` applies them."""

import os
import subprocess
import sys

import sqlalchemy as sa
from alembic import command
from sqlmodel import SQLModel

from api.model_registry import import_all_models
from engine.db import alembic_config, get_engine, upgrade


def test_migrations_match_the_models_and_downgrade_cleanly(db_url):
    upgrade(db_url)
    import_all_models()
    config = alembic_config(db_url)
    config.attributes["target_metadata"] = SQLModel.metadata
    command.check(config)  # raises if the models and the migrated schema differ
    command.downgrade(alembic_config(db_url), "base")
    assert set(sa.inspect(get_engine(db_url)).get_table_names()) == {"alembic_version"}
    upgrade(db_url)
    assert {"case", "task", "record_event", "document_issued", "evidence", "app_user"} <= set(
        sa.inspect(get_engine(db_url)).get_table_names())


def test_db_upgrade_command_from_any_directory(zhifa_env):
    result = subprocess.run([sys.executable, "-m", "api", "db", "upgrade"], env={**os.environ, "ZHIFA_DATA_DIR": str(zhifa_env)},
                            capture_output=True, text=True, timeout=120, cwd="/")
    assert result.returncode == 0, result.stderr
    assert "数据库已升级到最新版本" in result.stdout
    assert "record_event" in sa.inspect(get_engine(f"sqlite:///{zhifa_env / 'zhifa.db'}")).get_table_names()
