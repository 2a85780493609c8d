"""Comparing XPath results in tables: NaN equals NaN, floats within 1e-9, types must match."""

import math

from forms.expr import DictContext, parse

NAN = float("nan")
INF = float("inf")


def same(got, expected):
    if isinstance(expected, float):
        if type(got) is not float:
            return False
        if math.isnan(expected):
            return math.isnan(got)
        if math.isinf(expected):
            return got == expected
        return math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12)
    return type(got) is type(expected) and got == expected


def run(expression, values=None, **context):
    return parse(expression).evaluate(DictContext(values or {}, **context))


def check(expression, values, expected, **context):
    got = run(expression, values, **context)
    assert same(got, expected), f"{expression} with {values}: got {got!r}, expected {expected!r}"
