"""The spreadsheets of the accounts page (openpyxl): the bulk-import template, the export of the list,
and the one-time passwords of a bulk import (made once, in the answer to the upload; never stored).

The columns are one table, ``COLUMNS``, read by the import (``bulk_import``) too, so an export has the
template's columns and a person can copy rows from one to the other. Headers are Vietnamese; the
import also accepts the English names.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from forms.text import Catalogue
from server.models import OrgUnit, User
from server.services.reports.spreadsheet_text import keep_text

# key, Vietnamese header, English header (accepted on import), column width
COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("username", "Tên đăng nhập", "Username", 20),
    ("full_name", "Họ và tên", "Full name", 28),
    ("phone", "Số điện thoại", "Phone", 16),
    ("role", "Vai trò", "Role", 20),
    ("unit", "Đơn vị (mã hoặc tên)", "Unit (code or name)", 28),
)
ROLE_NAMES = Catalogue({  # how a spreadsheet names each role (users.ROLE_WORDS reads these back)
    "volunteer": {"vi": "Tình nguyện viên", "en": "Volunteer"},
    "reviewer": {"vi": "Cán bộ duyệt", "en": "Reviewer"},
    "manager": {"vi": "Cán bộ quản lý", "en": "Manager"},
    "admin": {"vi": "Quản trị", "en": "Administrator"},
})
GUIDE = (
    "Mỗi dòng của trang «Tài khoản» là một tài khoản mới. Dòng 1 là tiêu đề: giữ nguyên.",
    "Tên đăng nhập: 3–40 ký tự, chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang; không trùng.",
    "Số điện thoại: có thể bỏ trống; 10 hoặc 11 chữ số bắt đầu bằng 0 (hoặc +84).",
    "Vai trò: Tình nguyện viên, Cán bộ duyệt, Cán bộ quản lý hoặc Quản trị.",
    "Đơn vị: mã đơn vị (ví dụ 20968) hoặc tên đúng như trang «Đơn vị» (ví dụ Xã Tam Xuân I).",
    "Nhập tất cả hoặc không nhập gì: nếu có dòng sai, không tài khoản nào được tạo và trang web ghi rõ số dòng.",
    "Mỗi tài khoản nhận một mật khẩu dùng một lần, phải đổi khi đăng nhập lần đầu.",
)


def _sheet(ws, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            keep_text(cell)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template(units: Sequence[OrgUnit]) -> bytes:
    """The import template: an empty «Tài khoản» sheet (headers only, phone and unit as text), a guide,
    and the units the admin may use (code, name, level)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tài khoản"
    _sheet(ws, [c[1] for c in COLUMNS], [], [c[3] for c in COLUMNS])
    for col in ("C", "E"):  # a typed 0905… stays text, and so does a code like 20968
        for row in range(2, 1002):
            ws[f"{col}{row}"].number_format = "@"
    _sheet(wb.create_sheet("Hướng dẫn"), ["Hướng dẫn"], [[line] for line in GUIDE], [110])
    _sheet(wb.create_sheet("Đơn vị"), ["Mã", "Tên", "Cấp"], [[u.code, u.name, u.level] for u in units], [12, 36, 14])
    return _bytes(wb)


SHEET_TEXT = Catalogue({
    "sheet": {"vi": "Tài khoản", "en": "Accounts"},
    "username": {"vi": "Tên đăng nhập", "en": "Username"},
    "full_name": {"vi": "Họ và tên", "en": "Full name"},
    "phone": {"vi": "Số điện thoại", "en": "Phone"},
    "role": {"vi": "Vai trò", "en": "Role"},
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "status": {"vi": "Trạng thái", "en": "Status"},
    "active": {"vi": "Đang dùng", "en": "Active"},
    "locked": {"vi": "Đã khoá", "en": "Locked"},
    "must_change": {"vi": "Chờ đổi mật khẩu", "en": "Must change password"},
})


def status_key(user: User) -> str:
    return "locked" if not user.is_active else "must_change" if user.must_change_password else "active"


def export(users: Sequence[User], lang: str = "vi") -> bytes:
    """The list as the page shows it: the template's first columns, then unit code, unit and status."""
    text = functools.partial(SHEET_TEXT.text, lang=lang)
    headers = [text(k) for k in ("username", "full_name", "phone", "role", "unit_code", "unit", "status")]
    rows = [[u.username, u.full_name or "", u.phone or "", ROLE_NAMES.text(u.role, lang),
             u.org_unit.code if u.org_unit else "", u.unit_name, text(status_key(u))] for u in users]
    wb = Workbook()
    _sheet(wb.active, headers, rows, [20, 28, 16, 20, 12, 28, 20])
    wb.active.title = text("sheet")
    return _bytes(wb)


def passwords(created: Sequence[tuple[str, str, str, str]]) -> bytes:
    """(username, full name, unit name, one-time password) of a bulk import, to hand out once."""
    wb = Workbook()
    _sheet(wb.active, ["Tên đăng nhập", "Họ và tên", "Đơn vị", "Mật khẩu dùng một lần"], created, [20, 28, 28, 24])
    wb.active.title = "Mật khẩu"
    return _bytes(wb)
