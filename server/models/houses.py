"""Houses followed from assessment to handover, and their append-only history."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import FunctionElement

from server.extensions import db
from server.models.base import new_uuid, utcnow
from server.models.search_index import listen

SEARCH_TEXT_LENGTH = 400

HOUSE_STATUSES = ("assessed", "commune_reviewed", "approved", "funded", "started", "stage_checked",
                  "completed", "handed_over", "rejected", "withdrawn")


class House(db.Model):
    __tablename__ = "houses"
    __table_args__ = (sa.Index("ix_houses_lat_lon", "lat", "lon"),)  # the houses of one map view
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_uuid)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(30), default="assessed", index=True)
    head_name: Mapped[str | None] = mapped_column(sa.String(200))
    id_number: Mapped[str | None] = mapped_column(sa.String(20), index=True)
    birth_year: Mapped[int | None] = mapped_column(sa.Integer)  # the head's (role birth_year): to match households
    village: Mapped[str | None] = mapped_column(sa.String(40))
    # the folded words of name | CCCD | village (forms.search): the accent-insensitive search and name sort
    search_text: Mapped[str | None] = mapped_column(sa.String(SEARCH_TEXT_LENGTH), index=True)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    accuracy: Mapped[float | None] = mapped_column(sa.Float)
    support_kind: Mapped[str | None] = mapped_column(sa.String(30))       # new_build | repair
    beneficiary_group: Mapped[str | None] = mapped_column(sa.String(30))  # nguoi_co_cong | poor | other
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)


listen(House.__table__)


class current_tx(FunctionElement):  # noqa: N801 - a SQL function, named like one
    """The id of the writing transaction: ``pg_current_xact_id()`` on PostgreSQL (64 bits, never wraps);
    0 elsewhere (SQLite has one writer at a time, so its event ids already become visible in order)."""

    type = sa.BigInteger()
    inherit_cache = True


class visible_tx_horizon(FunctionElement):  # noqa: N801
    """Every transaction below this id has ended (committed or rolled back), so the events it wrote are
    final: ``pg_snapshot_xmin(pg_current_snapshot())`` on PostgreSQL; no limit elsewhere."""

    type = sa.BigInteger()
    inherit_cache = True


@compiles(current_tx)
def _current_tx(element, compiler, **kw):
    return "0"


@compiles(current_tx, "postgresql")
def _current_tx_pg(element, compiler, **kw):
    return "CAST(CAST(pg_current_xact_id() AS TEXT) AS BIGINT)"


@compiles(visible_tx_horizon)
def _horizon(element, compiler, **kw):
    return "9223372036854775807"


@compiles(visible_tx_horizon, "postgresql")
def _horizon_pg(element, compiler, **kw):
    return "CAST(CAST(pg_snapshot_xmin(pg_current_snapshot()) AS TEXT) AS BIGINT)"


class HouseEvent(db.Model):
    """Append-only: who did what to a house, when and why. Never updated, never deleted.

    ``tx`` is the writing transaction (see ``current_tx``): the sync feed orders events by (tx, id) and
    hands out only those of ended transactions, so a late commit never falls behind a phone's cursor."""

    __tablename__ = "house_events"
    __table_args__ = (sa.Index("ix_house_events_tx_id", "tx", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    house_id: Mapped[int] = mapped_column(sa.ForeignKey("houses.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    from_status: Mapped[str | None] = mapped_column(sa.String(30))
    to_status: Mapped[str] = mapped_column(sa.String(30))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    submission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    tx: Mapped[int] = mapped_column(sa.BigInteger, default=current_tx(), server_default="0")
