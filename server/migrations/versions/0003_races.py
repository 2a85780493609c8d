"""races: house_events.tx, the writing transaction, for a sync-feed cursor that never skips

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    # events written before this revision are all committed: tx 0 sorts them first, in id order, so a
    # phone's old cursor (an event id) keeps its meaning
    with op.batch_alter_table('house_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tx', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index('ix_house_events_tx_id', ['tx', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('house_events', schema=None) as batch_op:
        batch_op.drop_index('ix_house_events_tx_id')
        batch_op.drop_column('tx')
