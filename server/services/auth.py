"""Passwords, device tokens and sign-in throttling. Plain functions on a session."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import DeviceToken, LoginFailure, User
from server.models.base import utcnow
from server.models.users import hash_token


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None (for the web sign-in)."""
    user = session.scalar(sa.select(User).where(User.username == (username or "").strip()))
    if user is None or not user.is_active or not user.check_password(password or ""):
        return None
    return user


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check_throttle(session: Session, username: str, address: str, allowed: int, window_s: int) -> None:
    since = utcnow() - dt.timedelta(seconds=window_s)
    count = session.scalar(
        sa.select(sa.func.count()).select_from(LoginFailure)
        .where(LoginFailure.at >= since, sa.or_(LoginFailure.username == username, LoginFailure.address == address))
    )
    if count >= allowed:
        raise DomainError("too_many_attempts")


def login(session: Session, username: str, password: str, device_id: str | None, address: str, *,
          allowed: int = 5, window_s: int = 900, token_days: int = 180) -> tuple[str, User]:
    """Check the password and issue a new device token (only its sha256 is stored)."""
    username = (username or "").strip()
    check_throttle(session, username, address, allowed, window_s)
    user = session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.check_password(password or ""):
        session.add(LoginFailure(username=username[:80], address=address[:64]))
        session.commit()
        raise DomainError("bad_credentials")
    if not user.is_active:
        raise DomainError("account_disabled")
    token = secrets.token_urlsafe(32)
    session.add(DeviceToken(user_id=user.id, token_hash=hash_token(token), device_id=(device_id or None),
                            expires_at=utcnow() + dt.timedelta(days=token_days)))
    return token, user


def user_for_token(session: Session, token: str) -> tuple[User, DeviceToken]:
    row = session.scalar(sa.select(DeviceToken).where(DeviceToken.token_hash == hash_token(token or "")))
    if row is None:
        raise DomainError("unauthorized")
    if row.revoked_at is not None:
        raise DomainError("token_revoked")
    now = utcnow()
    if _aware(row.expires_at) <= now:
        raise DomainError("token_expired")
    if not row.user.is_active:
        raise DomainError("account_disabled")
    if row.last_seen_at is None or now - _aware(row.last_seen_at) > dt.timedelta(minutes=5):
        row.last_seen_at = now
    return row.user, row


def revoke(session: Session, token_row: DeviceToken) -> None:
    token_row.revoked_at = utcnow()


def revoke_all(session: Session, user: User) -> int:
    rows = session.scalars(sa.select(DeviceToken).where(DeviceToken.user_id == user.id,
                                                        DeviceToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)
