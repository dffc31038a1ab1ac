"""agency.seal_name: agencies are administered (name, numbering code, parent, seal name)

Revision ID: 0014
Revises: 0017
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agency') as batch:
        batch.add_column(sa.Column('seal_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agency') as batch:
        batch.drop_column('seal_name')
