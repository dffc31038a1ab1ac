"""inspection_batch (cross and special inspections organised by the county); hazard_report.target_id (一企一档)

Revision ID: 0030
Revises: 0025
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0030'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inspection_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('inputs', sa.JSON(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_inspection_batch_agency_id'), 'inspection_batch', ['agency_id'], unique=False)
    with op.batch_alter_table('hazard_report') as batch:
        batch.add_column(sa.Column('target_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_hazard_report_target_id', 'target', ['target_id'], ['id'])
        batch.create_index(batch.f('ix_hazard_report_target_id'), ['target_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hazard_report') as batch:
        batch.drop_index(batch.f('ix_hazard_report_target_id'))
        batch.drop_constraint('fk_hazard_report_target_id', type_='foreignkey')
        batch.drop_column('target_id')
    op.drop_index(op.f('ix_inspection_batch_agency_id'), table_name='inspection_batch')
    op.drop_table('inspection_batch')
