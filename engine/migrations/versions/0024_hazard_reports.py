"""hazard reports: the report beside its case, a citizen reporter's confidential identity, grid members' grid

Revision ID: 0024
Revises: 0023
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('app_user', sa.Column('grid', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
    op.create_table('hazard_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('place', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('gps_lat', sa.Float(), nullable=True),
    sa.Column('gps_lon', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('grid', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('reporter_user_id', sa.Integer(), nullable=True),
    sa.Column('receipt_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['reporter_user_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('receipt_sha256')
    )
    op.create_index(op.f('ix_hazard_report_agency_id'), 'hazard_report', ['agency_id'], unique=False)
    op.create_index(op.f('ix_hazard_report_case_id'), 'hazard_report', ['case_id'], unique=True)
    op.create_index(op.f('ix_hazard_report_category'), 'hazard_report', ['category'], unique=False)
    op.create_index(op.f('ix_hazard_report_reported_at'), 'hazard_report', ['reported_at'], unique=False)
    op.create_index(op.f('ix_hazard_report_reporter_user_id'), 'hazard_report', ['reporter_user_id'], unique=False)
    op.create_table('hazard_reporter_identity',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['hazard_report.id'], ),
    sa.PrimaryKeyConstraint('report_id')
    )


def downgrade() -> None:
    op.drop_table('hazard_reporter_identity')
    op.drop_index(op.f('ix_hazard_report_reporter_user_id'), table_name='hazard_report')
    op.drop_index(op.f('ix_hazard_report_reported_at'), table_name='hazard_report')
    op.drop_index(op.f('ix_hazard_report_category'), table_name='hazard_report')
    op.drop_index(op.f('ix_hazard_report_case_id'), table_name='hazard_report')
    op.drop_index(op.f('ix_hazard_report_agency_id'), table_name='hazard_report')
    op.drop_table('hazard_report')
