"""task.due_provisional, task.due_basis, case.next_due_provisional: dates computed without the year's official holiday notice

Revision ID: 0006
Revises: 0012
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0006'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_due_provisional', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_provisional', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('due_basis', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('due_basis')
        batch_op.drop_column('due_provisional')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('next_due_provisional')
