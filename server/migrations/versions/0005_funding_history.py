"""funding history: house_funding_events, the append-only amounts of each (house, source) after each change

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'house_funding_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('house_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=40), nullable=False),
        sa.Column('planned', sa.BigInteger(), nullable=False),
        sa.Column('disbursed', sa.BigInteger(), nullable=False),
        sa.Column('workdays', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('planned >= 0 AND disbursed >= 0 AND workdays >= 0',
                           name='ck_house_funding_events_positive'),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id']),
        sa.ForeignKeyConstraint(['house_id'], ['houses.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('house_funding_events', schema=None) as batch_op:
        batch_op.create_index('ix_house_funding_events_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_house_funding_events_house_source', ['house_id', 'source', 'created_at'],
                              unique=False)
    # the rows written before this revision: their latest amounts, as of their last change
    op.execute("INSERT INTO house_funding_events (house_id, source, planned, disbursed, workdays, actor_id, created_at) "
               "SELECT house_id, source, planned, disbursed, workdays, updated_by_id, updated_at FROM house_funding")


def downgrade():
    with op.batch_alter_table('house_funding_events', schema=None) as batch_op:
        batch_op.drop_index('ix_house_funding_events_house_source')
        batch_op.drop_index('ix_house_funding_events_created_at')
    op.drop_table('house_funding_events')
