"""accounts: users.phone, users.must_change_password (one-time passwords), enrolment_codes (phone set-up by QR)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    op.create_table(
        'enrolment_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.String(length=80), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('device_token_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['device_token_id'], ['device_tokens.id']),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrolment_codes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('enrolment_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrolment_codes_user_id'))
    op.drop_table('enrolment_codes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('phone')
