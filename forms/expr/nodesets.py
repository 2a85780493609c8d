"""Functions that ask the context: node-sets of repeats, position(..), once(), jr:choice-name(), uuid()."""

import secrets
import string
import uuid

from forms.expr.calls import Spec, StaticError, flatten, literal, with_context
from forms.expr.values import NAN, to_number, to_string

_ALPHANUMERIC = string.ascii_letters + string.digits


def nodes_of(ctx, fn, node):
    """A node-set argument: ``${q}`` asks ``ctx.repeat_values(q)`` (every instance), else the value."""
    if node[0] == "ref":
        v = ctx.repeat_values(node[1])
    else:
        v = fn(ctx)
    return v if type(v) is list else [v]


def _count_factory(fns, nodes):
    (fn,), (node,) = fns, nodes
    if node[0] == "ref":
        name = node[1]
        return lambda ctx: float(ctx.repeat_count(name))

    def count(ctx):
        v = fn(ctx)
        if type(v) is list:
            return float(len(v))
        return 0.0 if to_string(v) == "" else 1.0

    return count


def _count_non_empty_factory(fns, nodes):
    (fn,), (node,) = fns, nodes
    return lambda ctx: float(sum(1 for v in nodes_of(ctx, fn, node) if to_string(v) != ""))


def _sum_factory(fns, nodes):
    (fn,), (node,) = fns, nodes
    return lambda ctx: float(sum(to_number(v) for v in nodes_of(ctx, fn, node)))


def _extreme_factory(pick):
    def factory(fns, nodes):
        if len(fns) == 1:
            (fn,), (node,) = fns, nodes

            def values(ctx):
                return nodes_of(ctx, fn, node)
        else:

            def values(ctx):
                return flatten([f(ctx) for f in fns])

        def extreme(ctx):
            numbers = [to_number(v) for v in values(ctx)]
            if not numbers or any(x != x for x in numbers):
                return NAN
            return pick(numbers)

        return extreme

    return factory


def _indexed_repeat_factory(fns, nodes):
    if len(nodes) % 2 == 0 or any(n[0] != "ref" for n in [nodes[0], *nodes[1::2]]):
        raise StaticError("indexed_repeat")
    name = nodes[0][1]
    repeats = [n[1] for n in nodes[1::2]]
    index_fns = fns[2::2]

    def indexed_repeat(ctx):
        pairs = []
        for repeat, f in zip(repeats, index_fns, strict=True):
            x = to_number(f(ctx))
            if x != x or x in (float("inf"), float("-inf")):
                return ""
            pairs.append((repeat, int(x)))
        return ctx.indexed_repeat(name, tuple(pairs))

    return indexed_repeat


def _position_factory(fns, nodes):
    if nodes and nodes[0][0] != "parent":
        raise StaticError("position")
    return lambda ctx: float(ctx.position())


def _once_factory(fns, nodes):
    (fn,) = fns

    def once(ctx):
        v = ctx.once_value()
        return v if to_string(v) != "" else fn(ctx)

    return once


def question_name(text):
    """'${q}', '/data/group/q' or 'q' -> 'q' (the second argument of jr:choice-name)."""
    text = to_string(text).strip()
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1].strip()
    return text.rstrip("/").rsplit("/", 1)[-1]


def _choice_name_factory(fns, nodes):
    value, question = fns
    fixed = literal(nodes[1])
    if fixed is not None:
        name = question_name(fixed)
        if not name:
            raise StaticError("choice_name")
        return lambda ctx: to_string(ctx.choice_label(name, to_string(value(ctx))))
    return lambda ctx: to_string(ctx.choice_label(question_name(question(ctx)), to_string(value(ctx))))


def _uuid_factory(fns, nodes):
    if not fns:
        return lambda ctx: str(uuid.uuid4())
    (fn,) = fns

    def random_text(ctx):
        n = to_number(fn(ctx))
        if n != n or n < 0 or n > 10_000:
            return ""
        return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(int(n)))

    return random_text


def _pulldata(ctx, name, column, key_column, key):
    """ODK pulldata('list', 'column', 'key column', value): the column of the first item whose key
    column equals the value ('' when none)."""
    name, column, key_column, key = (to_string(v) for v in (name, column, key_column, key))
    for item in ctx.instance_items(name):
        if ctx.item_value(item, key_column) == key:
            return ctx.item_value(item, column)
    return ""


def _current_factory(fns, nodes):
    return lambda ctx: ctx.current()


FUNCTIONS = {
    "count": Spec(1, 1, _count_factory, "num"),
    "count-non-empty": Spec(1, 1, _count_non_empty_factory, "num"),
    "sum": Spec(1, 1, _sum_factory, "num"),
    "min": Spec(1, None, _extreme_factory(min), "num"),
    "max": Spec(1, None, _extreme_factory(max), "num"),
    "indexed-repeat": Spec(3, 7, _indexed_repeat_factory),
    "position": Spec(0, 1, _position_factory, "num"),
    "once": Spec(1, 1, _once_factory),
    "jr:choice-name": Spec(2, 2, _choice_name_factory, "str"),
    "choice-name": Spec(2, 2, _choice_name_factory, "str"),
    "uuid": Spec(0, 1, _uuid_factory, "str"),
    "current": Spec(0, 0, _current_factory),
    "pulldata": Spec(4, 4, with_context(_pulldata), "str"),
}
