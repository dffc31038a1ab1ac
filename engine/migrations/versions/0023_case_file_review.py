"""case-file review: review plans with their recorded draw, sampled files, scores and findings

Revision ID: 0023
Revises: 0026
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

import engine.types

revision = '0023'
down_revision = '0026'
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table('review_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('unit_ids', sa.JSON(), nullable=False),
    sa.Column('procedures', sa.JSON(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('minimum_per_unit', sa.Integer(), nullable=False),
    sa.Column('always_include', sa.JSON(), nullable=False),
    sa.Column('township_reviewers', sa.Boolean(), nullable=False),
    sa.Column('rubric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('rectification_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('draw_inputs', sa.JSON(), nullable=True),
    sa.Column('draw_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('drawn_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reported_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('workflow_state', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
    sa.ForeignKeyConstraint(['approved_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_review_plan_agency_id'), 'review_plan', ['agency_id'], unique=False)
    op.create_table('review_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['review_plan.id'], ),
    sa.ForeignKeyConstraint(['reviewer_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['agency.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('plan_id', 'case_id', name='uq_review_sample')
    )
    op.create_index(op.f('ix_review_sample_case_id'), 'review_sample', ['case_id'], unique=False)
    op.create_index(op.f('ix_review_sample_plan_id'), 'review_sample', ['plan_id'], unique=False)
    op.create_index(op.f('ix_review_sample_reviewer_id'), 'review_sample', ['reviewer_id'], unique=False)
    op.create_table('review_finding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('item_code', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('item_title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('veto', sa.Boolean(), nullable=False),
    sa.Column('points_lost', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('officer_ids', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('rectification', sa.Text(), nullable=True),
    sa.Column('rectified_by', sa.Integer(), nullable=True),
    sa.Column('rectified_at', engine.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rectified_by'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['review_sample.id'], ),
    sa.ForeignKeyConstraint(['unit_id'], ['agency.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_review_finding_sample_id'), 'review_finding', ['sample_id'], unique=False)
    op.create_index(op.f('ix_review_finding_unit_id'), 'review_finding', ['unit_id'], unique=False)
    op.create_table('review_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('total', sa.Float(), nullable=False),
    sa.Column('vetoes', sa.JSON(), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('rubric_effective_from', sa.Date(), nullable=False),
    sa.Column('scored_by', sa.Integer(), nullable=False),
    sa.Column('scored_at', engine.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['sample_id'], ['review_sample.id'], ),
    sa.ForeignKeyConstraint(['scored_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sample_id')
    )

def downgrade() -> None:
    op.drop_table('review_score')
    op.drop_index(op.f('ix_review_finding_unit_id'), table_name='review_finding')
    op.drop_index(op.f('ix_review_finding_sample_id'), table_name='review_finding')
    op.drop_table('review_finding')
    op.drop_index(op.f('ix_review_sample_reviewer_id'), table_name='review_sample')
    op.drop_index(op.f('ix_review_sample_plan_id'), table_name='review_sample')
    op.drop_index(op.f('ix_review_sample_case_id'), table_name='review_sample')
    op.drop_table('review_sample')
    op.drop_index(op.f('ix_review_plan_agency_id'), table_name='review_plan')
    op.drop_table('review_plan')
