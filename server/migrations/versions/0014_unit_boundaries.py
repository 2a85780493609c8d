"""maps: unit_boundaries (a unit's GeoJSON geometry), ix_houses_lat_lon (the houses of one map view)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'unit_boundaries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('org_unit_id', sa.Integer(), nullable=False),
        sa.Column('geometry', sa.JSON(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['org_unit_id'], ['org_units.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('org_unit_id'),
    )
    with op.batch_alter_table('houses', schema=None) as batch_op:
        batch_op.create_index('ix_houses_lat_lon', ['lat', 'lon'], unique=False)


def downgrade():
    with op.batch_alter_table('houses', schema=None) as batch_op:
        batch_op.drop_index('ix_houses_lat_lon')
    op.drop_table('unit_boundaries')
