"""attachments: an index per band of the perceptual hash, so near-identical photos are found by index

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

BANDS = ((0, 3), (3, 3), (6, 2), (8, 2), (10, 2), (12, 2), (14, 2))  # = server.models.submissions.PHASH_BANDS


def upgrade():
    for i, (start, length) in enumerate(BANDS):
        op.create_index(f'ix_attachments_phash_band{i}', 'attachments',
                        [sa.text(f'substr(phash, {start + 1}, {length})')], unique=False)


def downgrade():
    for i in range(len(BANDS)):
        op.drop_index(f'ix_attachments_phash_band{i}', table_name='attachments')
