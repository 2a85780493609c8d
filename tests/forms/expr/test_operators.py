"""Every operator, precedence and associativity, and the XPath 1.0 conversions behind them."""

from datetime import date

import pytest

from forms.expr import to_boolean, to_number, to_string
from tests.forms.expr.helpers import INF, NAN, check, same

ARITHMETIC = [
    ("1 + 2", None, 3.0),
    ("5 - 7", None, -2.0),
    ("2 * 3.5", None, 7.0),
    ("7 div 2", None, 3.5),
    ("7 mod 3", None, 1.0),
    ("-7 mod 3", None, -1.0),
    ("7 mod -3", None, 1.0),
    ("5.5 mod 2", None, 1.5),
    ("1 div 0", None, INF),
    ("-1 div 0", None, -INF),
    ("0 div 0", None, NAN),
    ("5 mod 0", None, NAN),
    ("(1 div 0) mod 2", None, NAN),
    ("5 mod (1 div 0)", None, 5.0),
    ("(1 div 0) - (1 div 0)", None, NAN),
    ("-(3)", None, -3.0),
    ("- -3", None, 3.0),
    ("2 - -1", None, 3.0),
    ("2*-3", None, -6.0),
    ("-2 * 3", None, -6.0),
    (".5 + 5.", None, 5.5),
    ("1 + 2 * 3", None, 7.0),
    ("(1 + 2) * 3", None, 9.0),
    ("10 - 4 - 3", None, 3.0),
    ("16 div 4 div 2", None, 2.0),
    ("10 - 6 div 2 * 3", None, 1.0),
    ("7 mod 4 * 2", None, 6.0),
    ("'3' * '4'", None, 12.0),
    ("${a} + 1", {"a": ""}, NAN),
    ("${a} + 1", {"a": "2"}, 3.0),
    ("${a} + 1", {"a": " 4 "}, 5.0),
    ("${a} + 1", {"a": "abc"}, NAN),
    ("${a} + 1", {"a": "1e3"}, NAN),
    ("${a} + 1", {"a": True}, 2.0),
    ("${a} + 1", {"a": 2}, 3.0),
    ("${a} + 1", {"a": 2.5}, 3.5),
    ("${a} + 1", {"a": None}, NAN),
    ("${a} * 2", {"a": ["3", "9"]}, 6.0),
    ("${a} * 2", {"a": []}, NAN),
    ("${missing} + 1", {}, NAN),
    ("${a}-${b}", {"a": "5", "b": "3"}, 2.0),
    ("${div} div ${mod}", {"div": "6", "mod": "3"}, 2.0),
    (". + 1", None, 3.0),
]

COMPARISONS = [
    ("1 = 1.0", None, True),
    ("'1' = 1", None, True),
    ("'1.0' = 1", None, True),
    ("'1.0' = '1'", None, False),
    ("'abc' = 'abc'", None, True),
    ("\"a\" = 'a'", None, True),
    ("'a' != 'b'", None, True),
    ("'' = ''", None, True),
    ("'a' = 'A'", None, False),
    ("${a} = 2", {"a": ""}, False),
    ("${a} != 2", {"a": ""}, True),
    ("${a} < 2", {"a": ""}, False),
    ("${a} >= 2", {"a": ""}, False),
    ("${a} = ''", {"a": ""}, True),
    ("${a} = 'yes'", {"a": "yes"}, True),
    ("${a} = 3", {"a": 3}, True),
    ("${a} = '3'", {"a": 3}, True),
    ("${a} = '3.0'", {"a": 3}, True),
    ("'b' > 'a'", None, False),
    ("'b' < 'a'", None, False),
    ("'10' > '9'", None, True),
    ("${a} > 9", {"a": "10"}, True),
    ("2 <= 2", None, True),
    ("2 >= 3", None, False),
    ("3 < 2", None, False),
    ("2 > 1", None, True),
    ("true() = 'x'", None, True),
    ("true() = 'false'", None, True),
    ("false() = ''", None, True),
    ("true() = 1", None, True),
    ("false() = 0", None, True),
    ("true() = 0", None, False),
    ("true() > false()", None, True),
    ("0 div 0 = 0 div 0", None, False),
    ("0 div 0 != 0 div 0", None, True),
    ("0 div 0 < 1", None, False),
    ("0 div 0 >= 1", None, False),
    ("1 div 0 > 1000000", None, True),
    ("1 < 2 < 3", None, True),
    ("3 > 2 > 1", None, False),
    ("1 = 1 = 1", None, True),
    ("1 + 1 = 2", None, True),
    ("1 < 1 + 1", None, True),
    (". = 'x'", None, False),
]

