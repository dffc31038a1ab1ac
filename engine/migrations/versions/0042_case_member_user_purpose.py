"""case_member_user_purpose: a user's case memberships read by purpose through one index

Every request reads the cases a user was added to as an officer or a reviewer (api.case_scope); by user
alone the index also returned every inspection a township officer was ever drawn for (双随机), a list that
only grows. (user_id, purpose) serves that read and every lookup by user the old index served.

Revision ID: 0042
Revises: 0041
"""
from alembic import op

revision = '0042'
down_revision = '0041'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_member_user_purpose', 'case_member', ['user_id', 'purpose'], unique=False)
    op.drop_index('ix_case_member_user_id', table_name='case_member')


def downgrade() -> None:
    op.create_index('ix_case_member_user_id', 'case_member', ['user_id'], unique=False)
    op.drop_index('ix_case_member_user_purpose', table_name='case_member')
