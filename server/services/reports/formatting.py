"""How a stored time reads to a person: Vietnamese wall-clock text (the one clock: forms/clock.py)."""

from __future__ import annotations

import datetime as dt

from forms import clock


def stored_time(value: dt.datetime) -> dt.datetime:
    """An instant as the database keeps it: in UTC (SQLite keeps the wall-clock text, whatever its zone)."""
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def vn_time(value, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored (UTC, or naive taken as UTC) time as wall-clock text in Vietnam ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return clock.in_vietnam(value).strftime(fmt)
    return str(value)


def vn_iso(value) -> str | None:
    """A stored time as ISO 8601 in Vietnam's time, with its offset (``2026-11-30T04:21:00+07:00``)."""
    return clock.in_vietnam(value).isoformat() if isinstance(value, dt.datetime) else None


def vn_day(value: dt.date) -> str:
    """dd/mm/yyyy, as Vietnamese papers write a day."""
    return value.strftime("%d/%m/%Y")
