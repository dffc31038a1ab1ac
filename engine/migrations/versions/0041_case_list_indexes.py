"""case_list_indexes: case lists (newest first, party name contains) and a period's statistics read through indexes

At 100,000 cases the county's case list sorted the whole case table for each page, a party-name filter
read thousands of rows, and a year's statistics read the table by sequential scan (bench/bench_scale.py).
The trigram index (pg_trgm, a trusted extension of PostgreSQL's contrib) exists on PostgreSQL only.

Revision ID: 0041
Revises: 0036
"""
from alembic import op

revision = '0041'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_recent', 'case', ['updated_at', 'id'], unique=False)
    op.create_index('ix_case_started', 'case', ['started_at', 'agency_id', 'status'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.create_index('ix_case_party_trgm', 'case', ['party_name'], unique=False, postgresql_using='gin',
                        postgresql_ops={'party_name': 'gin_trgm_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':  # the extension stays: other schemas may use it
        op.drop_index('ix_case_party_trgm', table_name='case')
    op.drop_index('ix_case_started', table_name='case')
    op.drop_index('ix_case_recent', table_name='case')
