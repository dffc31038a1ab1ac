"""targets, powers, plans: the target register (执法对象名录库) and its history

Revision ID: 0025
Revises: 0014
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0025'
down_revision = '0014'
branch_labels = None
depends_on = None

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', _str(length=18), nullable=False),
    sa.Column('name', _str(length=200), nullable=False),
    sa.Column('address', _str(length=300), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('industry', _str(length=40), nullable=False),
    sa.Column('risk_level', _str(length=20), nullable=False),
    sa.Column('credit_level', _str(length=40), nullable=True),
    sa.Column('standardisation', _str(length=20), nullable=False),
    sa.Column('assigned_level', _str(length=20), nullable=False),
    sa.Column('key_target', sa.Boolean(), nullable=False),
    sa.Column('contacts', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['agency.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_target_credit_code'), 'target', ['credit_code'], unique=True)
    op.create_index(op.f('ix_target_township_id'), 'target', ['township_id'], unique=False)
    op.create_table('target_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', _str(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', _str(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_target_change_target_id'), 'target_change', ['target_id'], unique=False)
    op.create_table('target_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', name='uq_target_case_case')
    )
    op.create_index(op.f('ix_target_case_target_id'), 'target_case', ['target_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_target_case_target_id'), table_name='target_case')
    op.drop_table('target_case')
    op.drop_index(op.f('ix_target_change_target_id'), table_name='target_change')
    op.drop_table('target_change')
    op.drop_index(op.f('ix_target_township_id'), table_name='target')
    op.drop_index(op.f('ix_target_credit_code'), table_name='target')
    op.drop_table('target')
