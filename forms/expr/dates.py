"""ODK date semantics: answers are ISO strings, arithmetic works in days since 1970-01-01.

Dates ('YYYY-MM-DD') count whole days; datetimes ('YYYY-MM-DDTHH:MM[:SS[.fff]][offset]') add the
fraction of the day of their wall-clock time as written (the offset is kept for display but not
applied, so a form filled in one time zone compares as its users read it); times ('HH:MM[:SS]')
are a fraction of one day, as ODK's decimal-time().
"""

import math
import re
from datetime import date, datetime, timedelta

EPOCH = date(1970, 1, 1)
EPOCH_DATETIME = datetime(1970, 1, 1)
_FIRST_DAY = (date(1, 1, 1) - EPOCH).days  # the calendar Python can represent, in days since 1970
_LAST_DAY = (date(9999, 12, 31) - EPOCH).days + 1

_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*\Z")
_DATETIME = re.compile(
    r"\s*([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\s*\Z"
)
_TIME = re.compile(r"\s*([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\s*\Z")

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _micro(frac):
    return int((frac or "0").ljust(6, "0")[:6])


def parse_temporal(text):
    """A date, a naive wall-clock datetime, or None when ``text`` is neither (times are not dates)."""
    m = _DATE.match(text)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _DATETIME.match(text)
    if m:
        try:
            return datetime(
                int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), _micro(m[7])
            )
        except ValueError:
            return None
    return None


def time_fraction(text):
    """'HH:MM[:SS[.fff]]' -> fraction of a day, or None."""
    m = _TIME.match(text)
    if not m:
        return None
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if h > 23 or mi > 59 or s > 59:
        return None
    return (h * 3600 + mi * 60 + s + _micro(m[4]) / 1e6) / 86400.0


def days(value):
    """Days since 1970-01-01 of a date (whole) or a datetime (fractional)."""
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - EPOCH_DATETIME
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0
    return float((value - EPOCH).days)


def string_days(text):
    """Days since the epoch for a date, datetime or time string, else None."""
    if len(text) < 5 or not text.lstrip()[:2].isdigit():
        return None
    t = parse_temporal(text)
    if t is not None:
        return days(t)
    return time_fraction(text)


def from_days(number):
    """A number of days since the epoch -> date (whole) or naive datetime (fractional), None if not finite."""
    if not math.isfinite(number) or not _FIRST_DAY <= number < _LAST_DAY:
        return None
    whole = math.floor(number)
    if whole == number:
        return EPOCH + timedelta(days=whole)
    millis = round((number - whole) * 86_400_000)
    try:
        return EPOCH_DATETIME + timedelta(days=whole, milliseconds=millis)
    except OverflowError:  # the last millisecond of 9999-12-31 rounded up
        return None


def iso(value):
    """'YYYY-MM-DD' for a date, 'YYYY-MM-DDTHH:MM:SS.mmm' for a datetime."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="milliseconds")
    return value.isoformat()


_FIELDS = {
    "Y": lambda t: f"{t.year:04d}",
    "y": lambda t: f"{t.year % 100:02d}",
    "m": lambda t: f"{t.month:02d}",
    "n": lambda t: str(t.month),
    "b": lambda t: MONTHS[t.month - 1],
    "d": lambda t: f"{t.day:02d}",
    "e": lambda t: str(t.day),
    "a": lambda t: WEEKDAYS[t.weekday()],
    "H": lambda t: f"{t.hour:02d}",
    "h": lambda t: str(t.hour),
    "M": lambda t: f"{t.minute:02d}",
    "S": lambda t: f"{t.second:02d}",
    "3": lambda t: f"{t.microsecond // 1000:03d}",
    "%": lambda t: "%",
}


def format_date(value, pattern):
    """ODK format-date(): %Y %y %m %n %b %d %e %a %H %h %M %S %3 (%% is '%'); other text is copied."""
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    out = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        field = _FIELDS.get(pattern[i + 1]) if ch == "%" and i + 1 < n else None
        if field is None:
            out.append(ch)
            i += 1
        else:
            out.append(field(value))
            i += 2
    return "".join(out)
