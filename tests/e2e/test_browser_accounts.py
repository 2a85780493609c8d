"""Real headless Chromium against the live demo server, as the demo admin: create an account, bulk-import
200 accounts from an XLSX (first with two bad rows: refused whole, both rows named in Vietnamese), reset
a password and sign in with it (forced change), and show a phone set-up QR code whose PNG, decoded
(zxing-cpp), the app's core redeems for a token. Screenshots of each page go to the test's tmp dir
(docs/screenshots/web_account*.png and web_enrol_qr.png were taken from them)."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import pytest
import requests
import zxingcpp
from openpyxl import load_workbook
from PIL import Image

from mobile.core import enrolment
from mobile.core.store import TOKEN, Store
from mobile.core.sync_client import SyncClient
from tests.conftest import CHROMIUM
from tests.e2e.test_browser_review import ARGS
from tests.server.services.accounts.sheets import accounts_xlsx, volunteers

pytestmark = [pytest.mark.browser, pytest.mark.e2e]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _sign_in(page, base, username, password="demo"):
    page.goto(base + "/sign-in")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def test_admin_onboards_volunteers_from_the_web(browser, live_server, tmp_path):
    base = live_server.url
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    _sign_in(page, base, "admin")
    page.click("nav >> text=Tài khoản")
    page.wait_for_selector("#accounts")
    assert page.locator("#accounts tr[data-username=volunteer]").count() == 1

    # one account from the form: a one-time password, shown once
    page.click("#new-account")
    page.fill("input[name=username]", "tnv.hoa")
    page.fill("input[name=full_name]", "Trần Thị Hoa")
    page.fill("input[name=phone]", "0905 111 222")
    page.select_option("select[name=role]", "volunteer")
    page.fill("input[name=unit]", "Xã Tam Xuân")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#one-time-password")
    assert "Đã tạo tài khoản tnv.hoa." in page.content()
    _shot(page, tmp_path, "account_created")

    # bulk import: the template from the page, 200 rows, two bad ones refused whole
    page.goto(base + "/accounts/import")
    with page.expect_download() as info:
        page.click("#template")
    template = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert template.sheetnames == ["Tài khoản", "Hướng dẫn", "Đơn vị"]
    header = [c.value for c in template["Tài khoản"][1]]
    rows = volunteers(200, unit="20971")  # the demo is today's country: Xã Tam Xuân (2025)
    rows[41] = ["volunteer", "Trùng tài khoản có sẵn", "0905123456", "Tình nguyện viên", "20971"]  # row 43
    rows[150] = ["tnv.ngoai", "Xã không có", "0905123456", "Tình nguyện viên", "Xã Không Có"]  # row 152
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(accounts_xlsx(rows, headers=header))
    page.set_input_files("input[name=file]", str(bad))
    page.click("button[type=submit].primary")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("#import-errors")
    assert "Chưa nhập tài khoản nào: 2 dòng có lỗi" in errors
    assert "Dòng 43: Tên đăng nhập «volunteer» đã có người dùng." in errors
    assert "Dòng 152: Không có đơn vị «Xã Không Có»." in errors
    _shot(page, tmp_path, "import_refused")
    page.goto(base + "/accounts?q=tnv0")
    assert "Không có tài khoản nào khớp." in page.content()  # nothing was written
    rows[41][0], rows[150][4] = "tnv.thay", "Xã Tam Xuân"
    good = tmp_path / "good.xlsx"
    good.write_bytes(accounts_xlsx(rows, headers=header))
    page.goto(base + "/accounts/import")
    page.set_input_files("input[name=file]", str(good))
    page.click("button[type=submit].primary")
    page.wait_for_selector("#imported")
    assert page.inner_text("#imported") == "Đã tạo 200 tài khoản"
    with page.expect_download() as info:
        page.click("#download-passwords")
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    passwords = {r[0]: r[3] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(passwords) == 200
    r = requests.post(f"{base}/api/v1/auth/token", json={"username": "tnv007", "password": passwords["tnv007"]},
                      timeout=10)
    assert r.status_code == 403 and r.json()["error"]["code"] == "password_change_required"
    page.goto(base + "/accounts?unit=20971")
    _shot(page, tmp_path, "accounts")
    assert "tài khoản" in page.inner_text("h1")

    # reset a password (asked first), then sign in with it: a new password is required first
    page.goto(base + "/accounts/reviewer")
    page.click("#reset-password")
    assert "Đặt lại mật khẩu của reviewer?" in page.inner_text("#question")
    _shot(page, tmp_path, "confirm_reset")
    page.click("#confirm")
    page.wait_for_selector("#one-time-password")
    one_time = page.inner_text("#one-time-password").strip()
    other = browser.new_context(viewport={"width": 1280, "height": 900})
    reviewer = other.new_page()
    _sign_in(reviewer, base, "reviewer", one_time)
    assert reviewer.url.startswith(base + "/password")
    assert "mật khẩu dùng một lần" in reviewer.content()
    _shot(reviewer, tmp_path, "forced_change")
    reviewer.goto(base + "/review")
    assert reviewer.url.startswith(base + "/password")  # nothing else until it is changed
    reviewer.fill("input[name=new_password]", "duyệt-2026")
    reviewer.fill("input[name=new_password_again]", "duyệt-2026")
    reviewer.click("button[type=submit].primary")
    reviewer.wait_for_load_state()
    assert reviewer.url.startswith(base + "/review") and "Đã đổi mật khẩu." in reviewer.content()
    other.close()

    # a phone set-up QR code: the rendered PNG decoded, redeemed by the app's core once
    page.goto(base + "/accounts/tnv.hoa")
    _shot(page, tmp_path, "account")
    page.click("#enrol button")
    page.wait_for_selector("#enrol-qr")
    _shot(page, tmp_path, "enrol_qr")
    src = page.get_attribute("#enrol-qr", "src")
    png = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    on_screen = Image.open(io.BytesIO(page.locator("#enrol-qr").screenshot()))
    decoded = [d.text for d in zxingcpp.read_barcodes(png)]
    assert decoded == [d.text for d in zxingcpp.read_barcodes(on_screen)]  # what Chromium drew reads the same
    assert decoded == [page.get_attribute("#enrol-qr", "data-payload")]
    link = enrolment.parse(decoded[0])
    assert (link.server, link.username) == (base, "tnv.hoa") and re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){2}", link.code)
    phone = Store(tmp_path / "phone")
    try:
        enrolment.redeem(SyncClient(phone, timeout=15), link)
        token = phone.get_setting(TOKEN)
        forms = requests.get(f"{base}/api/v1/forms", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert forms.status_code == 200 and forms.json()
        second = Store(tmp_path / "phone2")
        with pytest.raises(Exception) as refused:
            enrolment.redeem(SyncClient(second, timeout=15), link)
        assert getattr(refused.value, "code", None) == "enrolment_code_used"
        second.close()
    finally:
        phone.close()
    page.goto(base + "/accounts/tnv.hoa")
    assert "Điện thoại đang đăng nhập" in page.content() and page.locator(".device").count() == 1
    ctx.close()
