"""The form presenter on the real engine and a real store: saving, relevance, choice filters, inline
messages, Next/Back, repeats, summary, finish, photos and GPS."""

from __future__ import annotations

import pytest
from PIL import Image

from mobile.core.location import GpsFix
from mobile.core.outbox import Outbox
from mobile.core.presenters.form import FormPresenter
from tests.conftest import PHOTOS
from tests.mobile.core.presenters.small_form import SMALL

META = {"username": "volunteer", "deviceid": "test-device"}


@pytest.fixture
def presenter(store):
    store.save_form(SMALL, "h1")
    draft_id = store.create_draft("small", "1")
    return FormPresenter(store, draft_id, lang="vi", meta=META)


def questions_on_page(p):
    return [r.key for r in p.rows() if r.kind == "question" and r.view.relevant]


def test_every_answer_is_in_the_store_when_answer_returns(presenter, store):
    presenter.answer("head_name", "Nguyễn Văn An")
    assert store.get_draft(presenter.draft_id).answers["head_name"] == "Nguyễn Văn An"
    presenter.answer("members", 4)
    assert store.get_draft(presenter.draft_id).answers["members"] == 4


def test_constraint_message_is_shown_inline_in_the_form_language(presenter):
    presenter.answer("members", 25)
    assert presenter.view("members").error == "Số người từ 1 đến 20"
    presenter.answer("members", 5)
    assert presenter.view("members").error == ""


def test_relevance_is_live_and_only_changed_fields_are_reported(presenter):
    assert not presenter.session.is_relevant("roof_material")
    change = presenter.answer("has_roof", "yes")
    assert "roof_material" in change.fields
    assert "head_name" not in change.fields
    assert presenter.session.is_relevant("roof_material")
    assert presenter.go_to("roof_material")
    assert "roof_material" in questions_on_page(presenter)


def test_choice_filter_follows_the_commune(presenter):
    presenter.answer("commune", "20971")
    assert [name for name, _ in presenter.view("village").choices] == ["2097101"]
    presenter.answer("commune", "20968")
    assert [label for _, label in presenter.view("village").choices] == ["Thôn 1", "Thôn 2"]


def test_next_stops_on_a_required_question_with_its_message(presenter):
    assert presenter.go_to("head_name")
    index = presenter.index
    assert not presenter.next()
    assert presenter.index == index
    assert presenter.view("head_name").error == "Hãy nhập họ tên"
    assert presenter.message == "Hãy sửa các ô báo đỏ trước khi sang trang."
    presenter.answer("head_name", "Lê Thị Hồng")
    assert presenter.next()
    assert presenter.index == index + 1
    assert presenter.back()
    assert presenter.index == index


def test_repeats_add_and_remove_items(presenter, store):
    change = presenter.add_repeat("rooms")
    assert change.relayout
    assert presenter.go_to("rooms[1]/room_area")
    presenter.answer("rooms[1]/room_area", 12.5)
    presenter.add_repeat("rooms")
    presenter.answer("rooms[2]/room_area", 9)
    assert [r["room_area"] for r in store.get_draft(presenter.draft_id).answers["rooms"]] == [12.5, 9]
    presenter.remove_repeat("rooms", 1)
    assert [r["room_area"] for r in store.get_draft(presenter.draft_id).answers["rooms"]] == [9]


def test_summary_lists_what_is_missing_and_jumps_to_it(presenter):
    summary = presenter.summary()
    assert not summary.ready
    missing = [item.field for item in summary.items]
    assert "head_name" in missing and "visit_date" in missing
    assert presenter.go_to("visit_date")
    assert "visit_date" in questions_on_page(presenter)


def fill(p):
    p.answer("head_name", "Trần Văn Bảy")
    p.answer("members", 3)
    p.answer("has_roof", "no")
    p.answer("commune", "20968")
    p.answer("village", "2096802")
    p.answer("visit_date", "2026-11-28")


def test_finish_puts_the_survey_in_the_outbox(presenter, store):
    fill(presenter)
    summary = presenter.summary()
    assert summary.ready, summary.items
    ok, message = presenter.finish()
    assert ok, message
    assert message == "Đã đưa phiếu vào hộp thư đi."
    [item] = Outbox(store).items()
    assert item.state == "queued"
    assert item.envelope["answers"]["head_name"] == "Trần Văn Bảy"


def test_photo_is_resized_to_the_question_max_pixels(presenter, store):
    presenter.attach_photo("front", str(PHOTOS / "jolla.jpg"))
    name = presenter.session.get("front")
    assert name.endswith(".jpg")
    with Image.open(presenter.photo_file(name)) as img:
        assert max(img.size) == 800  # the photo sent
    view = presenter.view("front")
    with Image.open(view.media) as img:
        assert max(img.size) <= 480  # the thumbnail shows a small preview of it


def test_unreadable_photo_gets_a_plain_message(presenter, tmp_path):
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg")
    presenter.attach_photo("front", str(bad))
    assert presenter.session.get("front") in (None, "")
    assert "Không đọc được ảnh" in presenter.view("front").error


def test_gps_accepts_the_first_fix_better_than_the_threshold(presenter):
    presenter.start_gps("location", threshold_m=10)
    assert presenter.view("location").busy
    presenter.gps_fix(GpsFix(15.57, 108.47, 10.0, 35.0))
    assert presenter.session.get("location") in (None, "")
    assert "35" in presenter.view("location").status
    presenter.gps_fix(GpsFix(15.5734, 108.474, 12.0, 6.0))
    value = presenter.session.get("location")
    assert value.split()[:2] == ["15.5734", "108.474"] and float(value.split()[3]) == 6.0
    assert not presenter.view("location").busy
    assert "6" in presenter.view("location").status


def test_gps_stop_keeps_the_best_fix_with_its_accuracy(presenter):
    presenter.start_gps("location", threshold_m=5)
    presenter.gps_fix(GpsFix(15.0, 108.0, 0.0, 40.0))
    presenter.gps_fix(GpsFix(15.1, 108.1, 0.0, 20.0))
    presenter.stop_gps()
    assert presenter.session.get("location").split()[3] in ("20", "20.0")


def test_geopoint_from_a_photo_or_typed(presenter):
    presenter.geopoint_from_photo("location", str(PHOTOS / "DSCN0010.jpg"))
    lat, lon, _alt, acc = (float(x) for x in presenter.session.get("location").split())
    assert (round(lat, 4), round(lon, 4)) == (43.4674, 11.8851) and acc > 0
    presenter.geopoint_from_photo("location", str(PHOTOS / "jolla.jpg"))
    assert presenter.view("location").status == "Ảnh này không có vị trí GPS"
    presenter.typed_geopoint("location", "15,5734; 108,4740")
    assert presenter.session.get("location").split()[:2] == ["15.5734", "108.474"]
    presenter.typed_geopoint("location", "abc")
    assert presenter.view("location").error.startswith("Toạ độ chưa đúng")


def test_messages_follow_the_form_language(store):
    store.save_form(SMALL, "h1")
    p = FormPresenter(store, store.create_draft("small", "1"), lang="en", meta=META)
    p.answer("members", 25)
    assert p.view("members").error == "Between 1 and 20 people"
    assert p.view("members").label == "People"
    assert p.go_to("head_name") and not p.next()
    assert p.message == "Please fix the fields marked in red first."
    assert p.summary().title == "Review before sending"
