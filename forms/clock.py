"""The one clock: what "now" and "today" are, for the phone, the server and the form engine.

People read dates in Vietnam (Asia/Ho_Chi_Minh, UTC+7 all year: no daylight saving since 1975), so a
day begins at 00:00 in Vietnam whatever the machine's own zone. Code that needs the time asks this
module, or better takes a ``now`` argument that defaults to it, so tests pass the clock in.

The form engine reads the clock only through ``meta`` (``meta_now`` / ``meta_today``): the caller puts
``now`` (ISO 8601 with offset) and/or ``today`` (``YYYY-MM-DD``) there, and both XLSForm's ``today()``
and a ``today`` question give the same day.
"""

from __future__ import annotations

import datetime as dt

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")  # fixed offset: tzdata is not always on a phone


def now() -> dt.datetime:
    """This instant, as an aware datetime in Vietnam's time."""
    return dt.datetime.now(VIETNAM)


def today() -> dt.date:
    """Today's date in Vietnam (not the machine's zone, not UTC)."""
    return now().date()


def in_vietnam(value: dt.datetime) -> dt.datetime:
    """An aware datetime shown in Vietnam's time (a naive one is taken as UTC, as the database stores)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(VIETNAM)


def day_of(value: dt.datetime) -> dt.date:
    """The date in Vietnam at that instant."""
    return in_vietnam(value).date()


def meta(at: dt.datetime | None = None, **extra) -> dict:
    """The engine's ``meta`` for an instant: ``now`` and ``today`` agree (Vietnam's time)."""
    at = in_vietnam(at) if at is not None else now()
    return {"now": at.replace(microsecond=0).isoformat(), "today": at.date().isoformat(), **extra}


def _parse_datetime(value) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=VIETNAM)
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VIETNAM)


def _parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def meta_now(meta: dict | None) -> dt.datetime:
    """``now`` from the caller's meta; else midnight of its ``today`` in Vietnam; else the real clock."""
    meta = meta or {}
    given = meta.get("now")
    if given:
        parsed = _parse_datetime(given)
        if parsed is not None:
            return parsed
    day = _parse_date(meta.get("today")) if meta.get("today") else None
    if day is not None:
        return dt.datetime.combine(day, dt.time(), VIETNAM)
    return now()


def meta_today(meta: dict | None) -> dt.date:
    """``today`` from the caller's meta; else the day of its ``now`` in Vietnam; else today in Vietnam."""
    meta = meta or {}
    day = _parse_date(meta.get("today")) if meta.get("today") else None
    if day is not None:
        return day
    return meta_now(meta).astimezone(VIETNAM).date() if meta.get("now") else today()
