"""The small things a new user trips on (issue 13, item 7), each pinned by a test: history rows, unit codes
shown as names, the houses list's commune column, /mine names and forms, missing photos, the message of a
second decision, the first visit, the favicon and the date fields."""

import datetime as dt
import hashlib
import re

import pytest

from server.extensions import db
from server.models import Attachment, HouseEvent
from server.params import parse_day
from tests.server.world import (
    UNITS,
    make_form,
    make_house,
    make_submission,
    make_units,
    make_user,
    sign_in,
    token_of,
)


@pytest.fixture
def world(app):
    make_units(UNITS)
    make_form()
    users = {name: make_user(name, role, code) for name, role, code in [
        ("volunteer", "volunteer", "20968"), ("reviewer", "reviewer", "517"), ("manager", "manager", "49")]}
    house = make_house("2096801", name="Trần Thị B")  # recorded in a village (Thôn 1) of Xã Tam Xuân I
    sub = make_submission(users["volunteer"], house, {"commune_code": "20968"})
    db.session.commit()
    return {"users": users, "house": house, "sub": sub}


def text(r) -> str:
    return r.get_data(as_text=True)


def test_history_names_a_first_state_alone_and_a_survey_by_its_form_title(app, world):
    h, sub = world["house"], world["sub"]
    now = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    db.session.add_all([
        HouseEvent(house_id=h.id, kind="assessed", from_status=None, to_status="assessed",
                   actor_id=world["users"]["volunteer"].id, created_at=now),
        HouseEvent(house_id=h.id, kind="submission", from_status="assessed", to_status="assessed",
                   actor_id=world["users"]["volunteer"].id, reason="house_assessment", submission_id=sub.id,
                   created_at=now)])
    db.session.commit()
    html = text(sign_in(app.test_client(), "reviewer").get(f"/houses/{h.id}"))
    assert "∅" not in html
    assert "Ghi nhận nhà từ khảo sát: Đã khảo sát" in html
    assert ">Khảo sát nhà tạm</td>" in html  # the form's title, not its id
    assert ">house_assessment<" not in html


def test_the_commune_answer_shows_the_units_name(app, world):
    html = text(sign_in(app.test_client(), "reviewer").get(f"/review/{world['sub'].instance_id}"))
    assert "Xã Tam Xuân I (20968)" in html


def test_the_houses_list_shows_the_commune_and_the_village_apart(app, world):
    html = text(sign_in(app.test_client(), "reviewer").get("/houses?unit=517"))
    row = re.search(r"<tr><td><a href=\"/houses/\d+\">\d+</a></td>.*?</tr>", html, re.S).group(0)
    assert '<td data-label="Xã">Xã Tam Xuân I</td>' in row
    assert '<td data-label="Thôn">Thôn 1</td>' in row


def test_mine_names_the_household_and_the_form(app, world):
    vol = world["users"]["volunteer"]
    progress = make_submission(vol, world["house"], {"head_name": None, "stage": "started"},
                               form_id="construction_progress")
    db.session.commit()
    html = text(sign_in(app.test_client(), "volunteer").get("/mine"))
    assert "Theo dõi tiến độ" in html and "Khảo sát nhà tạm" in html  # the form column
    assert html.count(">Trần Thị B</a>") == 2  # the progress report is named by its house
    assert progress.instance_id[:8] not in html


def test_a_photo_not_sent_yet_is_a_placeholder_not_a_broken_image(app, world):
    sub = world["sub"]
    sub.answers = dict(sub.answers, house_photo="front.jpg")
    data = b"not sent"
    db.session.add(Attachment(submission_id=sub.id, name="front.jpg", sha256=hashlib.sha256(data).hexdigest(),
                              size=len(data), content_type="image/jpeg", received=False))
    db.session.commit()
    html = text(sign_in(app.test_client(), "reviewer").get(f"/review/{sub.instance_id}"))
    assert 'class="thumb missing"' in html and "Ảnh chưa được gửi lên" in html
    assert "front.jpg?thumb" not in html and "/front.jpg" not in html


def test_a_second_decision_names_the_state_the_survey_is_in(app, world):
    c = sign_in(app.test_client(), "reviewer")
    iid = world["sub"].instance_id
    r = c.post(f"/review/{iid}", data={"action": "request_changes", "comment": "Thiếu ảnh",
                                       "csrf_token": token_of(c)})
    assert r.status_code == 302
    r = c.post(f"/review/{iid}", data={"action": "approve", "csrf_token": token_of(c)})
    assert r.status_code == 409
    msg = re.search(r'<p class="flash error"[^>]*>([^<]*)</p>', text(r)).group(1)
    assert "yêu cầu sửa" in msg and "«Yêu cầu sửa»" in msg
    assert "duyệt lúc" not in msg


def test_arriving_signed_out_shows_the_sign_in_page_without_an_error(app, world):
    c = app.test_client()
    r = c.get("/", follow_redirects=True)
    assert r.status_code == 200 and 'name="password"' in text(r)
    assert "flash" not in text(r) and "Vui lòng đăng nhập" not in text(r)
    deep = c.get("/houses", follow_redirects=True)  # a link followed while signed out: a note, not an error
    assert 'class="flash note"' in text(deep) and "flash error" not in text(deep)


def test_there_is_a_favicon(app, world):
    c = app.test_client()
    with c.get("/favicon.ico") as r:
        assert r.status_code == 200 and r.data[:4] == b"\x00\x00\x01\x00"
    html = text(c.get("/sign-in"))
    href = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    with c.get(href) as r:
        assert r.status_code == 200 and b"<svg" in r.data


def test_date_fields_take_day_month_year_whatever_the_browser_language(app, world):
    assert parse_day("05/11/2026") == dt.date(2026, 11, 5) == parse_day("5/11/2026") == parse_day("2026-11-05")
    for bad in ("11/31/2026", "5/11/26", "05-11-2026", "a/b/cccc", "1/2/3/4"):
        with pytest.raises(ValueError):
            parse_day(bad)
    c = sign_in(app.test_client(), "reviewer")
    html = text(c.get("/review"))
    assert 'type="date"' not in html and 'placeholder="dd/mm/yyyy"' in html
    assert world["sub"].instance_id in text(c.get("/review?date_from=01/01/2020&date_to=31/12/2099"))
    assert world["sub"].instance_id not in text(c.get("/review?date_to=01/01/2020"))
    bad = c.get("/review?date_from=31/02/2026")
    assert bad.status_code == 200 and 'class="flash error"' in text(bad)
