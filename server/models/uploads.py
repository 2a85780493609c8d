"""Unfinished photo uploads kept in the database (PostgreSQL, several nodes): the bytes received so far,
as rows of at most 256 KB in order of `start` (server/services/files/partials_db.py)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class UploadPart(db.Model):
    __tablename__ = "upload_parts"
    __table_args__ = (sa.UniqueConstraint("instance_id", "name", "start", name="uq_upload_parts_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(sa.String(36))
    name: Mapped[str] = mapped_column(sa.String(200))
    start: Mapped[int] = mapped_column(sa.BigInteger)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    touched_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
