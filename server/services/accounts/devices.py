"""Signed-in phones (device tokens) of the users in an admin's subtree, and taking them back: a lost
or stolen phone, or a volunteer who leaves, must stop syncing at once. Tokens are never deleted
(`revoked_at` is set), so the record of who signed in where stays."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import DeviceToken, OrgUnit, User
from server.models.base import utcnow
from server.services.accounts import access, audit, auth


@dataclass
class Device:
    id: int
    device_id: str | None
    created_at: dt.datetime
    last_seen_at: dt.datetime | None


@dataclass
class Account:
    username: str
    full_name: str
    role: str
    unit_name: str
    active: bool
    devices: list[Device]


def _users_in_scope(session: Session, actor: User):
    return access.visible_users(session, actor)


def accounts(session: Session, actor: User) -> list[Account]:
    """Every user of the subtree with the phones still signed in (not revoked, not expired)."""
    users = session.scalars(_users_in_scope(session, actor).order_by(OrgUnit.path, User.username)).all()
    by_user = _phones(session, [u.id for u in users])
    return [Account(u.username, u.full_name or u.username, u.role, u.unit_name, u.is_active, by_user.get(u.id, []))
            for u in users]


def phones_of(session: Session, actor: User, user: User) -> list[Device]:
    """The phones still signed in as one account of the actor's subtree."""
    access.require(actor, "manage_devices", user)
    return _phones(session, [user.id]).get(user.id, [])


def _phones(session: Session, user_ids: list[int]) -> dict[int, list[Device]]:
    if not user_ids:
        return {}
    tokens = session.scalars(
        sa.select(DeviceToken).where(DeviceToken.user_id.in_(user_ids), DeviceToken.revoked_at.is_(None),
                                     DeviceToken.expires_at > utcnow())
        .order_by(DeviceToken.last_seen_at.desc().nulls_last(), DeviceToken.id.desc())).all()
    by_user: dict[int, list[Device]] = {}
    for t in tokens:
        by_user.setdefault(t.user_id, []).append(Device(t.id, t.device_id, t.created_at, t.last_seen_at))
    return by_user


def device(session: Session, actor: User, token_id: int) -> DeviceToken:
    """One signed-in phone of the actor's subtree; 404 outside it (no leak of what exists)."""
    return access.require(actor, "manage_devices", session.get(DeviceToken, token_id))


def revoke_device(session: Session, actor: User, token_id: int) -> DeviceToken:
    """One phone; 404 for a token outside the actor's subtree (no leak of what exists)."""
    row = device(session, actor, token_id)
    if row.revoked_at is None:
        auth.revoke(session, row, actor=actor.username)
    return row


def account_user(session: Session, actor: User | None, username: str) -> User:
    """The account (``actor`` None: from the command line, anyone); 404 outside the admin's subtree."""
    user = session.scalar(sa.select(User).where(User.username == username))
    if actor is not None:
        return access.require(actor, "manage_devices", user)
    if user is None:
        raise DomainError("not_found")
    return user


def set_active(session: Session, actor: User, username: str, active: bool) -> User:
    """Lock (or unlock) an account: a locked one cannot sign in, and its phones are signed out."""
    user = account_user(session, actor, username)
    if user.id == actor.id and not active:
        raise DomainError("forbidden")  # an admin does not lock themselves out
    user.is_active = active
    audit.record("account.unlocked" if active else "account.locked", actor=actor.username, username=user.username)
    if not active:
        auth.revoke_all(session, user, actor=actor.username)  # every phone and browser signed out
    return user


def revoke_user(session: Session, actor: User | None, username: str) -> int:
    """Every phone of one user (``actor`` None: from the command line). Returns how many."""
    return auth.revoke_all(session, account_user(session, actor, username),
                           actor=actor.username if actor is not None else "command line")
