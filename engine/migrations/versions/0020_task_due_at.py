"""task.due_at: a limit stated in hours (e.g. 24 小时内移送) is a due instant, not a day

Revision ID: 0020
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('due_at')
