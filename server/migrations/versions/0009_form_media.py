"""form_media: the media files (CSV / GeoJSON lists) of each form version

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_media',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('form_pk', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['form_pk'], ['forms.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('form_pk', 'name', name='uq_form_media_form_name'),
    )
    with op.batch_alter_table('form_media', schema=None) as batch_op:
        batch_op.create_index('ix_form_media_form_pk', ['form_pk'], unique=False)


def downgrade():
    with op.batch_alter_table('form_media', schema=None) as batch_op:
        batch_op.drop_index('ix_form_media_form_pk')
    op.drop_table('form_media')
