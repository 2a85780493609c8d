"""the unit tree over time: org_units.valid_from/valid_to (a code unique per day, not for ever),
reorganisations, unit_successions (the mapping), unit_lineage (derived), users.needs_rescope

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_UQ = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table('org_units', schema=None, naming_convention=_UQ) as batch_op:
        batch_op.drop_constraint('org_units_code_key' if postgres else 'uq_org_units_code', type_='unique')
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Date(), nullable=True))
        batch_op.create_index('ix_org_units_code', ['code'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_rescope', sa.String(length=30), nullable=True))
    op.create_table(
        'reorganisations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('effective', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'))
    op.create_table(
        'unit_successions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reorganisation_id', sa.Integer(), nullable=False),
        sa.Column('from_unit_id', sa.Integer(), nullable=False),
        sa.Column('to_unit_id', sa.Integer(), nullable=False),
        sa.Column('effective', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('primary', sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('merge','split','move','rename','retire_level')", name='ck_unit_successions_kind'),
        sa.ForeignKeyConstraint(['from_unit_id'], ['org_units.id'], ),
        sa.ForeignKeyConstraint(['reorganisation_id'], ['reorganisations.id'], ),
        sa.ForeignKeyConstraint(['to_unit_id'], ['org_units.id'], ),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('unit_successions', schema=None) as batch_op:
        batch_op.create_index('ix_unit_successions_from_unit_id', ['from_unit_id'], unique=False)
        batch_op.create_index('ix_unit_successions_reorganisation_id', ['reorganisation_id'], unique=False)
        batch_op.create_index('ix_unit_successions_to_unit_id', ['to_unit_id'], unique=False)
    op.create_table(
        'unit_lineage',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('current_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['current_id'], ['org_units.id'], ),
        sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], ),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('unit_lineage', schema=None) as batch_op:
        batch_op.create_index('ix_unit_lineage_unit_valid', ['unit_id', 'valid_from'], unique=False)


def downgrade():
    op.drop_table('unit_lineage')
    op.drop_table('unit_successions')
    op.drop_table('reorganisations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('needs_rescope')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index('ix_org_units_code')
        batch_op.drop_column('valid_to')
        batch_op.drop_column('valid_from')
        batch_op.create_unique_constraint('uq_org_units_code', ['code'])
