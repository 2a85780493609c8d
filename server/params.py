"""Parsing what people and programs type into URLs, forms and JSON bodies, with bounds, in one place.

Pure Python (no Flask request): the API, the web pages and the services share these rules, so that no
input, however odd (``²``, a 30-digit page number, 9999-12-31, JSON nested 1,000 deep), reaches the
database or the date arithmetic unchecked. Each parser raises ``ValueError`` on bad input; callers turn
that into their own 4xx (the API's JSON error, the web page's form error).
"""

from __future__ import annotations

import datetime as dt
import json

from werkzeug.routing import IntegerConverter

MAX_PAGE = 100_000  # 100 rows a page: ten million rows, more than the programme will ever hold
DB_ID_MAX = 2**63 - 1  # the largest id a 64-bit integer column (SQLite INTEGER, PostgreSQL bigint) holds
MAX_MONEY = 10**15 - 1  # đồng: far above any house's support (hundreds of millions), far below BigInteger
MAX_WORKDAYS = 1_000_000
MAX_COMMENT = 2_000  # characters of a review comment or a status-change reason
MAX_JSON_DEPTH = 64  # the deepest envelope (answers > repeat > item > value) is under 10


def is_ascii_digits(raw: str) -> bool:
    """``str.isdigit`` is also True for ``²`` and other digits ``int()`` refuses; this is not."""
    return bool(raw) and raw.isascii() and raw.isdigit()


def bounded_int(raw, low: int, high: int) -> int:
    """A whole number written with ASCII digits (an optional leading minus) within [low, high]."""
    if isinstance(raw, bool):
        raise ValueError("not a whole number")
    if isinstance(raw, int):
        n = raw
    else:
        text = str(raw if raw is not None else "").strip()
        digits = text[1:] if text.startswith("-") else text
        if not is_ascii_digits(digits) or len(digits) > len(str(max(abs(low), abs(high)))):
            raise ValueError("not a whole number in range")
        n = int(text)
    if not low <= n <= high:
        raise ValueError("out of range")
    return n


def page_number(raw, default: int = 1) -> int:
    """A list's page for the web pages: missing or unreadable is the first page, past the end the last
    possible page (which lists nothing)."""
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not is_ascii_digits(text):
        return default
    if len(text) > len(str(MAX_PAGE)) or int(text) > MAX_PAGE:
        return MAX_PAGE
    return max(1, int(text))


def money(raw) -> int:
    """Whole đồng, 0 <= amount <= MAX_MONEY."""
    return bounded_int(raw, 0, MAX_MONEY)


def workdays(raw) -> int:
    """Whole workdays, 0 <= n <= MAX_WORKDAYS."""
    return bounded_int(raw, 0, MAX_WORKDAYS)


DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}"  # what a date field of the pages accepts as typed (dd/mm/yyyy)


def parse_day(raw) -> dt.date | None:
    """``dd/mm/yyyy`` as Vietnamese people write a day (``d/m/yyyy`` too), or ``YYYY-MM-DD`` (links, the
    API); None when empty. The pages' date fields are text fields with this pattern, not the browser's
    date picker, which shows ``mm/dd/yyyy`` in an English-language browser."""
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 3 or not all(is_ascii_digits(p) for p in parts) or len(parts[2]) != 4 \
                or max(len(parts[0]), len(parts[1])) > 2:
            raise ValueError("not dd/mm/yyyy")
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    if len(text) != 10:
        raise ValueError("not YYYY-MM-DD")
    return dt.date.fromisoformat(text)


def day_after(day: dt.date) -> dt.date | None:
    """The next day, or None after the last day the calendar holds (an open end)."""
    return None if day >= dt.date.max else day + dt.timedelta(days=1)


def too_long(text: str | None, limit: int = MAX_COMMENT) -> bool:
    return text is not None and len(text) > limit


def loads_json(data: bytes | str):
    """The one JSON parser for request bodies. ValueError for anything that is not reasonable JSON:
    malformed, not UTF-8, nested deeper than MAX_JSON_DEPTH, or an integer too long for ``int()``."""
    try:
        value = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    except (ValueError, RecursionError, UnicodeDecodeError) as err:  # JSONDecodeError is a ValueError
        raise ValueError(f"bad JSON: {type(err).__name__}") from None
    if _too_deep(value):
        raise ValueError("bad JSON: nested too deep")
    return value


def _too_deep(value) -> bool:
    """Deeper than MAX_JSON_DEPTH, walked without recursion (the services recurse over answers)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node if isinstance(v, (dict, list)))
    return False


class DbIdConverter(IntegerConverter):
    """``<id:name>`` in a route: a non-negative id that fits a 64-bit column; a larger one is a 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", DB_ID_MAX)
        super().__init__(map, *args, **kwargs)


MAX_ZOOM = 22


def bbox(raw) -> tuple[float, float, float, float]:
    """A map view ``south,west,north,east`` in degrees (the south-west corner first), within the globe."""
    parts = str(raw or "").split(",")
    if len(parts) != 4 or any(len(p) > 24 for p in parts):
        raise ValueError("not south,west,north,east")
    s, w, n, e = (float(p) for p in parts)  # ValueError for text; nan and inf fail the bounds below
    if not (-90 <= s <= n <= 90 and -180 <= w <= e <= 180):
        raise ValueError("outside the globe or corners swapped")
    return s, w, n, e


def zoom(raw) -> int:
    return bounded_int(raw, 0, MAX_ZOOM)
