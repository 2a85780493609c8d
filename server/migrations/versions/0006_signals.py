"""signals: possible duplicates (submissions.duplicate_*), houses.birth_year, attachments.phash, submission_signals

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_house_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_state', sa.String(length=20), nullable=True))
        batch_op.create_index('ix_submissions_duplicate_of_house_id', ['duplicate_of_house_id'], unique=False)
        batch_op.create_foreign_key('fk_submissions_duplicate_of_house_id_houses', 'houses',
                                    ['duplicate_of_house_id'], ['id'])
    with op.batch_alter_table('houses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('birth_year', sa.Integer(), nullable=True))
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phash', sa.String(length=16), nullable=True))
        batch_op.create_index('ix_attachments_phash', ['phash'], unique=False)
    op.create_table(
        'submission_signals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submissions.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('submission_signals', schema=None) as batch_op:
        batch_op.create_index('ix_submission_signals_submission_id', ['submission_id'], unique=False)
        batch_op.create_index('ix_submission_signals_code', ['code'], unique=False)


def downgrade():
    op.drop_table('submission_signals')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_attachments_phash')
        batch_op.drop_column('phash')
    with op.batch_alter_table('houses', schema=None) as batch_op:
        batch_op.drop_column('birth_year')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_constraint('fk_submissions_duplicate_of_house_id_houses', type_='foreignkey')
        batch_op.drop_index('ix_submissions_duplicate_of_house_id')
        batch_op.drop_column('duplicate_state')
        batch_op.drop_column('duplicate_of_house_id')
