"""publication: published decisions (redacted text, its SHA-256, withdrawal)

Revision ID: 0017
Revises: 0006
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0017'
down_revision = '0006'
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table('publication',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawal_reason', sa.Text(), nullable=True),
    sa.Column('redaction_rule', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_publication_public_id'), 'publication', ['public_id'], unique=True)
    op.create_index(op.f('ix_publication_case_id'), 'publication', ['case_id'], unique=False)
    op.create_index(op.f('ix_publication_published_at'), 'publication', ['published_at'], unique=False)

def downgrade() -> None:
    op.drop_index(op.f('ix_publication_published_at'), table_name='publication')
    op.drop_index(op.f('ix_publication_case_id'), table_name='publication')
    op.drop_index(op.f('ix_publication_public_id'), table_name='publication')
    op.drop_table('publication')
