"""Accounts as an admin manages them from the web: the list of the subtree (search, filters, pages),
create, edit role / unit / name / phone, and a one-time password. The rules for what an account may
look like (username, phone, role, unit) live here once and serve the page, the bulk import and the
export alike; who may do it is asked of ``access`` (``manage_accounts``, ``assignable_roles``), and
every change is written to the audit log.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import OrgUnit, User
from server.services.accounts import access, audit, auth

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
RESERVED = frozenset({"new", "import", "export.xlsx", "template.xlsx"})  # the accounts page's own paths
MAX_NAME = 200
PER_PAGE = 50

# the words a spreadsheet or a form may use for a role (Vietnamese first), folded (see ``fold``)
ROLE_WORDS = {
    "volunteer": ("volunteer", "tinh nguyen vien", "tnv"),
    "reviewer": ("reviewer", "can bo duyet", "nguoi duyet"),
    "manager": ("manager", "can bo quan ly", "quan ly"),
    "admin": ("admin", "quan tri", "quan tri vien", "administrator"),
}


def fold(text: str) -> str:
    """Lower case without accents or extra spaces: «Cán bộ  Duyệt» and «can bo duyet» are one word."""
    text = unicodedata.normalize("NFD", str(text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return " ".join(text.casefold().split())


# ---- the shape of one account ---------------------------------------------------------------------
def clean_username(raw) -> str:
    name = str(raw or "").strip().lower()
    if not USERNAME.match(name) or name in RESERVED:
        raise DomainError("bad_username", params={"value": str(raw or "").strip()}, field="username")
    return name


def clean_phone(raw) -> str | None:
    """A Vietnamese phone number as ``0...`` (10 or 11 digits), or None when empty. Accepts spaces, dots,
    dashes, ``+84`` / ``84``, and a number a spreadsheet stored without its leading 0."""
    if raw is None or str(raw).strip() == "":
        return None
    text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        digits = "0" + digits
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise DomainError("bad_phone", params={"value": text}, field="phone")
    return digits


def clean_full_name(raw) -> str | None:
    name = " ".join(str(raw or "").split())
    if len(name) > MAX_NAME:
        raise DomainError("name_too_long", params={"n": MAX_NAME}, field="full_name")
    return name or None


def parse_role(actor: User, raw) -> str:
    """A role named in English or Vietnamese that ``actor`` may give."""
    word = fold(raw)
    role = next((r for r, words in ROLE_WORDS.items() if word in words), None)
    if role is None:
        raise DomainError("bad_role", params={"value": str(raw or "").strip()}, field="role")
    if role not in access.assignable_roles(actor):
        raise DomainError("role_not_allowed", params={"value": str(raw).strip()}, field="role")
    return role


class UnitFinder:
    """Finds the unit a person wrote: its code, else its name (accents and case ignored). Loaded once
    (a bulk import asks for hundreds of rows). ``find`` answers only units in ``actor``'s subtree."""

    def __init__(self, session: Session, actor: User):
        self.home = access.home(session, actor)
        units = session.scalars(sa.select(OrgUnit).where(OrgUnit.active.is_(True))).all()
        self.by_code = {u.code: u for u in units}
        self.by_name: dict[str, list[OrgUnit]] = {}
        for u in units:
            self.by_name.setdefault(fold(u.name), []).append(u)

    def find(self, raw) -> OrgUnit:
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw or "").strip()
        if not text:
            raise DomainError("required", params={"field": {"vi": "đơn vị", "en": "unit"}}, field="unit")
        found = [self.by_code[text]] if text in self.by_code else self.by_name.get(fold(text), [])
        if not found:
            raise DomainError("unknown_unit", params={"value": text}, field="unit")
        mine = [u for u in found if access.contains(self.home, u)]
        if not mine:
            raise DomainError("unit_outside_scope", params={"value": text}, field="unit")
        if len(mine) > 1:
            raise DomainError("ambiguous_unit", params={"value": text}, field="unit")
        return mine[0]

    def choices(self) -> list[OrgUnit]:
        """Every unit of the subtree, in tree order (the page's list to pick from)."""
        return sorted((u for u in self.by_code.values() if access.contains(self.home, u)), key=lambda u: u.path)


def username_taken(session: Session, username: str) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(sa.func.lower(User.username) == username.lower()))))


# ---- the list ------------------------------------------------------------------------------------------
@dataclass
class AccountPage:
    items: list[User]
    total: int
    page: int
    pages: int


