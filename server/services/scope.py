"""Who may see what: every query is limited to the actor's subtree of the org-unit tree."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import OrgUnit, User


def home(session: Session, actor: User) -> OrgUnit:
    return actor.org_unit or session.get(OrgUnit, actor.org_unit_id)


def unit_by_code(session: Session, code: str) -> OrgUnit | None:
    return session.scalar(sa.select(OrgUnit).where(OrgUnit.code == str(code)))


def unit_in_scope(session: Session, actor: User, code: str | None) -> OrgUnit:
    """`code`'s unit when it lies in the actor's subtree (404 otherwise: no leak of what exists)."""
    mine = home(session, actor)
    if not code:
        return mine
    unit = unit_by_code(session, code)
    if unit is None or not unit.path.startswith(mine.path):
        raise DomainError("not_found")
    return unit


def subtree_filter(path_col, unit: OrgUnit):
    return path_col.startswith(unit.path, autoescape=True)


def require_role(actor: User, *roles: str) -> None:
    if actor.role not in roles:
        raise DomainError("forbidden")
