"""Houses followed from assessment to handover, and their append-only history."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import new_uuid, utcnow

HOUSE_STATUSES = ("assessed", "commune_reviewed", "approved", "funded", "started", "stage_checked",
                  "completed", "handed_over", "rejected", "withdrawn")


class House(db.Model):
    __tablename__ = "houses"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_uuid)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(30), default="assessed", index=True)
    head_name: Mapped[str | None] = mapped_column(sa.String(200))
    id_number: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    village: Mapped[str | None] = mapped_column(sa.String(40))
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    accuracy: Mapped[float | None] = mapped_column(sa.Float)
    support_kind: Mapped[str | None] = mapped_column(sa.String(30))       # new_build | repair
    beneficiary_group: Mapped[str | None] = mapped_column(sa.String(30))  # nguoi_co_cong | poor | other
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class HouseEvent(db.Model):
    """Append-only: who did what to a house, when and why. Never updated, never deleted."""

    __tablename__ = "house_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(sa.ForeignKey("houses.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[str | None] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
