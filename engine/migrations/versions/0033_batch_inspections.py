"""batch_inspection (one inspection per drawn target of a batch, so an interrupted batch resumes); inspection_batch.plan_id

Revision ID: 0033
Revises: 0030
"""
import sqlalchemy as sa
from alembic import op

revision = '0033'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'batch_inspection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['inspection_batch.id'], ),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
        sa.ForeignKeyConstraint(['target_id'], ['target.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('batch_id', 'target_id', name='uq_batch_inspection'),
    )
    op.create_index(op.f('ix_batch_inspection_batch_id'), 'batch_inspection', ['batch_id'], unique=False)
    with op.batch_alter_table('inspection_batch') as batch:
        batch.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_inspection_batch_plan_id', 'inspection_plan', ['plan_id'], ['id'])
        batch.create_index(batch.f('ix_inspection_batch_plan_id'), ['plan_id'], unique=False)
    _move_case_links()


BATCHES = sa.table('inspection_batch', sa.column('id', sa.Integer), sa.column('result', sa.JSON))
LINKS = sa.table('batch_inspection', sa.column('batch_id', sa.Integer), sa.column('target_id', sa.Integer),
                 sa.column('case_id', sa.Integer))


def _move_case_links() -> None:
    """Batches stored before this revision kept their cases in result["cases"] ({target id: case id})."""
    bind = op.get_bind()
    rows = [{"batch_id": batch_id, "target_id": int(target_id), "case_id": case_id}
            for batch_id, result in bind.execute(sa.select(BATCHES.c.id, BATCHES.c.result))
            for target_id, case_id in (result or {}).get("cases", {}).items()]
    if rows:
        bind.execute(LINKS.insert(), rows)


def downgrade() -> None:
    bind = op.get_bind()
    cases: dict[int, dict] = {}
    for batch_id, target_id, case_id in bind.execute(sa.select(LINKS.c.batch_id, LINKS.c.target_id, LINKS.c.case_id)):
        cases.setdefault(batch_id, {})[str(target_id)] = case_id
    for batch_id, result in bind.execute(sa.select(BATCHES.c.id, BATCHES.c.result)).all():
        if batch_id in cases:
            bind.execute(BATCHES.update().where(BATCHES.c.id == batch_id).values(result={**result, "cases": cases[batch_id]}))
    with op.batch_alter_table('inspection_batch') as batch:
        batch.drop_index(batch.f('ix_inspection_batch_plan_id'))
        batch.drop_constraint('fk_inspection_batch_plan_id', type_='foreignkey')
        batch.drop_column('plan_id')
    op.drop_index(op.f('ix_batch_inspection_batch_id'), table_name='batch_inspection')
    op.drop_table('batch_inspection')
