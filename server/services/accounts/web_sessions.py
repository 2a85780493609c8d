"""Browser sign-ins kept on the server: the cookie holds a random id, the row says whether it still
counts. Sign-out ends one; locking an account, changing its password or "revoke all" end them all;
an idle one ends by itself. A copied cookie is worth nothing once its row has ended."""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.models import User, WebSession
from server.models.base import utcnow
from server.models.users import hash_token
from server.services.accounts import audit

TOUCH_EVERY = dt.timedelta(seconds=60)  # last_seen_at is written at most once a minute per session


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def start(session: Session, user: User, address: str) -> str:
    """A new session for ``user``; returns the id for the cookie (only its sha256 is stored)."""
    sid = secrets.token_urlsafe(32)
    session.add(WebSession(user_id=user.id, sid_hash=hash_token(sid), address=(address or "")[:64]))
    return sid


def current(session: Session, sid: str | None, idle_minutes: int, now: dt.datetime | None = None) -> User | None:
    """The user of a live session, or None (unknown, ended, idle too long, account locked). An idle
    session is ended here; a live one has its ``last_seen_at`` moved on (caller commits)."""
    if not sid:
        return None
    now = now or utcnow()
    row = session.scalar(sa.select(WebSession).where(WebSession.sid_hash == hash_token(sid)))
    if row is None or row.ended_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if now - _aware(row.last_seen_at) > dt.timedelta(minutes=idle_minutes):
        row.ended_at = now
        audit.record("web_session.idle_ended", username=user.username)
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
    return user


def end(session: Session, sid: str | None, address: str = "") -> None:
    """Sign-out: this browser's session ends (caller commits)."""
    if not sid:
        return
    row = session.scalar(sa.select(WebSession).where(WebSession.sid_hash == hash_token(sid),
                                                     WebSession.ended_at.is_(None)))
    if row is not None:
        row.ended_at = utcnow()
        user = session.get(User, row.user_id)
        audit.record("web_session.signed_out", username=user.username if user else None, address=address)


def end_all(session: Session, user: User) -> int:
    """Every browser session of ``user`` (lock, password change, revoke all). Returns how many."""
    result = session.execute(sa.update(WebSession)
                             .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
                             .values(ended_at=utcnow()).execution_options(synchronize_session=False))
    return result.rowcount or 0
