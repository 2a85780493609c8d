"""upload_parts: unfinished photo uploads in the database, so any node finishes any upload

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'upload_parts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('start', sa.BigInteger(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('touched_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('instance_id', 'name', 'start', name='uq_upload_parts_start'),
    )
    with op.batch_alter_table('upload_parts', schema=None) as batch_op:
        batch_op.create_index('ix_upload_parts_touched_at', ['touched_at'], unique=False)


def downgrade():
    with op.batch_alter_table('upload_parts', schema=None) as batch_op:
        batch_op.drop_index('ix_upload_parts_touched_at')
    op.drop_table('upload_parts')
