"""Shared fixtures. Real services (PostgreSQL, S3) come from tests/services/*, started once per session."""

pytest_plugins = [
    "tests.services.postgres",
    "tests.services.s3",
]
