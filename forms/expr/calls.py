"""How a function of the language is declared: arity, result kind and a factory of closures.

A factory receives the compiled argument closures ``fns`` (each ``fn(ctx) -> value``) and their
syntax nodes, and returns one closure ``call(ctx) -> value``. It may raise ``StaticError`` when an
argument known at parse time is wrong (a bad regex literal); the compiler turns that into ExprError.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from forms.expr.values import to_string


class Spec(NamedTuple):
    low: int
    high: int | None  # None: any number of arguments
    factory: Callable[[list, list], Callable[[Any], Any]]  # (fns, nodes) -> call(ctx)
    kind: str = "any"  # what it returns: bool num str any (lets the compiler skip conversions)


class StaticError(Exception):
    def __init__(self, code, **kwargs):
        super().__init__(code)
        self.code = code
        self.kwargs = kwargs


def eager(fn):
    """A factory for a function of already-evaluated arguments ``fn(*values)``."""

    def factory(fns, nodes):
        if len(fns) == 0:
            return lambda ctx: fn()
        if len(fns) == 1:
            (a,) = fns
            return lambda ctx: fn(a(ctx))
        if len(fns) == 2:
            a, b = fns
            return lambda ctx: fn(a(ctx), b(ctx))
        return lambda ctx: fn(*[f(ctx) for f in fns])

    return factory


def with_context(fn):
    """A factory for ``fn(ctx, *values)``: functions that ask the context (today(), position(..))."""

    def factory(fns, nodes):
        return lambda ctx: fn(ctx, *[f(ctx) for f in fns])

    return factory


def literal(node):
    """The value of a literal argument, or None when it is computed."""
    return node[1] if node[0] == "lit" else None


def flatten(values):
    """Arguments that may be node-sets -> one flat list of atomic values."""
    out = []
    for v in values:
        if type(v) is list:
            out.extend(v)
        else:
            out.append(v)
    return out


def strings(values):
    return [to_string(v) for v in flatten(values)]
