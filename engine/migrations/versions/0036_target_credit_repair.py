"""target_credit_repair: credit repairs (信用修复) of a unit's published penalty information (一企一档)

Revision ID: 0036
Revises: 0030
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0036'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'target_credit_repair',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('publication_id', sa.Integer(), nullable=False),
        sa.Column('repaired_on', sa.Date(), nullable=False),
        sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('recorded_by', sa.Integer(), nullable=False),
        sa.Column('recorded_by_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
        sa.ForeignKeyConstraint(['publication_id'], ['publication.id'], ),
        sa.ForeignKeyConstraint(['recorded_by'], ['app_user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('publication_id', name='uq_target_credit_repair_publication'),
    )
    op.create_index(op.f('ix_target_credit_repair_target_id'), 'target_credit_repair', ['target_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_target_credit_repair_target_id'), table_name='target_credit_repair')
    op.drop_table('target_credit_repair')
