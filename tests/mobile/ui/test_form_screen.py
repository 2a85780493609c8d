"""The form screen with the real widgets on a small form: inline messages, live relevance (only the
changed widgets shown again), choice filters, GPS accept-when-better, repeats, summary jump."""

from datetime import date

import pytest

from mobile.core.store import TOKEN, USERNAME, Store
from tests.mobile.core.presenters.small_form import SMALL

pytestmark = pytest.mark.ui


def test_form_screen_behaviours(run_driver, tmp_path):
    store = Store(tmp_path / "phone")
    store.save_form(SMALL, "h")
    store.set_setting(USERNAME, "volunteer")
    store.set_setting(TOKEN, "offline")
    store.close()
    r = run_driver("behaviours", tmp_path / "phone",
                   {"fixes": [[15.57, 108.47, 10.0, 35.0], [15.5734, 108.474, 12.0, 6.0]]})
    assert r["first_page"] == ["intro"]
    assert r["required_error"] == "Hãy nhập họ tên"
    assert r["page_message"] == "Hãy sửa các ô báo đỏ trước khi sang trang."
    assert r["constraint_error"] == "Số người từ 1 đến 20"
    assert r["constraint_cleared"] == ""
    assert "has_roof" in r["shown_after_yes"] and "head_name" not in r["shown_after_yes"]
    assert r["pages_added"] == 1
    assert r["relevant_page"] == ["roof_material"]
    assert r["villages"] == ["Thôn Mới"]
    assert r["visit_date"] == date.today().isoformat()
    assert r["half_time"] == [None, "Giờ không hợp lệ."]
    assert r["visit_time"] == "07:05:00"
    assert r["gps_answer"].split()[:2] == ["15.5734", "108.474"]
    assert "±6 m" in r["gps_value"]
    assert "6" in r["gps_status"]
    assert r["repeat_rows"] == ["add:rooms", "remove:rooms[1]"]
    assert r["repeat_after_remove"] == ["add:rooms", "remove:rooms[1]"]
    assert r["rooms"] == [{"room_area": 12.5}]
    assert r["summary_ready"], r["summary_heading"]
    assert r["summary_items"] == ["head_name"]
    assert r["jumped_to"] == ["form", ["head_name"]]


def test_desktop_photo_and_location_come_from_the_file_chooser(run_driver, tmp_path):
    from tests.conftest import PHOTOS

    store = Store(tmp_path / "phone")
    store.save_form(SMALL, "h")
    store.set_setting(TOKEN, "offline")
    store.close()
    r = run_driver("chooser", tmp_path / "phone", {"photo": str(PHOTOS / "DSCN0040.jpg")})
    assert r["has_camera"] is False
    assert r["button"] == "Chọn ảnh"
    assert r["photo_answer"].endswith(".jpg")
    assert r["thumbnail"].endswith(r["photo_answer"])
    lat, lon, _alt, acc = (float(x) for x in r["location"].split())
    assert (round(lat, 3), round(lon, 3)) == (43.466, 11.879)
    assert acc > 0
    assert r["location_status"].startswith("Vị trí lấy từ ảnh")
    assert r["no_gps"] == "Máy không có GPS. Hãy nhập toạ độ hoặc lấy từ ảnh."
    before, after, screen = r["back_key"]
    assert (after, screen) == (before - 1, "form")


def test_a_form_with_questions_the_phone_cannot_capture_still_opens(run_driver, tmp_path):
    """audio, geotrace ... : a card saying «not supported on this device»; a barcode is typed; range a number."""
    from forms.compile import compile_file
    from tests.forms.odk_forms import SERVER_TYPES

    source = tmp_path / "types.md"
    source.write_text(SERVER_TYPES, encoding="utf-8")
    store = Store(tmp_path / "phone")
    store.save_form(compile_file(source), "h")
    store.set_setting(TOKEN, "offline")
    store.close()
    widgets = run_driver("unsupported", tmp_path / "phone", {})["widgets"]
    assert widgets["voice"] == ["UnsupportedQuestion", "Loại câu hỏi này không hỗ trợ trên máy này. "
                                "Hãy bỏ qua hoặc trả lời bằng công cụ khác."]
    assert widgets["road"][0] == widgets["plot"][0] == widgets["building"][0] == "UnsupportedQuestion"
    assert widgets["code"][0] == "TextQuestion" and widgets["score"][0] == "DecimalQuestion"
