"""Real headless Chromium against the live demo server: an admin uploads a changed XLSForm with a mistake
(the page names sheet / row / column in Vietnamese), uploads it fixed, previews it page by page, publishes
it; the phone's own sync code (mobile.core) then downloads the new version, sends a survey made with it,
and the versions list counts it. Screenshots of each page go to the test's tmp dir."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from forms.definition import load
from mobile.core.example import fill_survey
from mobile.core.outbox import Outbox
from mobile.core.store import Store
from mobile.core.sync_client import SyncClient
from mobile.core.transport import RequestsTransport
from server import create_app
from server.extensions import db
from server.models import Submission, User
from server.services.accounts import access
from tests.conftest import PHOTOS
from tests.e2e.test_browser_review import _shot, _sign_in, browser  # noqa: F401 - the browser fixture
from tests.server.world import LIBRARY, xlsform

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

NEW = "2026120501"
LABEL = ("survey", 11, "label::Tiếng Việt (vi)")  # address_detail
MISTAKE = ("survey", 11, "relevant")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


VILLAGES = LIBRARY / "house_assessment-media" / "villages.csv"  # the form's select_one_from_file list


def _file(data: bytes) -> dict:
    return {"name": "house_assessment.xlsx", "mimeType": XLSX, "buffer": data}


def _upload(page, data: bytes) -> None:
    """The XLSForm and its media file, as a form author picks them on the page."""
    page.set_input_files("input[name=xlsform]", _file(data))
    page.set_input_files("input[name=media]", [str(VILLAGES)])


def _count(server, version: str, username: str = "admin") -> int:
    """The surveys of a version within the user's subtree by today's unit tree (the demo's houses were
    recorded in Quảng Nam's 2024 communes, now part of Đà Nẵng), asked of the access rules directly."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": server.database_url, "MEDIA_ROOT": str(server.media_root)})
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        q = access.visible_submissions(db.session, user).where(Submission.form_id == "house_assessment",
                                                                Submission.form_version == version)
        return db.session.scalar(sa.select(sa.func.count()).select_from(q.subquery()))


def _row(page, version: str):
    return page.locator(f"#form-house_assessment tr[data-version='{version}']")


def test_an_admin_publishes_a_changed_form_and_the_phone_gets_it(browser, live_server, tmp_path):  # noqa: F811
    store = Store(tmp_path / "phone")
    phone = SyncClient(store, Outbox(store, rng=random.Random(1)), transport=RequestsTransport(), timeout=20)
    phone.login(live_server.url, "volunteer", "demo")
    assert "house_assessment" in phone.refresh_forms()
    old = store.get_form("house_assessment")["version"]
    assert old != NEW

    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = ctx.new_page()
    _sign_in(page, live_server.url, "admin")
    page.click("nav >> text=Biểu mẫu")
    page.wait_for_selector("#upload")
    _shot(page, tmp_path, "forms")
    assert _row(page, old).locator(".surveys").inner_text() == str(_count(live_server, old))

    # 1. a changed form with a mistake: named by sheet, row and column, in Vietnamese
    _upload(page, xlsform(version=NEW, cells={LABEL: "Địa chỉ chi tiết (xóm, số nhà, ngõ)",
                                               MISTAKE: "${thon_moi} = 'yes'"}))
    page.click("#check-form")
    page.wait_for_selector("#problems")
    _shot(page, tmp_path, "forms-error")
    cells = page.locator("table.problems tbody tr").first.locator("td").all_inner_texts()
    assert cells[:3] == ["survey", "11", "relevant (J)"]
    assert "không có câu hỏi nào tên «thon_moi»" in cells[3]

    # 2. fixed: every page as the phone shows it
    fixed = xlsform(version=NEW, cells={LABEL: "Địa chỉ chi tiết (xóm, số nhà, ngõ)"})
    _upload(page, fixed)
    page.click("#check-form")
    page.wait_for_selector("#preview")
    _shot(page, tmp_path, "form-preview")
    text = page.inner_text("#preview")
    assert "Địa chỉ chi tiết (xóm, số nhà, ngõ)" in text
    assert "Chỉ hiện khi «Hộ đã từng được hỗ trợ nhà ở chưa?» là «Có»." in text
    assert page.locator("section.phone").count() == 13
    assert "Thôn 1" in text  # the villages come from villages.csv
    assert phone.refresh_forms() == []  # a draft is not served to phones

    # 3. published: the phone gets the new version at its next sync
    page.click("#publish-form")
    page.wait_for_selector(".flash")
    assert f"phiên bản «{NEW}»" in page.inner_text(".flash")
    assert phone.refresh_forms() == ["house_assessment"]
    definition = store.get_form("house_assessment")
    assert definition["version"] == NEW
    assert load(definition).node("address_detail").label["vi"] == "Địa chỉ chi tiết (xóm, số nhà, ngõ)"

    # 4. a survey made with it is counted against the new version; the old version keeps its count
    files = [PHOTOS / "DSCN0010.jpg", PHOTOS / "DSCN0040.jpg", PHOTOS / "iphone_hdr_NO.jpg"]
    item = fill_survey(store, phone.outbox, "house_assessment", seed=5, photo_files=files)
    assert item.envelope["form_version"] == NEW
    assert phone.sync_once().sent == 1
    page.reload()
    _shot(page, tmp_path, "forms-published")
    assert _row(page, NEW).locator(".surveys").inner_text() == "1"
    assert "Đang phát hành" in _row(page, NEW).inner_text()
    assert _row(page, old).locator(".surveys").inner_text() == str(_count(live_server, old)) != "0"
    with page.expect_download() as info:
        _row(page, NEW).locator("a.download").click()
    assert Path(info.value.path()).read_bytes() == fixed
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone's browser
    _shot(page, tmp_path, "forms-narrow")
    page.goto(f"{live_server.url}/forms/house_assessment/versions/{NEW}")
    _shot(page, tmp_path, "form-version-narrow")
    ctx.close()
    store.close()
