"""Sign-in (the one path for the phone's API and the web pages), throttling, the password rule, device
tokens and revocation. Plain functions on a session; no Flask.

Throttling counts consecutive failures per account and per (account, client address), never per
address alone (a whole office behind one NAT, or the proxy, must not lock each other out). Each
attempt is *claimed* with one conditional UPDATE before the password is checked, so parallel guesses
cannot all slip past the count; a success clears the account's counters. After ``allowed`` failures
the next attempt is refused for ``first_delay_s``, doubling with each further failure up to
``max_delay_s``; a counter untouched for ``forget_after_s`` starts again from zero.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from server.errors import DomainError
from server.models import DeviceToken, LoginFailure, LoginThrottle, User
from server.models.base import utcnow
from server.models.users import hash_token
from server.services.accounts import audit, web_sessions

MIN_PASSWORD_LENGTH = 8
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed on a phone
ONE_TIME_LENGTH = 10
# A one-time password is 10 random symbols of 31 (49 bits), not a word a person chose: a salted PBKDF2 of
# 10,000 rounds is far beyond guessing offline, and costs ~8 ms instead of scrypt's ~300 ms on this
# server class, so a bulk import of 200 accounts answers in seconds, not a minute.
ONE_TIME_HASH = "pbkdf2:sha256:10000"


@dataclass(frozen=True)
class Throttle:
    per_address: int = 5  # failures of one account from one client address before delays start
    per_account: int = 20  # failures of one account from every address together
    first_delay_s: int = 30
    max_delay_s: int = 900
    forget_after_s: int = 3600

    @classmethod
    def from_config(cls, cfg) -> Throttle:
        return cls(per_address=cfg["LOGIN_FAILURES_ALLOWED"], per_account=cfg["LOGIN_ACCOUNT_FAILURES_ALLOWED"],
                   first_delay_s=cfg["LOGIN_FIRST_DELAY_SECONDS"], max_delay_s=cfg["LOGIN_MAX_DELAY_SECONDS"],
                   forget_after_s=cfg["LOGIN_WINDOW_SECONDS"])

    def delays(self) -> list[int]:
        """Seconds refused after the allowed-th failure, the next one, ... (the last one repeats)."""
        out, delay = [], max(1, self.first_delay_s)
        while delay < self.max_delay_s:
            out.append(delay)
            delay *= 2
        return out + [self.max_delay_s]


class Throttled(DomainError):
    def __init__(self, retry_after_s: int):
        super().__init__("too_many_attempts", fields={"retry_after": retry_after_s})
        self.retry_after_s = retry_after_s


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# ---- passwords ------------------------------------------------------------------------------------
def password_problems(password: str, username: str) -> list[str]:
    """Why a new password is refused (empty when it is acceptable)."""
    password = password or ""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit():
        problems.append("not only digits")
    if username and password.strip().lower() == username.strip().lower():
        problems.append("not the username")
    return problems


def check_new_password(password: str, username: str) -> None:
    """The rule for every password a person chooses (the demo seeder alone bypasses it)."""
    problems = password_problems(password, username)
    if problems:
        raise DomainError("weak_password", fields={"password": problems})


def change_password(session: Session, user: User, password: str, actor: str | None = None) -> None:
    """Set a new password; every browser and phone signed in as ``user`` is signed out."""
    check_new_password(password, user.username)
    user.password = password
    user.must_change_password = False
    ended = web_sessions.end_all(session, user)
    tokens = _revoke_tokens(session, user)
    audit.record("password.changed", actor=actor, username=user.username, web_sessions=ended, tokens=tokens)


def one_time_password() -> str:
    """A random password an admin hands over once (ten letters and digits, at least one of each)."""
    while True:
        word = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        if not word.isalpha() and not word.isdigit():
            return word


def set_one_time_password(user: User) -> str:
    """Give ``user`` a new one-time password (returned once; stored hashed) that must be replaced at the
    next sign-in, web or phone."""
    password = one_time_password()
    user.password_hash = generate_password_hash(password, method=ONE_TIME_HASH)
    user.must_change_password = True
    return password


def give_one_time_password(session: Session, user: User, actor: str) -> str:
    """``set_one_time_password`` for an existing account: every browser and phone signed in as ``user``
    is signed out."""
    password = set_one_time_password(user)
    ended = web_sessions.end_all(session, user)
    tokens = _revoke_tokens(session, user)
    audit.record("password.reset", actor=actor, username=user.username, web_sessions=ended, tokens=tokens)
    return password


@functools.cache
def _dummy_hash() -> str:
    """Checked for unknown usernames so they cost as much as known ones (no listing by timing)."""
    return generate_password_hash(secrets.token_urlsafe(16), method="scrypt")


def _password_matches(user: User | None, password: str) -> bool:
    stored = user.password_hash if user is not None and user.password_hash.startswith(("scrypt:", "pbkdf2:")) else None
    ok = check_password_hash(stored or _dummy_hash(), password or "")
    return ok and stored is not None and bool(password)


# ---- throttling -----------------------------------------------------------------------------------
def _insert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _claim(session: Session, username: str, address: str, allowed: int, policy: Throttle,
           now: dt.datetime) -> int | None:
    """Count one attempt against (username, address) unless it is blocked. None when the attempt may
    go on, else the seconds until it may. One conditional UPDATE: atomic on SQLite and PostgreSQL."""
    T = LoginThrottle
    session.execute(_insert(session)(T).values(username=username, address=address, failures=0, last_at=now)
                    .on_conflict_do_nothing(index_elements=["username", "address"]))
    stale = now - dt.timedelta(seconds=policy.forget_after_s)
    failures = sa.case((T.last_at < stale, 1), else_=T.failures + 1)
    at = functools.partial(sa.literal, type_=T.blocked_until.type)
    steps = policy.delays()
    blocked = sa.case((failures < allowed, sa.null()),
                      *[(failures == allowed + i, at(now + dt.timedelta(seconds=s))) for i, s in enumerate(steps)],
                      else_=at(now + dt.timedelta(seconds=steps[-1])))
    claimed = session.execute(
        sa.update(T).where(T.username == username, T.address == address,
                           sa.or_(T.blocked_until.is_(None), T.blocked_until <= now))
        .values(failures=failures, last_at=now, blocked_until=blocked)
        .execution_options(synchronize_session=False)).rowcount
    session.commit()  # visible to every other attempt before the (slow) password check
    if claimed:
        return None
    until = session.scalar(sa.select(T.blocked_until).where(T.username == username, T.address == address))
    return max(1, int((_aware(until) - now).total_seconds() + 0.999)) if until else 1


def _clear(session: Session, username: str, address: str, policy: Throttle, now: dt.datetime) -> None:
    """A success: this account's counters go, and so do counters nobody touched for a while (guessed
    usernames would otherwise pile up)."""
    T = LoginThrottle
    stale = now - dt.timedelta(seconds=policy.forget_after_s)
    session.execute(sa.delete(T).where(sa.or_(
        sa.and_(T.username == username, T.address.in_([address, ""])),
        sa.and_(T.last_at < stale, sa.or_(T.blocked_until.is_(None), T.blocked_until < now)))))


# ---- sign-in --------------------------------------------------------------------------------------
def sign_in(session: Session, username: str, password: str, address: str, policy: Throttle, *,
            channel: str, now: dt.datetime | None = None) -> User:
    """The user behind ``username``/``password``, or a refusal: ``too_many_attempts`` (Throttled),
    ``bad_credentials`` (unknown user, wrong password, and a locked account with a wrong password:
    all alike), ``account_disabled`` (a locked account, right password). Commits the attempt."""
    now = now or utcnow()
    name = (username or "").strip()[:80]
    address = (address or "")[:64]
    for key_address, allowed in ((address, policy.per_address), ("", policy.per_account)):
        wait = _claim(session, name, key_address, allowed, policy, now)
        if wait is not None:
            audit.record("sign_in.throttled", channel=channel, username=name, address=address, retry_after=wait)
            raise Throttled(wait)
    user = session.scalar(sa.select(User).where(User.username == name)) if name else None
    if not _password_matches(user, password):
        session.add(LoginFailure(username=name, address=address, at=now))
        session.commit()
        audit.record("sign_in.failed", channel=channel, username=name, address=address)
        raise DomainError("bad_credentials")
    if not user.is_active:
        audit.record("sign_in.refused_locked", channel=channel, username=name, address=address)
        raise DomainError("account_disabled")
    _clear(session, name, address, policy, now)
    audit.record("sign_in.ok", channel=channel, username=name, address=address)
    return user


def login(session: Session, username: str, password: str, device_id: str | None, address: str,
          policy: Throttle, *, token_days: int = 180) -> tuple[str, User]:
    """The phone's sign-in: a new device token (only its sha256 is stored). A one-time password gets
    no token: ``password_change_required`` (the phone then calls ``login_with_new_password``)."""
    user = sign_in(session, username, password, address, policy, channel="api")
    if user.must_change_password:
        session.commit()  # the attempt counted and the counters cleared, as for any right password
        raise DomainError("password_change_required")
    return issue_token(session, user, device_id, token_days=token_days), user


def login_with_new_password(session: Session, username: str, password: str, new_password: str,
                            device_id: str | None, address: str, policy: Throttle, *,
                            token_days: int = 180) -> tuple[str, User]:
    """The phone sets a new password (a one-time one, or its own) and signs in with it in one call:
    the old password checked like any sign-in (throttled), the new one by the password rule."""
    user = sign_in(session, username, password, address, policy, channel="api")
    change_password(session, user, new_password, actor=user.username)
    return issue_token(session, user, device_id, token_days=token_days), user


def issue_token(session: Session, user: User, device_id: str | None, *, token_days: int = 180,
                now: dt.datetime | None = None) -> str:
    """A new device token for ``user`` (returned once; only its sha256 is stored)."""
    return new_device_token(session, user, device_id, token_days=token_days, now=now)[0]


def new_device_token(session: Session, user: User, device_id: str | None, *, token_days: int = 180,
                     now: dt.datetime | None = None) -> tuple[str, DeviceToken]:
    """``issue_token`` with its row (flushed: the row has its id)."""
    token = secrets.token_urlsafe(32)
    row = DeviceToken(user_id=user.id, token_hash=hash_token(token), device_id=(device_id or None),
                      expires_at=(now or utcnow()) + dt.timedelta(days=token_days))
    session.add(row)
    session.flush()
    return token, row


# ---- device tokens --------------------------------------------------------------------------------
def user_for_token(session: Session, token: str, kind: str = "app") -> tuple[User, DeviceToken]:
    """The user behind a device token of ``kind`` ("app": the field app's bearer token; "collect": the
    key in an OpenRosa URL, server.services.accounts.collect_keys); one kind never opens the other's door."""
    row = session.scalar(sa.select(DeviceToken).where(DeviceToken.token_hash == hash_token(token or "")))
    if row is None or (row.kind or "app") != kind:
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


def revoke(session: Session, token_row: DeviceToken, actor: str | None = None) -> None:
    """One phone's token (its own sign-out, or an admin taking back a lost phone)."""
    token_row.revoked_at = utcnow()
    audit.record("token.revoked", actor=actor or token_row.user.username, username=token_row.user.username,
                 device=token_row.device_id)


def _revoke_tokens(session: Session, user: User) -> int:
    rows = session.scalars(sa.select(DeviceToken).where(DeviceToken.user_id == user.id,
                                                        DeviceToken.revoked_at.is_(None))).all()
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)


def revoke_all(session: Session, user: User, actor: str | None = None) -> int:
    """Sign ``user`` out everywhere: every phone token and every browser session. Returns the tokens."""
    n = _revoke_tokens(session, user)
    ended = web_sessions.end_all(session, user)
    audit.record("tokens.revoked_all", actor=actor, username=user.username, tokens=n, web_sessions=ended)
    return n
