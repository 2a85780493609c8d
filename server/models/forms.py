"""Published forms: every version kept, compiled definition + the XLSForm it came from."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.base import utcnow


class Form(db.Model):
    __tablename__ = "forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    version: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str | None] = mapped_column(sa.String(300))
    definition: Mapped[dict] = mapped_column(sa.JSON, deferred=True)  # large: loaded when read
    source_name: Mapped[str | None] = mapped_column(sa.String(300))
    source: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    hash: Mapped[str] = mapped_column(sa.String(64), default="")
    state: Mapped[str] = mapped_column(sa.String(20), default="published")  # published | retired
    published_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("form_id", "version", name="uq_forms_form_version"),)


class FormMedia(db.Model):
    """A media file of one form version (ODK's form attachments: a CSV of villages ...). The definition
    names it with its sha256; phones download it beside the definition and check it."""

    __tablename__ = "form_media"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_pk: Mapped[int] = mapped_column(sa.ForeignKey("forms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.Integer)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)

    __table_args__ = (sa.UniqueConstraint("form_pk", "name", name="uq_form_media_form_name"),)
