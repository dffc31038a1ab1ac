"""document_issued.revoked_at / revoked_by: a decision revoked on reconsideration or litigation stays in the file, marked

Revision ID: 0032
Revises: 0030
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0032'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document_issued') as batch:
        batch.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('revoked_by', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('document_issued') as batch:
        batch.drop_column('revoked_by')
        batch.drop_column('revoked_at')
