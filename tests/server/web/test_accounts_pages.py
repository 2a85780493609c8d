"""The accounts pages (admins): list with search and filters, a new account with a one-time password
that forces a change at the first web sign-in, reset with a confirmation step, the QR code of a phone
set-up (decoded from the PNG), bulk import (all or nothing, rows named) and the export."""

from __future__ import annotations

import base64
import io
import re
from html import unescape

import pytest
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from server.extensions import db
from server.models import User
from tests.server.services.accounts.sheets import accounts_xlsx, volunteers
from tests.server.world import ANOTHER_PROVINCE, COMMUNE_TREE, make_units, make_user, sign_in, token_of


@pytest.fixture
def admin(app):
    make_units(COMMUNE_TREE + ANOTHER_PROVINCE)
    make_user("admin", "admin", "49")
    make_user("lan", "volunteer", "20968").phone = "0905123456"
    make_user("hoa", "reviewer", "20335")
    make_user("minh", "volunteer", "20194")  # Đà Nẵng: outside Quảng Nam
    db.session.commit()
    return sign_in(app.test_client(), "admin")


def _text(resp) -> str:
    return unescape(resp.get_data(as_text=True))


def test_the_list_searches_and_filters_inside_the_subtree(admin):
    page = _text(admin.get("/accounts"))
    assert "Tài khoản người dùng" in page and "3 tài khoản" in page  # admin, lan, hoa; not minh
    assert 'data-username="minh"' not in page
    assert 'data-username="lan"' in _text(admin.get("/accounts?q=Lan"))
    assert 'data-username="hoa"' not in _text(admin.get("/accounts?q=Lan"))
    assert "1 tài khoản" in _text(admin.get("/accounts?role=reviewer"))
    assert 'data-username="lan"' in _text(admin.get("/accounts?unit=517"))
    assert admin.get("/accounts?unit=20194").status_code == 404
    assert admin.get("/accounts/minh").status_code == 404


def _one_time_password(resp) -> str:
    return re.search(r'id="one-time-password" class="secret">([^<]+)<', resp.get_data(as_text=True)).group(1)


def test_a_new_account_must_change_its_password_at_first_sign_in(app, admin):
    r = admin.post("/accounts/new", data={"csrf_token": token_of(admin, "/accounts/new"), "username": "Tuan",
                                          "full_name": "Phạm Văn Tuấn", "phone": "0905 111 222", "role": "volunteer",
                                          "unit": "Xã Tam Xuân II"})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    password = _one_time_password(r)
    assert "Đã tạo tài khoản tuan." in _text(r)
    user = sign_in(app.test_client(), "tuan", password)
    r = user.get("/mine")
    assert r.status_code == 302 and r.headers["Location"].startswith("/password")
    page = _text(user.get("/password"))
    assert "Bạn đang dùng mật khẩu dùng một lần" in page and 'name="password"' not in page
    r = user.post("/password?next=/mine", data={"csrf_token": token_of(user, "/password"), "new_password": "12345678",
                                                "new_password_again": "12345678"})
    assert r.status_code == 422 and "Mật khẩu quá yếu" in _text(r)
    r = user.post("/password?next=/mine", data={"csrf_token": token_of(user, "/password"),
                                                "new_password": "nhà mới 2026", "new_password_again": "nhà mới 2026"})
    assert r.status_code == 302 and r.headers["Location"] == "/mine"
    assert user.get("/mine").status_code == 200
    assert not db.session.scalar(db.select(User.must_change_password).where(User.username == "tuan"))
    sign_in(app.test_client(), "tuan", "nhà mới 2026")


def test_a_new_account_refused_shows_why_and_keeps_what_was_typed(admin):
    r = admin.post("/accounts/new", data={"csrf_token": token_of(admin, "/accounts/new"), "username": "tuan",
                                          "full_name": "Phạm Văn Tuấn", "phone": "123", "role": "volunteer",
                                          "unit": "20968"})
    assert r.status_code == 422 and "Số điện thoại «123» không hợp lệ" in _text(r) and "Phạm Văn Tuấn" in _text(r)
    r = admin.post("/accounts/new", data={"csrf_token": token_of(admin, "/accounts/new"), "username": "tuan",
                                          "role": "volunteer", "unit": "Phường Hòa Minh"})
    assert r.status_code == 403 and "nằm ngoài phạm vi bạn quản lý" in _text(r)


def test_edit_role_and_unit(admin):
    r = admin.post("/accounts/lan", data={"csrf_token": token_of(admin, "/accounts/lan"), "full_name": "Nguyễn Thị Lan",
                                          "phone": "0905123456", "role": "reviewer", "unit": "517"})
    assert r.status_code == 200 and "Đã lưu thay đổi." in _text(r)
    lan = db.session.scalar(db.select(User).where(User.username == "lan"))
    db.session.refresh(lan)
    assert (lan.role, lan.org_unit.code, lan.full_name) == ("reviewer", "517", "Nguyễn Thị Lan")
    r = admin.post("/accounts/admin", data={"csrf_token": token_of(admin, "/accounts/lan"), "role": "volunteer",
                                            "unit": "49"})
    assert r.status_code == 403 and "Không tự đổi vai trò" in _text(r)


