"""targets, powers, plans: the target register (执法对象名录库) and its history; power lists (权力清单/委托事项); annual plans, their visits, officers' conflicts (回避)

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0025'
down_revision = '0024'
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
    op.create_table('power_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('item_code', _str(length=40), nullable=False),
    sa.Column('name', _str(length=200), nullable=False),
    sa.Column('mode', _str(length=20), nullable=False),
    sa.Column('violation_codes', sa.JSON(), nullable=False),
    sa.Column('penalty_kinds', sa.JSON(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('letter_object_key', _str(length=512), nullable=True),
    sa.Column('letter_sha256', _str(length=64), nullable=True),
    sa.Column('letter_name', _str(length=200), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_power_item_agency_id'), 'power_item', ['agency_id'], unique=False)
    op.create_table('power_list_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', _str(length=20), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_name', _str(length=100), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
    sa.ForeignKeyConstraint(['item_id'], ['power_item.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_power_list_change_agency_id'), 'power_list_change', ['agency_id'], unique=False)
    op.create_table('inspection_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('seed', _str(length=40), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_inspection_plan_agency_id'), 'inspection_plan', ['agency_id'], unique=False)
    op.create_table('plan_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('officer_ids', sa.JSON(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['inspection_plan.id'], ),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'target_id', 'month', name='uq_plan_visit')
    )
    op.create_index(op.f('ix_plan_visit_plan_id'), 'plan_visit', ['plan_id'], unique=False)
    op.create_table('officer_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', _str(length=500), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'target_id', name='uq_officer_conflict')
    )
    op.create_index(op.f('ix_officer_conflict_user_id'), 'officer_conflict', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_officer_conflict_user_id'), table_name='officer_conflict')
    op.drop_table('officer_conflict')
    op.drop_index(op.f('ix_plan_visit_plan_id'), table_name='plan_visit')
    op.drop_table('plan_visit')
    op.drop_index(op.f('ix_inspection_plan_agency_id'), table_name='inspection_plan')
    op.drop_table('inspection_plan')
    op.drop_index(op.f('ix_power_list_change_agency_id'), table_name='power_list_change')
    op.drop_table('power_list_change')
    op.drop_index(op.f('ix_power_item_agency_id'), table_name='power_item')
    op.drop_table('power_item')
    op.drop_index(op.f('ix_target_case_target_id'), table_name='target_case')
    op.drop_table('target_case')
    op.drop_index(op.f('ix_target_change_target_id'), table_name='target_change')
    op.drop_table('target_change')
    op.drop_index(op.f('ix_target_township_id'), table_name='target')
    op.drop_index(op.f('ix_target_credit_code'), table_name='target')
    op.drop_table('target')
