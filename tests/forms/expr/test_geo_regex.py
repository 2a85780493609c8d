"""Geo functions (distance, area) and Java-style regex classes (\\p{L}) used by Vietnamese forms."""

import math

import pytest

from tests.forms.expr.helpers import NAN, check, run

DEGREE = 6_378_100.0 * math.pi / 180  # metres per degree of latitude on JavaRosa's sphere


@pytest.mark.parametrize(
    "expression, values, expected",
    [
        ("distance('15.5 108.5 0 5', '16.5 108.5 0 5')", None, DEGREE),
        ("distance('15.5 108.5; 16.5 108.5; 16.5 108.5')", None, DEGREE),
        ("distance('0 0; 1 0; 2 0')", None, 2 * DEGREE),
        ("distance(${gps})", {"gps": ["0 0 0 0", "0 1 0 0"]}, DEGREE),
        ("distance('0 0')", None, NAN),
        ("distance('0 0', 'x y')", None, NAN),
        ("distance('0 0', '91 0')", None, NAN),
        ("distance('')", None, NAN),
        ("area('0 0; 0 1; 1 1; 1 0; 0 0')", None, None),
        ("area('0 0; 0 1; 1 1')", None, None),
        ("area('0 0; 0 1')", None, 0.0),
        ("area('bad')", None, NAN),
        ("area('')", None, 0.0),
    ],
)
def test_geo(expression, values, expected):
    if expected is None:  # the square: one degree by one degree at the equator, within 0.1 %
        got = run(expression, values)
        full = run("area('0 0; 0 1; 1 1; 1 0; 0 0')")
        assert math.isclose(full, DEGREE * DEGREE, rel_tol=1e-3)
        assert got == full or math.isclose(got, full / 2, rel_tol=1e-3)
        return
    got = run(expression, values)
    assert math.isnan(got) if math.isnan(expected) else math.isclose(got, expected, rel_tol=1e-9)


@pytest.mark.parametrize(
    "expression, expected",
    [
        (r"regex('Nguyễn Văn Ẩn', '^[\p{L} ]+$')", True),
        (r"regex('Nguyễn Văn 2', '^[\p{L} ]+$')", False),
        ("regex('Nguye\u0303n', '^\\p{L}+$')", True),
        (r"regex('Đặng', '^\p{Lu}\p{Ll}+$')", True),
        (r"regex('đặng', '^\p{Lu}\p{Ll}+$')", False),
        (r"regex('abc', '\P{L}')", False),
        (r"regex('ab1', '\P{L}')", True),
        (r"regex('12', '^\p{N}+$')", True),
        (r"regex('a.b', '^[\p{Punct}a-z]+$')", True),
        (r"regex('\p{L}', '\\p{L}')", True),
        (r"regex('Thôn 1', '^[\p{L}\p{N} ]{3,}$')", True),
    ],
)
def test_java_regex_classes(expression, expected):
    check(expression, None, expected)