def search(session: Session, actor: User, *, q: str = "", role: str = "", unit_code: str = "",
           page: int = 1, per_page: int = PER_PAGE) -> AccountPage:
    """The accounts of the actor's subtree: ``q`` in the username or full name, one role, one unit's
    subtree (404 for a unit the actor may not see), ordered by unit then username."""
    query = _filtered(session, actor, q=q, role=role, unit_code=unit_code)
    total = session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    items = session.scalars(query.order_by(OrgUnit.path, User.username)
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return AccountPage(list(items), total, page, pages)


def every(session: Session, actor: User, *, q: str = "", role: str = "", unit_code: str = "") -> list[User]:
    """The same list, whole (the export)."""
    query = _filtered(session, actor, q=q, role=role, unit_code=unit_code)
    return list(session.scalars(query.order_by(OrgUnit.path, User.username)).all())


def _filtered(session: Session, actor: User, *, q: str, role: str, unit_code: str):
    if not access.allowed(actor, "manage_accounts"):
        raise DomainError("forbidden")
    query = access.visible_users(session, actor)
    if unit_code:
        unit = access.unit_in_scope(session, actor, unit_code)
        query = query.where(access.in_subtree(OrgUnit.path, unit.path))
    if role in access.ROLES:
        query = query.where(User.role == role)
    words = " ".join(str(q or "").split())[:80]
    if words:
        like = f"%{words}%"
        query = query.where(sa.or_(User.username.ilike(like), User.full_name.ilike(like)))
    return query


# ---- one account ---------------------------------------------------------------------------------------
def get(session: Session, actor: User, username: str) -> User:
    """An account the actor manages (404 outside their subtree: no leak of who exists)."""
    user = session.scalar(sa.select(User).where(User.username == username))
    return access.require(actor, "manage_accounts", user)


def create(session: Session, actor: User, *, username, full_name, phone, role, unit,
           finder: UnitFinder | None = None) -> tuple[User, str]:
    """A new account with a one-time password (returned once): it must be changed at first sign-in."""
    if not access.allowed(actor, "manage_accounts"):
        raise DomainError("forbidden")
    name = clean_username(username)
    values = {"full_name": clean_full_name(full_name), "phone": clean_phone(phone), "role": parse_role(actor, role),
              "unit": (finder or UnitFinder(session, actor)).find(unit)}
    if username_taken(session, name):
        raise DomainError("username_taken", params={"value": name}, field="username")
    user, password = add(session, actor, name, **values)
    flush_new(session, name)
    return user, password


def add(session: Session, actor: User, username: str, *, full_name, phone, role, unit: OrgUnit) -> tuple[User, str]:
    """Add an account whose values are already checked (``create``, the bulk import): a one-time
    password, audited. Not flushed."""
    user = User(username=username, full_name=full_name, phone=phone, role=role, org_unit_id=unit.id, org_unit=unit)
    password = auth.set_one_time_password(user)
    session.add(user)
    audit.record("account.created", actor=actor.username, username=username, role=role, unit=unit.code)
    return user, password


def flush_new(session: Session, username: str) -> None:
    """Write the new accounts now: a username taken meanwhile by another admin is ``username_taken``."""
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DomainError("username_taken", params={"value": username}, field="username") from None


def update(session: Session, actor: User, username: str, *, full_name, phone, role, unit) -> User:
    """Change an account's name, phone, role and unit (within the actor's subtree and rank; never one's own
    role or unit)."""
    user = get(session, actor, username)
    new_role, new_unit = parse_role(actor, role), UnitFinder(session, actor).find(unit)
    if user.id == actor.id and (new_role != user.role or new_unit.id != user.org_unit_id):
        raise DomainError("own_account")
    before = (user.role, user.org_unit.code if user.org_unit else None)
    user.full_name, user.phone = clean_full_name(full_name), clean_phone(phone)
    user.role, user.org_unit_id, user.org_unit = new_role, new_unit.id, new_unit
    audit.record("account.changed", actor=actor.username, username=user.username, role=[before[0], new_role],
                 unit=[before[1], new_unit.code])
    return user


def reset_password(session: Session, actor: User, username: str) -> tuple[User, str]:
    """A new one-time password (shown once); the account is signed out everywhere."""
    user = get(session, actor, username)
    return user, auth.give_one_time_password(session, user, actor=actor.username)
