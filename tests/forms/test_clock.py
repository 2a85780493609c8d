"""One clock: today() in expressions, a `today` question and `now()` all read the caller's meta, in Vietnam."""

import datetime as dt

from forms import clock
from forms.definition import load
from forms.session import FormSession
from tests.forms.compile.helpers import compile_md, survey


def _form(tmp_path):
    text = survey(
        "| | today | day | | |",
        "| | date | visit | Ngày | today() |",
        header="| | type | name | label | default |",
    )
    return load(compile_md(tmp_path, text))


def test_today_question_and_today_function_agree_on_a_day_far_from_now(tmp_path):
    s = FormSession(_form(tmp_path), meta={"today": "2031-02-03"})
    assert s.get("day") == "2031-02-03"
    assert s.get("visit") == "2031-02-03"


def test_a_utc_instant_late_in_the_evening_is_the_next_day_in_vietnam(tmp_path):
    s = FormSession(_form(tmp_path), meta={"now": "2030-06-30T20:30:00Z"})
    assert s.get("day") == "2030-07-01" and s.get("visit") == "2030-07-01"


def test_meta_builds_now_and_today_that_agree():
    m = clock.meta(dt.datetime(2029, 12, 31, 18, 0, tzinfo=dt.UTC))
    assert m["today"] == "2030-01-01" and m["now"] == "2030-01-01T01:00:00+07:00"
    assert clock.meta_today(m) == dt.date(2030, 1, 1)
    assert clock.meta_now({"today": "2030-01-01"}) == dt.datetime(2030, 1, 1, tzinfo=clock.VIETNAM)
    assert clock.day_of(dt.datetime(2026, 11, 29, 21, 21)) == dt.date(2026, 11, 30)  # naive = UTC
