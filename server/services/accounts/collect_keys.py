"""How ODK Collect, KoboCollect and Enketo sign in to the OpenRosa endpoints (server/openrosa).

Two ways, as ODK Central offers them:

- a **Collect key** in the URL (``/openrosa/key/<key>/<unit>``, like Central's app users): a random
  256-bit token made on the account's "ODK Collect" page and shown once; only its sha256 is stored, in
  ``device_tokens`` with ``kind='collect'`` (so it is listed and revoked on the devices page like a
  phone, and it opens only the OpenRosa endpoints, never the app's API). Works over HTTP too.
- **HTTP Basic** with the account's own username and password, over HTTPS only (the password would
  travel in clear otherwise), through ``auth.sign_in``: throttled like any sign-in.

HTTP Digest is not offered: it needs a password-equivalent MD5 of every password kept for the realm
(docs/API.md "ODK Collect" says why).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import secrets
import zlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import DeviceToken, User
from server.models.base import utcnow
from server.models.users import hash_token
from server.services.accounts import audit, auth

KIND = "collect"
LABEL = "ODK Collect"
MAX_KEYS = 20  # live Collect keys of one account (an honest volunteer has one or two phones)


def create(session: Session, user: User, label: str | None = None, days: int = 365) -> tuple[str, DeviceToken]:
    """A new key for ``user`` (the key itself is returned once, never stored)."""
    if len(active(session, user)) >= MAX_KEYS:
        raise DomainError("too_many_keys", params={"n": MAX_KEYS})
    key = secrets.token_urlsafe(32)
    name = " ".join((label or "").split())[:80] or LABEL
    row = DeviceToken(user_id=user.id, token_hash=hash_token(key), device_id=name, kind=KIND,
                      expires_at=utcnow() + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    audit.record("collect_key.created", actor=user.username, username=user.username, device=name)
    return key, row


def active(session: Session, user: User) -> list[DeviceToken]:
    """The account's Collect keys that still open the door, newest first."""
    return list(session.scalars(
        sa.select(DeviceToken).where(DeviceToken.user_id == user.id, DeviceToken.kind == KIND,
                                     DeviceToken.revoked_at.is_(None), DeviceToken.expires_at > utcnow())
        .order_by(DeviceToken.id.desc())).all())


def revoke_own(session: Session, user: User, key_id: int) -> DeviceToken:
    """One of the account's own keys (a lost phone); 404 for anyone else's."""
    row = session.get(DeviceToken, key_id)
    if row is None or row.user_id != user.id or row.kind != KIND:
        raise DomainError("not_found")
    if row.revoked_at is None:
        auth.revoke(session, row, actor=user.username)
    return row


def user_for_key(session: Session, key: str) -> User:
    """The account behind a Collect key (401 unknown, revoked, expired; 403 locked account)."""
    user, _ = auth.user_for_token(session, key, kind=KIND)
    return user


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(username, password) of an ``Authorization: Basic`` header; None when there is none."""
    kind, _, value = (header or "").partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        text = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise DomainError("unauthorized") from None
    username, sep, password = text.partition(":")
    if not sep:
        raise DomainError("unauthorized")
    return username, password


def user_for_basic(session: Session, header: str | None, address: str, policy: auth.Throttle,
                   secure: bool) -> User:
    """The account of a Basic header, signed in through ``auth.sign_in`` (throttled). Over plain HTTP the
    password is not even checked: ``https_required``."""
    creds = basic_credentials(header)
    if creds is None:
        raise DomainError("unauthorized")
    if not secure:
        raise DomainError("https_required")
    return auth.sign_in(session, creds[0], creds[1], address, policy, channel="openrosa")


def settings_payload(server_url: str, username: str | None = None, project: str = "Mái Ấm") -> str:
    """ODK Collect's own settings QR code content (zlib-compressed JSON, base64): scanned in Collect's
    "Configure with QR code", it sets the server URL (with a key: nothing else to type)."""
    general = {"server_url": server_url, "protocol": "odk_default"}
    if username:
        general["username"] = username
    settings = {"general": general, "admin": {}, "project": {"name": project, "icon": "M", "color": "#1f6f50"}}
    return base64.b64encode(zlib.compress(json.dumps(settings, ensure_ascii=False).encode("utf-8"))).decode("ascii")
