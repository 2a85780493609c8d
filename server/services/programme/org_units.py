"""The org-unit tree today: loading it from CSV (`level,code,name,parent_code`, the GSO format in
shared/domain), adding and renaming a unit, listing and searching it. Changes over time (a unit retired,
merged, split) are reorganisations (``reorganise.py``); this module touches only units in force."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import OrgUnit
from server.services.accounts import access, audit
from server.services.programme import unit_history

REQUIRED_COLUMNS = ("level", "code", "name", "parent_code")


def import_csv(session: Session, text: str, actor=None) -> dict[str, int]:
    """Create or update units in force; parents may come in any order. All or nothing (caller commits).
    With an ``actor`` (an admin on the units page) every unit must land in their subtree."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or any(c not in reader.fieldnames for c in REQUIRED_COLUMNS):
        raise DomainError("invalid_request", fields={"csv": [f"columns must be {', '.join(REQUIRED_COLUMNS)}"]})
    rows = []
    for line, row in enumerate(reader, start=2):
        code, name, level = (row.get("code") or "").strip(), (row.get("name") or "").strip(), (row.get("level") or "").strip()
        if not code or not name or not level:
            raise DomainError("invalid_request", fields={f"line {line}": ["level, code and name are required"]})
        rows.append((level, code, name, (row.get("parent_code") or "").strip() or None, line))
    existing = {u.code: u for u in session.scalars(sa.select(OrgUnit).where(OrgUnit.valid_to.is_(None)))}
    pending = list(rows)
    created = updated = 0
    touched: list[OrgUnit] = []
    while pending:
        progress = False
        rest = []
        for level, code, name, parent_code, line in pending:
            parent = existing.get(parent_code) if parent_code else None
            if parent_code and parent is None:
                rest.append((level, code, name, parent_code, line))
                continue
            path = (parent.path if parent else "/") + code + "/"
            unit = existing.get(code)
            if unit is None:
                unit = OrgUnit(code=code, name=name, level=level, parent_id=parent.id if parent else None, path=path)
                session.add(unit)
                created += 1
            else:
                if (unit.name, unit.level, unit.path) != (name, level, path):
                    updated += 1
                unit.name, unit.level, unit.parent_id, unit.path = name, level, parent.id if parent else None, path
            session.flush()
            existing[code] = unit
            touched.append(unit)
            progress = True
        if not progress:
            bad = rest[0]
            raise DomainError("invalid_request",
                              fields={f"line {bad[4]}": [f"parent {bad[3]} of {bad[1]} is not in the tree"]})
        pending = rest
    if actor is not None:
        mine = access.home(session, actor)
        outside = [unit.code for unit in touched if not mine.contains(unit)]
        if outside:
            raise DomainError("invalid_request", fields={"csv": [f"{outside[0]} is outside your unit"]})
        audit.record("units_import", actor=actor.username, created=created, updated=updated)
    return {"created": created, "updated": updated}


def add(session: Session, actor, *, parent_code: str, code: str, name: str, level: str) -> OrgUnit:
    """A new unit in force under ``parent_code`` (a unit of the actor's subtree)."""
    parent = access.require(actor, "manage_units", unit_history.by_code(session, (parent_code or "").strip()))
    if parent.valid_to is not None:
        raise DomainError("not_found")
    code, name, level = (code or "").strip(), (name or "").strip(), (level or "").strip()
    if not code or not name or not level or len(code) > 20 or len(name) > 200 or len(level) > 30:
        raise DomainError("invalid_request", fields={"unit": ["level, code and name are required"]})
    if session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == code, OrgUnit.valid_to.is_(None))):
        raise DomainError("invalid_request", fields={"code": [f"{code} is already in use"]})
    unit = OrgUnit(code=code, name=name, level=level, parent_id=parent.id, path=parent.path + code + "/")
    session.add(unit)
    session.flush()
    audit.record("unit_add", actor=actor.username, code=code, name=name, parent=parent.code)
    return unit


def rename(session: Session, actor, unit_id: int, name: str) -> OrgUnit:
    """Correct a unit's name (a spelling; a real change of unit is a reorganisation)."""
    unit = access.require(actor, "manage_units", session.get(OrgUnit, unit_id))
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise DomainError("invalid_request", fields={"name": ["a name is required"]})
    old, unit.name = unit.name, name
    audit.record("unit_rename", actor=actor.username, code=unit.code, old=old, new=name)
    return unit


def listing(session: Session, actor, query: str = "", limit: int = 500) -> list[OrgUnit]:
    """Today's units of the actor's subtree in tree order; ``query`` filters by code or name."""
    q = (sa.select(OrgUnit).where(access.in_subtree(OrgUnit.path, access.home(session, actor).path),
                                  OrgUnit.valid_to.is_(None)).order_by(OrgUnit.path).limit(limit))
    if query:
        like = f"%{query.strip()[:100]}%"
        q = q.where(sa.or_(OrgUnit.code.ilike(like), OrgUnit.name.ilike(like)))
    return list(session.scalars(q))
