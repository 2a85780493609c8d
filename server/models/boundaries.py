"""A unit's boundary on the map (GeoJSON geometry), loaded by an admin (server/services/programme/boundaries.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class UnitBoundary(db.Model):
    __tablename__ = "unit_boundaries"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), unique=True)
    geometry: Mapped[dict] = mapped_column(sa.JSON)  # a GeoJSON Polygon or MultiPolygon, simplified
    points: Mapped[int] = mapped_column(sa.Integer, default=0)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
