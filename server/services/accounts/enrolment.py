"""Setting up a phone by QR code (like ODK Central's app users): an admin asks for a one-time
enrolment code on the account's page; the QR code holds the server address, the username and the
code; the field app exchanges it once for a device token (the same tokens a password sign-in gives).

A code is 12 symbols of a 32-letter alphabet (60 random bits, shown as ``ABCD-EFGH-JKMN`` for typing),
valid for ``VALID_HOURS``, stored as its sha256 only. Asking for a new code retires the older ones of
that account. Redeeming is one conditional UPDATE (``... WHERE used_at IS NULL AND retired_at IS NULL
AND expires_at > now``), so two phones racing with one code cannot both get a token, on SQLite and on
PostgreSQL alike. The wire format of the QR payload (``maiam://enrol?server=…&username=…&code=…``) is
read by the phone's ``mobile/core/enrolment.py``; docs/API.md describes both.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import EnrolmentCode, User
from server.models.base import utcnow
from server.models.users import hash_token
from server.services.accounts import audit, auth, users

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: typed from a screen
CODE_LENGTH = 12
VALID_HOURS = 24
PAYLOAD_PREFIX = "maiam://enrol?"


@dataclass(frozen=True)
class Enrolment:
    username: str
    code: str  # shown once, grouped by four
    payload: str  # what the QR code holds
    expires_at: dt.datetime


def normalise(code: str) -> str:
    """What a person typed, as stored: upper case, letters and digits only (dashes and spaces dropped)."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:64]


def payload(server_url: str, username: str, code: str) -> str:
    return PAYLOAD_PREFIX + urlencode({"server": server_url.rstrip("/"), "username": username, "code": code})


def issue(session: Session, actor: User, username: str, server_url: str, *, now: dt.datetime | None = None,
          hours: int = VALID_HOURS) -> Enrolment:
    """A new enrolment code for an account the actor manages; the account's older codes stop working."""
    user = users.get(session, actor, username)
    if not user.is_active:
        raise DomainError("account_disabled")
    now = (now or utcnow()).astimezone(dt.UTC)  # stored in UTC (SQLite keeps no offset)
    _retire(session, user, now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + dt.timedelta(hours=hours)
    session.add(EnrolmentCode(user_id=user.id, code_hash=hash_token(raw), created_by=actor.username,
                              created_at=now, expires_at=expires))
    audit.record("enrolment.issued", actor=actor.username, username=user.username, expires=expires.isoformat())
    shown = "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))
    return Enrolment(user.username, shown, payload(server_url, user.username, shown), expires)


def _retire(session: Session, user: User, now: dt.datetime) -> None:
    E = EnrolmentCode
    session.execute(sa.update(E).where(E.user_id == user.id, E.used_at.is_(None), E.retired_at.is_(None))
                    .values(retired_at=now).execution_options(synchronize_session=False))


def redeem(session: Session, username: str, code: str, device_id: str | None, address: str, *,
           now: dt.datetime | None = None, token_days: int = 180) -> tuple[str, User]:
    """Exchange a code for a device token, once. Refusals: ``enrolment_code_invalid`` (no such code for
    this username, or retired by a newer one), ``enrolment_code_expired``, ``enrolment_code_used`` (also
    the loser of two simultaneous redemptions), ``account_disabled``."""
    now = (now or utcnow()).astimezone(dt.UTC)
    name = (username or "").strip()
    row = session.scalar(sa.select(EnrolmentCode).where(EnrolmentCode.code_hash == hash_token(normalise(code))))
    refusal = _refusal(row, name, now)
    if refusal is not None:
        audit.record("enrolment.refused", username=name[:80], address=address, why=refusal)
        raise DomainError(refusal)
    E = EnrolmentCode
    claimed = session.execute(
        sa.update(E).where(E.id == row.id, E.used_at.is_(None), E.retired_at.is_(None), E.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:  # another phone redeemed it (or it was retired) between our read and our write
        audit.record("enrolment.refused", username=name, address=address, why="enrolment_code_used")
        raise DomainError("enrolment_code_used")
    user = row.user
    token, token_row = auth.new_device_token(session, user, device_id, token_days=token_days)  # as sign-in: wall clock
    session.execute(sa.update(E).where(E.id == row.id).values(device_token_id=token_row.id)
                    .execution_options(synchronize_session=False))
    audit.record("enrolment.redeemed", username=user.username, address=address, device=device_id)
    return token, user


def _refusal(row: EnrolmentCode | None, username: str, now: dt.datetime) -> str | None:
    if row is None or row.user.username != username or row.retired_at is not None:
        return "enrolment_code_invalid"
    if row.used_at is not None:
        return "enrolment_code_used"
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
    if expires <= now:
        return "enrolment_code_expired"
    if not row.user.is_active:
        return "account_disabled"
    return None
