"""The org-unit tree (province -> district -> commune -> village, names configurable), which changes over time.

`path` is a materialised path of codes ('/49/517/20968/'): a subtree is `path LIKE '/49/517/%'`,
served by the index on path, and a unit's ancestors are read off its path.

A unit is in force from ``valid_from`` (null: always was) until ``valid_to`` (exclusive; null: still is).
A code is unique among the units in force on one day, not for ever: 2025's Phường Bàn Thạch (20335) reuses
the code of 2024's Phường Tân Thạnh, and both rows are kept. A reorganisation (``Reorganisation``) retires
units on its effective date and records where each went (``UnitSuccession``: old unit -> new unit, kind);
``UnitLineage`` is derived from the successions (server/services/programme/unit_history.py).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(sa.String(30))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(400), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    valid_from: Mapped[dt.date | None] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)

    def in_force(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.strip("/").split("/") if c]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"


SUCCESSION_KINDS = ("merge", "split", "move", "rename", "retire_level")


class Reorganisation(db.Model):
    """One change of the tree on an effective date (e.g. the district level retired on 1/7/2025)."""

    __tablename__ = "reorganisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    effective: Mapped[dt.date] = mapped_column(sa.Date)
    note: Mapped[str | None] = mapped_column(sa.Text)
    summary: Mapped[str | None] = mapped_column(sa.Text)  # JSON: counts shown on the units page
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class UnitSuccession(db.Model):
    """The mapping: the things of ``from_unit`` belong to ``to_unit`` from ``effective`` on."""

    __tablename__ = "unit_successions"
    __table_args__ = (sa.CheckConstraint("kind IN ('merge','split','move','rename','retire_level')",
                                         name="ck_unit_successions_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    reorganisation_id: Mapped[int] = mapped_column(sa.ForeignKey("reorganisations.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    to_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    effective: Mapped[dt.date] = mapped_column(sa.Date)
    kind: Mapped[str] = mapped_column(sa.String(20))
    primary: Mapped[bool] = mapped_column(default=True)  # a split's first successor takes the unit's houses


class UnitLineage(db.Model):
    """Derived from the successions (rebuilt on each reorganisation): from ``valid_from`` until ``valid_to``
    the things recorded in ``unit_id`` belong to ``current_id``. No row for a day: to ``unit_id`` itself."""

    __tablename__ = "unit_lineage"
    __table_args__ = (sa.Index("ix_unit_lineage_unit_valid", "unit_id", "valid_from"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"))
    valid_from: Mapped[dt.date] = mapped_column(sa.Date)
    valid_to: Mapped[dt.date | None] = mapped_column(sa.Date)
    current_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"))
