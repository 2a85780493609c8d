"""Funding of one house by source (planned and disbursed VND, workdays), and the poor-district flag."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db


class HouseFunding(db.Model):
    __tablename__ = "house_funding"
    __table_args__ = (
        sa.UniqueConstraint("house_id", "source", name="uq_house_funding_source"),
        sa.CheckConstraint("planned >= 0 AND disbursed >= 0 AND workdays >= 0", name="ck_house_funding_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(sa.ForeignKey("houses.id"), nullable=False, index=True)
    source: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    planned: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
    disbursed: Mapped[int] = mapped_column(sa.BigInteger, nullable=False, default=0)
    workdays: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    note: Mapped[str | None] = mapped_column(sa.Text)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=lambda: dt.datetime.now(dt.UTC))


class HouseFundingEvent(db.Model):
    """Append-only: the amounts of one (house, source) after each change, and when. Never updated, never
    deleted; written in the same transaction as the change to ``house_funding`` (which holds the latest),
    so a report can rebuild the money of any past day."""

    __tablename__ = "house_funding_events"
    __table_args__ = (
        sa.CheckConstraint("planned >= 0 AND disbursed >= 0 AND workdays >= 0",
                           name="ck_house_funding_events_positive"),
        sa.Index("ix_house_funding_events_house_source", "house_id", "source", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(sa.ForeignKey("houses.id"), nullable=False)
    source: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    planned: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    disbursed: Mapped[int] = mapped_column(sa.BigInteger, nullable=False)
    workdays: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=lambda: dt.datetime.now(dt.UTC), index=True)


class PoorDistrict(db.Model):
    """Units flagged as poor districts (huyện nghèo, QĐ 353/QĐ-TTg) for a programme: data, not code."""

    __tablename__ = "poor_districts"

    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), primary_key=True)
    note: Mapped[str | None] = mapped_column(sa.Text)
