"""attachments: 4 perceptual-hash bands of 16 bits, probed with one-bit neighbours, instead of 7 narrow ones

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

OLD = ((0, 3), (3, 3), (6, 2), (8, 2), (10, 2), (12, 2), (14, 2))  # 0016
NEW = ((0, 4), (4, 4), (8, 4), (12, 4))  # = server.models.submissions.PHASH_BANDS


def _swap(drop, create):
    for i in range(len(drop)):
        op.drop_index(f'ix_attachments_phash_band{i}', table_name='attachments')
    for i, (start, length) in enumerate(create):
        op.create_index(f'ix_attachments_phash_band{i}', 'attachments',
                        [sa.text(f'substr(phash, {start + 1}, {length})')], unique=False)


def upgrade():
    _swap(OLD, NEW)


def downgrade():
    _swap(NEW, OLD)
