"""People who sign in, and the device tokens the phone keeps (stored hashed, revocable)."""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from server.extensions import db
from server.models.base import utcnow

ROLES = ("volunteer", "reviewer", "manager", "admin")


class User(db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    role: Mapped[str] = mapped_column(sa.String(20))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256), default="!")
    is_active: Mapped[bool] = mapped_column(default=True)
    # a one-time password (set by an admin) must be replaced at the next sign-in, web or phone
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # set by a reorganisation that retired the account's unit without an equal successor: an admin must
    # give the account a unit of today's tree (server/services/programme/reorganise.py); null otherwise
    needs_rescope: Mapped[str | None] = mapped_column(sa.String(30))
    org_unit = relationship("OrgUnit", lazy="joined")

    __table_args__ = (sa.CheckConstraint("role IN ('volunteer','reviewer','manager','admin')", name="ck_users_role"),)

    @property
    def password(self) -> str:  # write-only
        raise AttributeError("password is write-only")

    @password.setter
    def password(self, plain: str) -> None:
        self.password_hash = generate_password_hash(plain, method="scrypt")

    def check_password(self, plain: str) -> bool:
        return bool(plain) and check_password_hash(self.password_hash, plain)

    @property
    def unit_name(self) -> str:
        return self.org_unit.name if self.org_unit else ""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeviceToken(db.Model):
    __tablename__ = "device_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    device_id: Mapped[str | None] = mapped_column(sa.String(120))
    # "app": the field app's bearer token; "collect": a key in the OpenRosa URL of ODK Collect / Kobo
    # (server.services.accounts.collect_keys), accepted only there
    kind: Mapped[str] = mapped_column(sa.String(20), default="app", server_default="app")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    user = relationship("User", lazy="joined")


class EnrolmentCode(db.Model):
    """A one-time code that sets up a phone (the QR code on the account page): exchanged once, before
    ``expires_at``, for a device token. Only its sha256 is stored; a newer code retires the older ones."""

    __tablename__ = "enrolment_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    retired_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    device_token_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device_tokens.id"))
    user = relationship("User", lazy="joined")


class LoginFailure(db.Model):
    """Failed sign-ins, for throttling (per username and per address)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), index=True)
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)


class LoginThrottle(db.Model):
    """Consecutive failed sign-ins of one account (``address`` '') or of one account from one client
    address; while ``blocked_until`` lies ahead, the next attempt is refused without a password check."""

    __tablename__ = "login_throttles"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80))
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    failures: Mapped[int] = mapped_column(default=0, server_default="0")
    last_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.UniqueConstraint("username", "address", name="uq_login_throttles_username_address"),)


class WebSession(db.Model):
    """A signed-in browser. The cookie carries a random id (only its sha256 is stored); sign-out, a
    locked account, a password change or "revoke all" set ``ended_at``, which ends it at once."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    sid_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    address: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
