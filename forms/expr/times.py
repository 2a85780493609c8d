"""Date functions: today(), now(), date(), format-date(), decimal-date-time(), decimal-time()."""

from datetime import datetime, timedelta

from forms.expr.calls import Spec, eager, with_context
from forms.expr.dates import EPOCH_DATETIME, days, format_date, from_days, iso, parse_temporal, time_fraction
from forms.expr.values import NAN, NUMBER_PATTERN, to_string


def to_temporal(v):
    """A value -> date / naive datetime, or None. Numbers are days since 1970-01-01."""
    t = type(v)
    if t is list:
        return to_temporal(v[0]) if v else None
    if t is bool:
        return None
    if t is float or t is int:
        return from_days(float(v))
    s = to_string(v)
    if not s:
        return None
    parsed = parse_temporal(s)
    if parsed is not None:
        return parsed
    fraction = time_fraction(s)
    if fraction is not None:
        return EPOCH_DATETIME + timedelta(milliseconds=round(fraction * 86_400_000))
    m = NUMBER_PATTERN.match(s)
    return from_days(float(m[1])) if m else None


def date_value(v):
    """date(x): 'YYYY-MM-DD' (or a datetime string when x has a time of day); '' when x is no date."""
    t = to_temporal(v)
    return "" if t is None else iso(t)


def format_value(v, pattern):
    t = to_temporal(v)
    return "" if t is None else format_date(t, to_string(pattern))


def decimal_date_time(v):
    t = to_temporal(v)
    return NAN if t is None else days(t)


def decimal_time(v):
    t = to_temporal(v)
    if not isinstance(t, datetime):
        return NAN
    return (t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6) / 86400.0


def today(ctx):
    return ctx.today().isoformat()


def now(ctx):
    return ctx.now().isoformat(timespec="milliseconds")


FUNCTIONS = {
    "today": Spec(0, 0, with_context(today), "str"),
    "now": Spec(0, 0, with_context(now), "str"),
    "date": Spec(1, 1, eager(date_value), "str"),
    "date-time": Spec(1, 1, eager(date_value), "str"),
    "format-date": Spec(2, 2, eager(format_value), "str"),
    "format-date-time": Spec(2, 2, eager(format_value), "str"),
    "decimal-date-time": Spec(1, 1, eager(decimal_date_time), "num"),
    "decimal-time": Spec(1, 1, eager(decimal_time), "num"),
}