LOGIC = [
    ("true() and false()", None, False),
    ("true() and true()", None, True),
    ("false() or false()", None, False),
    ("true() or false()", None, True),
    ("1 and 'x'", None, True),
    ("0 or ''", None, False),
    ("'0' and 'false'", None, True),
    ("0 div 0 or 0", None, False),
    ("true() or false() and false()", None, True),
    ("(true() or false()) and false()", None, False),
    ("1 = 2 or 2 = 2 and 3 = 3", None, True),
    ("1 + 1 = 2 and 3 > 2", None, True),
    ("${a} = 'yes' and ${b} > 3", {"a": "yes", "b": "5"}, True),
    ("${a} = 'yes' and ${b} > 3", {"a": "yes", "b": ""}, False),
    ("${a} = 'yes' or ${b} > 3", {"a": "no", "b": "4"}, True),
    ("${and} and ${or}", {"and": "x", "or": "y"}, True),
]


CHAINS = [
    ("10 - 2 - 3 - 1", None, 4.0),
    ("1 + 2 - 3 + 4", None, 4.0),
    ("2 * 3 div 4 mod 1", None, 0.5),
    ("100 div 10 div 5 * 3", None, 6.0),
    ("1 < 2 < 3 < 0", None, False),
    ("1 = 1 = 1 = 1", None, True),
    ("1 != 1 = 0", None, True),
    ("true() and 1 and 'x' and false()", None, False),
    ("'' or 0 or false() or 'x'", None, True),
    ("${a} + ${b} + ${c}", {"a": "1", "b": "2", "c": ""}, NAN),
    (" + ".join(f"${{q{i}}}" for i in range(500)), {f"q{i}": str(i) for i in range(500)}, 124750.0),
    (" and ".join(["true()"] * 500), None, True),
    (" or ".join(["false()"] * 500), None, False),
    ("(" * 99 + "1" + ")" * 99, None, 1.0),
]


@pytest.mark.parametrize("expression, values, expected", ARITHMETIC + COMPARISONS + LOGIC + CHAINS)
def test_operator(expression, values, expected):
    check(expression, values, expected, current="2")


def test_choice_filter_columns_are_bare_names():
    check("commune = ${c}", {"c": "20968"}, True, columns={"commune": "20968"})
    check("commune = ${c}", {"c": "20968"}, False, columns={"commune": "20969"})
    check("commune = ${c} or commune = ''", {"c": "1"}, True)


@pytest.mark.parametrize(
    "value, expected",
    [
        (1.0, "1"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (-2.25, "-2.25"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (0.1 + 0.2, "0.30000000000000004"),
        (NAN, "NaN"),
        (INF, "Infinity"),
        (-INF, "-Infinity"),
        (True, "true"),
        (False, "false"),
        ([], ""),
        (["a", "b"], "a"),
        ([2.0], "2"),
        (None, ""),
        (3, "3"),
        ("x y", "x y"),
        (date(2024, 1, 2), "2024-01-02"),
    ],
)
def test_to_string(value, expected):
    assert to_string(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("12", 12.0),
        (" 12 ", 12.0),
        ("\n-3.5\t", -3.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("007", 7.0),
        ("", NAN),
        ("abc", NAN),
        ("1e3", NAN),
        ("inf", NAN),
        ("Infinity", NAN),
        ("NaN", NAN),
        ("+1", NAN),
        ("1,5", NAN),
        ("1 2", NAN),
        ("- 1", NAN),
        ("١٢", NAN),
        ("1_000", NAN),
        (True, 1.0),
        (False, 0.0),
        ([], NAN),
        (["4", "x"], 4.0),
        (None, NAN),
        (7, 7.0),
        ("2024-01-02", 19724.0),
        ("1970-01-01", 0.0),
        ("1969-12-31", -1.0),
        ("1970-01-01T12:00:00", 0.5),
        ("1970-01-02T06:00:00.000+07:00", 1.25),
        ("1970-01-01 18:00", 0.75),
        ("12:00", 0.5),
        ("06:00:00", 0.25),
        ("06:00:00.000+07:00", 0.25),
        ("2024-02-30", NAN),
        ("2024-13-01", NAN),
        ("25:00", NAN),
        (date(1970, 1, 11), 10.0),
    ],
)
def test_to_number(value, expected):
    assert same(to_number(value), expected), (value, to_number(value))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("", False),
        ("false", True),
        ("0", True),
        (" ", True),
        (0.0, False),
        (NAN, False),
        (-1.0, True),
        (INF, True),
        ([], False),
        ([""], True),
        (True, True),
        (False, False),
        (0, False),
        (2, True),
        (None, False),
    ],
)
def test_to_boolean(value, expected):
    assert to_boolean(value) is expected
