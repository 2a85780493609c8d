"""Turn what the user typed into answer values (§2 of docs/architecture.md) and back, without Kivy.

Every function returns the wire value, `None` when the parts are still empty, and raises
`ValueError` when they are filled but wrong (the widget shows the message).
"""

from __future__ import annotations

import datetime as _dt


def date_value(day: str, month: str, year: str) -> str | None:
    """'28', '11', '2026' -> '2026-11-28'; all empty -> None; a wrong or half-typed date -> ValueError."""
    parts = [p.strip() for p in (day, month, year)]
    if not any(parts):
        return None
    if not all(parts) or len(parts[2]) != 4:
        raise ValueError("incomplete date")
    return _dt.date(int(parts[2]), int(parts[1]), int(parts[0])).isoformat()


def date_parts(value) -> tuple[str, str, str]:
    """'2026-11-28' -> ('28', '11', '2026'); anything else -> empty parts."""
    try:
        d = _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return "", "", ""
    return str(d.day), str(d.month), str(d.year)


def time_value(hour: str, minute: str) -> str | None:
    """'7', '5' -> '07:05:00'."""
    parts = [p.strip() for p in (hour, minute)]
    if not any(parts):
        return None
    if not all(parts):
        raise ValueError("incomplete time")
    return _dt.time(int(parts[0]), int(parts[1])).isoformat()


def time_parts(value) -> tuple[str, str]:
    try:
        t = _dt.time.fromisoformat(str(value)[:8])
    except ValueError:
        return "", ""
    return str(t.hour), f"{t.minute:02d}"


def local_offset(now: _dt.datetime | None = None) -> _dt.tzinfo:
    """The phone's UTC offset at `now` (default: this moment)."""
    tz = (now or _dt.datetime.now()).astimezone().tzinfo
    assert tz is not None  # astimezone() always answers an aware time
    return tz


def datetime_value(day: str, month: str, year: str, hour: str, minute: str, tz=None) -> str | None:
    """Date and time parts -> ISO 8601 with the phone's UTC offset (e.g. '2026-11-28T07:05:00+07:00')."""
    date = date_value(day, month, year)
    time = time_value(hour, minute)
    if date is None and time is None:
        return None
    if date is None or time is None:
        raise ValueError("incomplete date and time")
    moment = _dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=tz or local_offset())
    return moment.isoformat()


def datetime_parts(value) -> tuple[str, str, str, str, str]:
    try:
        m = _dt.datetime.fromisoformat(str(value))
    except ValueError:
        return "", "", "", "", ""
    return str(m.day), str(m.month), str(m.year), str(m.hour), f"{m.minute:02d}"


def today_parts(today: _dt.date | None = None) -> tuple[str, str, str]:
    return date_parts((today or _dt.date.today()).isoformat())


def now_parts(now: _dt.datetime | None = None) -> tuple[str, str]:
    now = now or _dt.datetime.now()
    return str(now.hour), f"{now.minute:02d}"
