"""Targets (chỉ tiêu) per org unit and period, versioned: a revision is a new row, never an update.

The target in force on a date is the row with the latest ``effective_from`` on or before it (ties: the
later row). Quảng Nam's plan moved 15,735 -> 11,761 -> 11,523 -> 10,303; all four stay as history.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db


class Target(db.Model):
    __tablename__ = "targets"
    __table_args__ = (
        sa.CheckConstraint("houses >= 0", name="ck_targets_houses"),
        sa.CheckConstraint("new_builds IS NULL OR new_builds >= 0", name="ck_targets_new_builds"),
        sa.CheckConstraint("repairs IS NULL OR repairs >= 0", name="ck_targets_repairs"),
        sa.Index("ix_targets_unit_effective", "org_unit_id", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), nullable=False)
    period: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="")
    houses: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    new_builds: Mapped[int | None] = mapped_column(sa.Integer)
    repairs: Mapped[int | None] = mapped_column(sa.Integer)
    effective_from: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=lambda: dt.datetime.now(dt.UTC))
