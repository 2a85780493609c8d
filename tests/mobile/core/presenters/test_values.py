"""What the date/time boxes turn into (wire values of docs/architecture.md §2)."""

from datetime import date, datetime, timedelta, timezone

import pytest

from mobile.core.presenters import values

VN = timezone(timedelta(hours=7))


def test_date_from_parts_and_back():
    assert values.date_value("28", "11", "2026") == "2026-11-28"
    assert values.date_value(" 1", "2", "2025") == "2025-02-01"
    assert values.date_parts("2026-11-28") == ("28", "11", "2026")
    assert values.date_value("", "", "") is None


@pytest.mark.parametrize(
    "parts", [("31", "2", "2026"), ("1", "13", "2026"), ("1", "1", "26"), ("1", "", "2026")]
)
def test_wrong_or_half_typed_dates_are_refused(parts):
    with pytest.raises(ValueError):
        values.date_value(*parts)


def test_time_and_datetime():
    assert values.time_value("7", "5") == "07:05:00"
    assert values.time_parts("07:05:00") == ("7", "05")
    with pytest.raises(ValueError):
        values.time_value("25", "00")
    assert values.datetime_value("28", "11", "2026", "7", "30", tz=VN) == "2026-11-28T07:30:00+07:00"
    assert values.datetime_parts("2026-11-28T07:30:00+07:00") == ("28", "11", "2026", "7", "30")
    assert values.datetime_value("", "", "", "", "") is None
    with pytest.raises(ValueError):
        values.datetime_value("28", "11", "2026", "", "", tz=VN)


def test_quick_buttons():
    assert values.today_parts(date(2026, 11, 28)) == ("28", "11", "2026")
    assert values.now_parts(datetime(2026, 11, 28, 9, 3)) == ("9", "03")


def test_unreadable_values_show_empty_boxes():
    assert values.date_parts("not a date") == ("", "", "")
    assert values.time_parts(None) == ("", "")
    assert values.datetime_parts("") == ("", "", "", "", "")
