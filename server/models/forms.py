"""Published forms: every version kept, compiled definition + the XLSForm it came from (+ its XForm)."""

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
    # the XForm pyxform makes of `source` for this version (what ODK Collect / Enketo download), made when
    # first asked for and kept (server.services.programme.xforms)
    xform: Mapped[str | None] = mapped_column(sa.Text, deferred=True)
    hash: Mapped[str] = mapped_column(sa.String(64), default="")
    state: Mapped[str] = mapped_column(sa.String(20), default="published")  # published | retired
    published_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("form_id", "version", name="uq_forms_form_version"),)


class FormDraft(db.Model):
    """An uploaded XLSForm that compiled, waiting to be previewed and published (forms page). Its
    ``token`` names it in the page's address; it belongs to the uploader's unit (managers and admins
    of a unit above see it) and is dropped when published, replaced or old."""

    __tablename__ = "form_drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(43), unique=True)
    form_id: Mapped[str] = mapped_column(sa.String(80))
    version: Mapped[str] = mapped_column(sa.String(40))
    definition: Mapped[dict] = mapped_column(sa.JSON, deferred=True)
    source_name: Mapped[str] = mapped_column(sa.String(300))
    source: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    # the media files uploaded with it {name: base64} (villages.csv ...), published with the version
    media: Mapped[dict | None] = mapped_column(sa.JSON, deferred=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


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
