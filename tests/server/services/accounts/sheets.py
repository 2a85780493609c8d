"""XLSX files for the account import tests (made with openpyxl from the template's columns)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from server.services.accounts.account_sheets import COLUMNS


def accounts_xlsx(rows, headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [c[1] for c in COLUMNS])
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def volunteers(n: int, unit: str = "20968", prefix: str = "tnv") -> list[list]:
    """``n`` good rows: username, full name, phone, role, unit."""
    return [[f"{prefix}{i:03d}", f"Nguyễn Văn {i}", f"09051{i:05d}", "Tình nguyện viên", unit] for i in range(n)]
