"""task.lane renamed task.role: it holds the role that acts, the model's lane resolved for the case

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_inbox')
        batch_op.alter_column('lane', new_column_name='role')
    op.create_index('ix_task_inbox', 'task', ['status', 'role', 'agency_id', 'due_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_inbox')
        batch_op.alter_column('role', new_column_name='lane')
    op.create_index('ix_task_inbox', 'task', ['status', 'lane', 'agency_id', 'due_on'], unique=False)