def test_reset_asks_first_then_shows_the_password_once(app, admin):
    question = _text(admin.get("/accounts/lan/password"))
    assert "Đặt lại mật khẩu của lan?" in question
    r = admin.post("/accounts/lan/password", data={"csrf_token": token_of(admin, "/accounts/lan")})
    assert r.status_code == 200 and 'id="one-time-password"' not in r.get_data(as_text=True)  # only the question
    sign_in(app.test_client(), "lan", "demo")  # nothing changed
    r = admin.post("/accounts/lan/password", data={"csrf_token": token_of(admin, "/accounts/lan"), "confirmed": "1"})
    password = _one_time_password(r)
    api = app.test_client()
    refused = api.post("/api/v1/auth/token", json={"username": "lan", "password": password})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "password_change_required"
    ok = api.post("/api/v1/auth/password", json={"username": "lan", "password": password, "new_password": "lan-2026-moi",
                                                 "device_id": "phone-lan"})
    assert ok.status_code == 201 and ok.get_json()["user"]["username"] == "lan"
    headers = {"Authorization": "Bearer " + ok.get_json()["token"]}
    assert api.get("/api/v1/forms", headers=headers).status_code == 200


def test_the_qr_code_decodes_to_the_payload_and_sets_up_a_phone(app, admin):
    r = admin.post("/accounts/lan/enrol", data={"csrf_token": token_of(admin, "/accounts/lan")})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    src = re.search(r'id="enrol-qr" src="data:image/png;base64,([^"]+)"', html).group(1)
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(src))))
    payload = unescape(re.search(r'data-payload="([^"]+)"', html).group(1))
    assert [d.text for d in decoded] == [payload]
    assert payload.startswith("maiam://enrol?server=http%3A%2F%2Flocalhost&username=lan&code=")
    code = re.search(r'id="enrol-code" class="secret">([^<]+)<', html).group(1)
    api = app.test_client()
    first = api.post("/api/v1/auth/enrol", json={"username": "lan", "code": code, "device_id": "phone-1"})
    assert first.status_code == 201
    again = api.post("/api/v1/auth/enrol", json={"username": "lan", "code": code, "device_id": "phone-2"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "enrolment_code_used"
    assert "phone-1" in _text(admin.get("/accounts/lan"))  # the account page lists the phone


def test_bulk_import_refuses_the_whole_file_and_names_the_rows(admin):
    rows = volunteers(30)
    rows[9] = ["lan", "Đã có", "", "Tình nguyện viên", "20968"]  # row 11
    rows[19] = ["tnv.dn", "Ngoài tỉnh", "", "Tình nguyện viên", "Phường Hòa Minh"]  # row 21
    r = admin.post("/accounts/import", data={"csrf_token": token_of(admin, "/accounts/import"),
                                             "file": (io.BytesIO(accounts_xlsx(rows)), "tai-khoan.xlsx")},
                   content_type="multipart/form-data")
    page = _text(r)
    assert r.status_code == 422 and "Chưa nhập tài khoản nào: 2 dòng có lỗi" in page
    assert "Dòng 11: Tên đăng nhập «lan» đã có người dùng." in page
    assert "Dòng 21: Đơn vị «Phường Hòa Minh» nằm ngoài phạm vi bạn quản lý." in page
    assert db.session.query(User).count() == 4
    rows[9][0], rows[19][4] = "tnv.moi", "20971"
    r = admin.post("/accounts/import", data={"csrf_token": token_of(admin, "/accounts/import"),
                                             "file": (io.BytesIO(accounts_xlsx(rows)), "tai-khoan.xlsx")},
                   content_type="multipart/form-data")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Đã tạo 30 tài khoản" in page and db.session.query(User).count() == 34
    link = re.search(r'id="download-passwords" href="data:[^;]+;base64,([^"]+)"', page).group(1)
    sheet = load_workbook(io.BytesIO(base64.b64decode(link))).active
    got = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(got) == 30 and db.session.scalar(db.select(User).where(User.username == "tnv000")).check_password(
        got["tnv000"])


def test_template_and_export_downloads(admin):
    r = admin.get("/accounts/template.xlsx")
    assert r.status_code == 200 and "mau-nhap-tai-khoan.xlsx" in r.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(r.data)).sheetnames == ["Tài khoản", "Hướng dẫn", "Đơn vị"]
    r = admin.get("/accounts/export.xlsx?role=volunteer")
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["lan"] and rows[0][2] == "0905123456"
