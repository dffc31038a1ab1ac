"""idempotent_request: the stored answer to a request retried with an Idempotency-Key

Revision ID: 0026
Revises: 0020
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0026'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'idempotent_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=False),
        sa.Column('response', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'key', name='uq_idempotent_request_user_key'),
    )
    op.create_index(op.f('ix_idempotent_request_user_id'), 'idempotent_request', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_idempotent_request_user_id'), table_name='idempotent_request')
    op.drop_table('idempotent_request')
