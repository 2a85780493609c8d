"""Bulk import of accounts from the XLSX template (``account_sheets.template``): all or nothing.

Every row is checked by the same rules as the one-account form (``users``: username, phone, role the
admin may give, unit in the admin's subtree) plus the file's own: a username twice in the file. When any
row is wrong nothing is written and ``ImportRefused`` lists every problem with its row number (the row
as the spreadsheet numbers it); otherwise every account is created with a one-time password, returned
once to be shown and downloaded (never stored in clear).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from server.errors import DomainError
from server.models import User
from server.services.accounts import access, audit, users
from server.services.accounts.account_sheets import COLUMNS

MAX_ROWS = 2000
HEADERS = {key: {"vi": vi, "en": en} for key, vi, en, _ in COLUMNS}


@dataclass(frozen=True)
class RowProblem:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    error: DomainError  # its code and Vietnamese / English text come from the catalogue


class ImportRefused(DomainError):
    """Nothing imported; ``problems`` names each bad row (several problems of one row each count)."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__("import_refused", params={"n": len({p.row for p in problems})})
        self.problems = problems


@dataclass(frozen=True)
class Created:
    username: str
    full_name: str
    role: str
    unit_name: str
    password: str  # one-time, shown once


def read_rows(data: bytes) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {column key: value}) of every non-empty row under the header of the first
    sheet. Headers are matched by their Vietnamese or English name, accents and case ignored."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise DomainError("bad_spreadsheet", field="file") from None
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None) or ()
        names = {users.fold(vi): key for key, vi, _, _ in COLUMNS} | {users.fold(en): key for key, _, en, _ in COLUMNS}
        index = {names[users.fold(h)]: i for i, h in enumerate(header) if h is not None and users.fold(h) in names}
        missing = [vi for key, vi, _, _ in COLUMNS if key not in index and key != "phone"]
        if missing:
            raise DomainError("missing_columns", params={"columns": ", ".join(missing)}, field="file")
        out = []
        for number, row in enumerate(rows, start=2):
            values = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            if len(out) == MAX_ROWS:
                raise DomainError("too_many_rows", params={"n": MAX_ROWS}, field="file")
            out.append((number, values))
        return out
    finally:
        wb.close()


def _check_row(actor: User, finder: users.UnitFinder, values: dict) -> tuple[dict, list[DomainError]]:
    """The row's clean values and its problems, every field checked."""
    clean: dict = {}
    problems: list[DomainError] = []
    checks = (("username", users.clean_username), ("full_name", users.clean_full_name),
              ("phone", users.clean_phone), ("role", lambda v: users.parse_role(actor, v)), ("unit", finder.find))
    for key, check in checks:
        raw = values.get(key)
        if key in ("username", "role", "unit") and (raw is None or str(raw).strip() == ""):
            problems.append(DomainError("required", params={"field": HEADERS[key]}, field=key))
            continue
        try:
            clean[key] = check(raw)
        except DomainError as err:
            problems.append(err)
    return clean, problems


def check(session: Session, actor: User, data: bytes) -> list[tuple[int, dict]]:
    """Every row's clean values, or ``ImportRefused`` naming each problem with its row."""
    if not access.allowed(actor, "manage_accounts"):
        raise DomainError("forbidden")
    rows = read_rows(data)
    finder = users.UnitFinder(session, actor)
    problems: list[RowProblem] = []
    good: list[tuple[int, dict]] = []
    first_row: dict[str, int] = {}
    for number, values in rows:
        clean, found = _check_row(actor, finder, values)
        name = clean.get("username")
        if name is not None and name in first_row:
            found.insert(0, DomainError("duplicate_in_file", params={"value": name, "other": first_row[name]},
                                        field="username"))
        elif name is not None:
            first_row[name] = number
        problems += [RowProblem(number, err) for err in found]
        good.append((number, clean))
    taken = _taken(session, list(first_row))
    problems += [RowProblem(first_row[name], DomainError("username_taken", params={"value": name}, field="username"))
                 for name in taken]
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.row))
    if not good:
        raise DomainError("required", params={"field": {"vi": "ít nhất một dòng tài khoản",
                                                        "en": "at least one account row"}}, field="file")
    return good


def _taken(session: Session, names: list[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(names), 500):
        chunk = names[i:i + 500]
        out |= {n.lower() for n in session.scalars(sa.select(User.username)
                                                     .where(sa.func.lower(User.username).in_(chunk)))}
    return out


def import_accounts(session: Session, actor: User, data: bytes) -> list[Created]:
    """Create every account of the file, or none (``ImportRefused``). Not committed."""
    rows = check(session, actor, data)
    created = []
    for _, v in rows:
        user, password = users.add(session, actor, v["username"], full_name=v["full_name"], phone=v["phone"],
                                   role=v["role"], unit=v["unit"])
        created.append(Created(user.username, user.full_name or "", user.role, v["unit"].name, password))
    users.flush_new(session, rows[0][1]["username"])
    audit.record("accounts.imported", actor=actor.username, n=len(created))
    return created
