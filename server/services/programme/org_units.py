"""Loading the org-unit tree from CSV (`level,code,name,parent_code`, the GSO format in shared/domain)."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import OrgUnit

REQUIRED_COLUMNS = ("level", "code", "name", "parent_code")


def import_csv(session: Session, text: str) -> dict[str, int]:
    """Create or update units; parents may come in any order. All or nothing (caller commits)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or any(c not in reader.fieldnames for c in REQUIRED_COLUMNS):
        raise DomainError("invalid_request", fields={"csv": [f"columns must be {', '.join(REQUIRED_COLUMNS)}"]})
    rows = []
    for line, row in enumerate(reader, start=2):
        code, name, level = (row.get("code") or "").strip(), (row.get("name") or "").strip(), (row.get("level") or "").strip()
        if not code or not name or not level:
            raise DomainError("invalid_request", fields={f"line {line}": ["level, code and name are required"]})
        rows.append((level, code, name, (row.get("parent_code") or "").strip() or None, line))
    existing = {u.code: u for u in session.scalars(sa.select(OrgUnit))}
    pending = list(rows)
    created = updated = 0
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
            progress = True
        if not progress:
            bad = rest[0]
            raise DomainError("invalid_request",
                              fields={f"line {bad[4]}": [f"parent {bad[3]} of {bad[1]} is not in the tree"]})
        pending = rest
    return {"created": created, "updated": updated}
