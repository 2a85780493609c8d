"""XPath 1.0 values and conversions, with ODK's reading of dates.

A value is a ``str`` (an answer; '' when empty), a ``float`` (``int`` is accepted too), a ``bool``
or a node-set: a ``list`` of values (a question inside a repeat seen from outside it). ``None``
reads as ''. Date, datetime and time strings convert to numbers as days since 1970-01-01 (ODK).
Nothing here raises on data: bad numbers are NaN.
"""

import math
import re
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from forms.expr.dates import days, string_days

NAN = float("nan")
INF = float("inf")

NUMBER_PATTERN = re.compile(r"\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*\Z")


def format_number(x):
    """XPath's string() of a number: no exponent, integers without '.0', NaN / Infinity spelled out."""
    if x != x:
        return "NaN"
    if x == INF:
        return "Infinity"
    if x == -INF:
        return "-Infinity"
    if x == int(x):
        return str(int(x))
    text = repr(float(x))
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def to_string(v):
    """XPath string(): '' for empty, first node of a node-set, 'true'/'false', numbers without '.0'."""
    t = type(v)
    if t is str:
        return v
    if t is bool:
        return "true" if v else "false"
    if t is float or t is int:
        return format_number(v)
    if t is list:
        return to_string(v[0]) if v else ""
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(timespec="milliseconds")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, (tuple, list)):
        return to_string(list(v))
    return str(v)


@lru_cache(maxsize=4096)
def string_to_number(s):
    m = NUMBER_PATTERN.match(s)
    if m:
        return float(m[1])
    d = string_days(s)
    return NAN if d is None else d


def to_number(v):
    """XPath number(): NaN for anything that is not a number (dates -> days since 1970-01-01)."""
    t = type(v)
    if t is float:
        return v
    if t is str:
        return string_to_number(v)
    if t is bool:
        return float(v)
    if t is int:
        try:
            return float(v)
        except OverflowError:  # past 1e308: XPath's Infinity
            return math.inf if v > 0 else -math.inf
    if t is list:
        return to_number(v[0]) if v else NAN
    if isinstance(v, (date, datetime)):
        return days(v)
    return string_to_number(to_string(v))


def to_boolean(v):
    """XPath boolean(): non-empty string / node-set, non-zero non-NaN number."""
    t = type(v)
    if t is bool:
        return v
    if t is str or t is list:
        return len(v) > 0
    if t is float or t is int:
        return v == v and v != 0
    return bool(to_string(v))


# ---------------------------------------------------------------- comparisons (XPath 1.0, 3.4)

def _eq_atoms(a, b):
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return to_boolean(a) == to_boolean(b)
    if ta is float or tb is float or ta is int or tb is int:
        return to_number(a) == to_number(b)
    return to_string(a) == to_string(b)


def _rel(op, x, y):
    if op == "<":
        return x < y
    if op == "<=":
        return x <= y
    if op == ">":
        return x > y
    return x >= y


def _as_nodes(v):
    return [to_string(n) for n in v]


def equals(a, b):
    """XPath '=' including node-sets (true when some node matches)."""
    ta, tb = type(a), type(b)
    if ta is str and tb is str:
        return a == b
    if ta is list or tb is list:
        if ta is list and tb is list:
            right = set(_as_nodes(b))
            return any(n in right for n in _as_nodes(a))
        nodes, other = (a, b) if ta is list else (b, a)
        if type(other) is bool:
            return to_boolean(nodes) == other
        if type(other) in (float, int):
            return any(to_number(n) == other for n in nodes)
        other = to_string(other)
        return any(n == other for n in _as_nodes(nodes))
    return _eq_atoms(a, b)


def not_equals(a, b):
    """XPath '!=' (for node-sets: some node differs, which is not the negation of '=')."""
    ta, tb = type(a), type(b)
    if ta is str and tb is str:
        return a != b
    if ta is list or tb is list:
        if ta is list and tb is list:
            return any(x != y for x in _as_nodes(a) for y in _as_nodes(b))
        nodes, other = (a, b) if ta is list else (b, a)
        if type(other) is bool:
            return to_boolean(nodes) != other
        if type(other) in (float, int):
            return any(to_number(n) != other for n in nodes)
        other = to_string(other)
        return any(n != other for n in _as_nodes(nodes))
    return not _eq_atoms(a, b)


def relational(op, a, b):
    """XPath '<', '<=', '>', '>=': numbers (dates as days); node-sets compare when some node does."""
    ta, tb = type(a), type(b)
    if ta is list or tb is list:
        if ta is list and tb is list:
            return any(_rel(op, to_number(x), to_number(y)) for x in a for y in b)
        if ta is list:
            if tb is bool:
                return _rel(op, float(to_boolean(a)), float(b))
            y = to_number(b)
            return any(_rel(op, to_number(x), y) for x in a)
        if ta is bool:
            return _rel(op, float(a), float(to_boolean(b)))
        x = to_number(a)
        return any(_rel(op, x, to_number(y)) for y in b)
    return _rel(op, to_number(a), to_number(b))


# ---------------------------------------------------------------- arithmetic (never raises)

def divide(x, y):
    if y == 0:
        if x != x or x == 0:
            return NAN
        return math.copysign(INF, x) * math.copysign(1.0, y)
    return x / y


def modulo(x, y):
    """XPath mod: the remainder of truncating division, sign of the dividend (Java's %)."""
    if y == 0 or x != x or y != y or math.isinf(x):
        return NAN
    if math.isinf(y):
        return x
    return math.fmod(x, y)
