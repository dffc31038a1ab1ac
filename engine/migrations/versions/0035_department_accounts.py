"""Department accounts of 吹哨报到 (issue 16): app_user.department binds an account to a department of
api/data/hazards.yaml; task.assignees names the departments whose accounts act on a task of the department lane

Revision ID: 0035
Revises: 0030
"""
import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sa.String(length=100), nullable=True))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignees', sa.String(length=2000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('assignees')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('department')
