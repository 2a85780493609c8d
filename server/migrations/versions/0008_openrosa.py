"""openrosa: forms.xform (the XForm of a version), device_tokens.kind (app | collect)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('xform', sa.Text(), nullable=True))
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='app', nullable=False))


def downgrade():
    with op.batch_alter_table('device_tokens', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('forms', schema=None) as batch_op:
        batch_op.drop_column('xform')
