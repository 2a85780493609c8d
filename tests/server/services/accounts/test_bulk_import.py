"""Bulk import of accounts from the XLSX template: all or nothing, each bad row named with its row
number in Vietnamese; one-time passwords returned once; the template and the export read back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from server.errors import DomainError
from server.extensions import db
from server.models import User
from server.services.accounts import account_sheets, bulk_import, users
from tests.server.services.accounts.sheets import accounts_xlsx, volunteers
from tests.server.world import ANOTHER_PROVINCE, COMMUNE_TREE, make_units, make_user


@pytest.fixture
def admin(app):
    make_units(COMMUNE_TREE + ANOTHER_PROVINCE)
    make_user("lan", "volunteer", "20968")
    a = make_user("admin_nt", "admin", "517")  # Huyện Núi Thành
    db.session.commit()
    return a


def _count() -> int:
    return db.session.query(User).count()


def test_two_hundred_accounts_in_one_go(admin):
    rows = volunteers(199) + [["tnv.tx2", "Lê Thị B", "+84 905 000 111", "cán bộ duyệt", "Xã Tam Xuân II"]]
    created = bulk_import.import_accounts(db.session, admin, accounts_xlsx(rows))
    db.session.commit()
    assert len(created) == 200 and _count() == 202
    b = db.session.query(User).filter_by(username="tnv.tx2").one()
    assert (b.role, b.org_unit.code, b.phone, b.must_change_password) == ("reviewer", "20971", "0905000111", True)
    assert b.check_password(created[-1].password)


def test_every_bad_row_is_named_and_nothing_is_written(admin):
    rows = volunteers(10)
    rows[2] = ["lan", "Trùng tài khoản có sẵn", "", "Tình nguyện viên", "20968"]  # row 4: taken
    rows[4] = ["tnv001", "Trùng dòng 3", "0905123456", "Tình nguyện viên", "20968"]  # row 6: twice in the file
    rows[5] = ["tnv005", "Xã khác huyện", "0905123456", "Tình nguyện viên", "20335"]  # row 7: outside
    rows[6] = ["tnv006", "Không có xã", "0905123456", "Tình nguyện viên", "Xã Không Có"]  # row 8: unknown
    rows[7] = ["tnv007", "Vai trò lạ", "12345", "chủ tịch", "20968"]  # row 9: bad phone and bad role
    with pytest.raises(bulk_import.ImportRefused) as refused:
        bulk_import.import_accounts(db.session, admin, accounts_xlsx(rows))
    err = refused.value
    found = [(p.row, p.error.code) for p in err.problems]
    assert found == [(4, "username_taken"), (6, "duplicate_in_file"), (7, "unit_outside_scope"),
                     (8, "unknown_unit"), (9, "bad_phone"), (9, "bad_role")]
    assert err.message("vi") == ("Chưa nhập tài khoản nào: 5 dòng có lỗi. Hãy sửa các dòng dưới đây rồi tải tệp lên "
                                 "lại.")
    texts = [p.error.message("vi") for p in err.problems]
    assert texts[1] == "Tên đăng nhập «tnv001» trùng với dòng 3 trong tệp."
    assert texts[2] == "Đơn vị «20335» nằm ngoài phạm vi bạn quản lý."
    db.session.rollback()
    assert _count() == 2


def test_headers_in_english_blank_rows_and_missing_fields(admin):
    data = accounts_xlsx([["minh", "Minh", None, "volunteer", 20968], [None] * 5, ["", "No name", "", "", ""]],
                         headers=["Username", "Full name", "Phone", "Role", "Unit (code or name)"])
    with pytest.raises(bulk_import.ImportRefused) as refused:
        bulk_import.import_accounts(db.session, admin, data)
    assert {(p.row, p.error.code) for p in refused.value.problems} == {(4, "required")}
    assert len(refused.value.problems) == 3  # username, role, unit of row 4


@pytest.mark.parametrize("data, code", [(b"not a spreadsheet", "bad_spreadsheet"), (b"", "bad_spreadsheet"),
                                        (accounts_xlsx([], headers=["Tên", "Điện thoại"]), "missing_columns"),
                                        (accounts_xlsx([]), "required")])
def test_files_that_are_not_the_template(admin, data, code):
    with pytest.raises(DomainError) as err:
        bulk_import.import_accounts(db.session, admin, data)
    assert err.value.code == code


def test_too_many_rows(admin, monkeypatch):
    monkeypatch.setattr(bulk_import, "MAX_ROWS", 5)
    with pytest.raises(DomainError, match="too_many_rows"):
        bulk_import.import_accounts(db.session, admin, accounts_xlsx(volunteers(6)))


def test_the_template_lists_the_admins_units_and_reads_back(admin):
    wb = load_workbook(io.BytesIO(account_sheets.template(users.UnitFinder(db.session, admin).choices())))
    assert wb.sheetnames == ["Tài khoản", "Hướng dẫn", "Đơn vị"]
    assert [c.value for c in wb["Tài khoản"][1]] == [c[1] for c in account_sheets.COLUMNS]
    assert {r[0] for r in wb["Đơn vị"].iter_rows(min_row=2, values_only=True)} == {"517", "20968", "20971"}
    ws = wb["Tài khoản"]
    ws.append(["hai", "Hai", "0905123456", "Tình nguyện viên", "20968"])
    out = io.BytesIO()
    wb.save(out)
    assert [c.username for c in bulk_import.import_accounts(db.session, admin, out.getvalue())] == ["hai"]


def test_the_export_has_the_templates_columns_and_no_formulas(admin):
    make_user("evil", "volunteer", "20968").full_name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    ws = load_workbook(io.BytesIO(account_sheets.export(users.every(db.session, admin)))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("Tên đăng nhập", "Họ và tên", "Số điện thoại", "Vai trò", "Mã đơn vị", "Đơn vị", "Trạng thái")
    assert {r[0] for r in rows[1:]} == {"admin_nt", "evil", "lan"}
    evil = next(r for r in rows if r[0] == "evil")
    assert evil[1].startswith("=HYPERLINK") and ws.cell(row=rows.index(evil) + 1, column=2).data_type == "s"
    assert evil[3] == "Tình nguyện viên" and users.parse_role(admin, evil[3]) == "volunteer"
