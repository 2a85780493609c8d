"""Submissions (one survey sent from a phone, exactly once) and their photo attachments."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.base import utcnow
from server.models.houses import SEARCH_TEXT_LENGTH
from server.models.search_index import listen

REVIEW_STATUSES = ("received", "approved", "rejected", "changes_requested")
DUPLICATE_STATES = ("open", "same", "different")  # open: not resolved yet; same / different household


class Submission(db.Model):
    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    form_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    form_version: Mapped[str] = mapped_column(sa.String(40))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    device_id: Mapped[str | None] = mapped_column(sa.String(120))
    house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("houses.id"), index=True)
    answers: Mapped[dict] = mapped_column(sa.JSON)
    envelope_hash: Mapped[str | None] = mapped_column(sa.String(64))
    review_status: Mapped[str] = mapped_column(sa.String(30), default="received", index=True)
    review_comment: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))  # on the phone
    received_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    lat: Mapped[float | None] = mapped_column(sa.Float)
    lon: Mapped[float | None] = mapped_column(sa.Float)
    accuracy: Mapped[float | None] = mapped_column(sa.Float)
    complete: Mapped[bool] = mapped_column(default=True)
    # the folded words of head | CCCD | village | volunteer (forms.search), written at ingest
    search_text: Mapped[str | None] = mapped_column(sa.String(SEARCH_TEXT_LENGTH), index=True)
    # a possible duplicate: the existing household this survey seems to describe (same CCCD, or same head
    # name + birth year in the commune); it changes no house until a reviewer resolves it (DUPLICATE_STATES)
    duplicate_of_house_id: Mapped[int | None] = mapped_column(sa.ForeignKey("houses.id"), index=True)
    duplicate_state: Mapped[str | None] = mapped_column(sa.String(20))
    attachments = relationship("Attachment", back_populates="submission", lazy="selectin",
                               order_by="Attachment.name")
    house = relationship("House", foreign_keys=[house_id])

    __table_args__ = (
        sa.CheckConstraint("review_status IN ('received','approved','rejected','changes_requested')",
                           name="ck_submissions_review_status"),
    )

    def missing_attachments(self) -> list[str]:
        return [a.name for a in self.attachments if not a.received]


listen(Submission.__table__)


# The 16 hex digits of a perceptual hash cut into 4 bands of 16 bits (start, length): two hashes within 7 bits
# of each other differ by at most one bit in some band (4 bands x 2 bits = 8), so "near-identical photos"
# are looked up by index, each band probed at its value and its 16 one-bit neighbours
# (server.services.surveys.signals), never by reading every stored photo's hash. A random hash is a
# candidate with odds 4 x 17 / 65,536 (0.1 %: ~1,000 of a million photos); 7 bands of 8-12 bits matched
# whole (migration 0016) let 2 % through.
PHASH_BANDS = ((0, 4), (4, 4), (8, 4), (12, 4))


class Attachment(db.Model):
    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    content_type: Mapped[str | None] = mapped_column(sa.String(60))
    received: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    phash: Mapped[str | None] = mapped_column(sa.String(16), index=True)  # perceptual hash (hex), when stored
    submission = relationship("Submission", back_populates="attachments")

    __table_args__ = (sa.UniqueConstraint("submission_id", "name", name="uq_attachments_submission_name"),
                      *(sa.Index(f"ix_attachments_phash_band{i}", sa.func.substr(sa.text("phash"), start + 1, length))
                        for i, (start, length) in enumerate(PHASH_BANDS)))


class SubmissionSignal(db.Model):
    """A data-quality signal, computed once (at ingest, and when a photo arrives) and stored:
    ``code`` (server.services.surveys.signals.SIGNALS), ``detail`` (the facts behind it, for the explanation)."""

    __tablename__ = "submission_signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submissions.id"), nullable=False, index=True)
    code: Mapped[str] = mapped_column(sa.String(40), nullable=False, index=True)
    detail: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
