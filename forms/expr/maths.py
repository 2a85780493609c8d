"""Number functions. Like Java's Math: overflow is Infinity, a domain error is NaN, never an exception."""

import math
import random
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from forms.expr.calls import Spec, eager
from forms.expr.values import INF, NAN, to_number


def safe(fn):
    """Apply a math function to number(x); OverflowError -> +-Infinity, ValueError -> NaN."""

    def call(*values):
        args = [to_number(v) for v in values]
        try:
            return float(fn(*args))
        except OverflowError:
            return INF
        except (ValueError, ZeroDivisionError):
            return NAN

    return call


def _integral(fn):
    def call(x):
        return fn(x) if math.isfinite(x) else x

    return call


def to_int(v):
    """ODK int(): truncate toward zero; NaN stays NaN."""
    x = to_number(v)
    return float(math.trunc(x)) if math.isfinite(x) else x


def round_number(v, digits=None):
    """round(x): XPath's floor(x + 0.5); round(x, n): n decimals, halves away from zero (ODK)."""
    x = to_number(v)
    if not math.isfinite(x):
        return x
    if digits is None:
        return float(math.floor(x + 0.5))
    n = to_number(digits)
    if not math.isfinite(n):
        return NAN
    try:
        quantum = Decimal(1).scaleb(-int(n))
        return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return x


def power(a, b):
    x, y = to_number(a), to_number(b)
    if x == 0 and y < 0:
        return INF
    try:
        return math.pow(x, y)
    except OverflowError:
        negative = x < 0 and y == int(y) and int(y) % 2 == 1
        return -INF if negative else INF
    except ValueError:
        return NAN


def _log(x):
    if x == 0:
        return -INF
    return math.log(x)


def _log10(x):
    if x == 0:
        return -INF
    return math.log10(x)


def _number(v):
    return to_number(v)


_random_source = random.Random()

FUNCTIONS = {
    "number": Spec(0, 1, eager(_number), "num"),
    "int": Spec(1, 1, eager(to_int), "num"),
    "round": Spec(1, 2, eager(round_number), "num"),
    "pow": Spec(2, 2, eager(power), "num"),
    "abs": Spec(1, 1, eager(safe(abs)), "num"),
    "floor": Spec(1, 1, eager(safe(_integral(math.floor))), "num"),
    "ceiling": Spec(1, 1, eager(safe(_integral(math.ceil))), "num"),
    "sqrt": Spec(1, 1, eager(safe(math.sqrt)), "num"),
    "exp": Spec(1, 1, eager(safe(math.exp)), "num"),
    "exp10": Spec(1, 1, eager(safe(lambda x: math.pow(10, x))), "num"),
    "log": Spec(1, 1, eager(safe(_log)), "num"),
    "log10": Spec(1, 1, eager(safe(_log10)), "num"),
    "sin": Spec(1, 1, eager(safe(math.sin)), "num"),
    "cos": Spec(1, 1, eager(safe(math.cos)), "num"),
    "tan": Spec(1, 1, eager(safe(math.tan)), "num"),
    "asin": Spec(1, 1, eager(safe(math.asin)), "num"),
    "acos": Spec(1, 1, eager(safe(math.acos)), "num"),
    "atan": Spec(1, 1, eager(safe(math.atan)), "num"),
    "atan2": Spec(2, 2, eager(safe(math.atan2)), "num"),
    "pi": Spec(0, 0, eager(lambda: math.pi), "num"),
    "random": Spec(0, 0, eager(_random_source.random), "num"),
}
