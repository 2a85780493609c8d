"""form_drafts: an uploaded XLSForm previewed on the forms page before it is published

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=43), nullable=False),
        sa.Column('form_id', sa.String(length=80), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('definition', sa.JSON(), nullable=False),
        sa.Column('source_name', sa.String(length=300), nullable=False),
        sa.Column('source', sa.LargeBinary(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('org_unit_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token'),
    )
    with op.batch_alter_table('form_drafts', schema=None) as batch_op:
        batch_op.create_index('ix_form_drafts_user_id', ['user_id'], unique=False)


def downgrade():
    op.drop_table('form_drafts')
