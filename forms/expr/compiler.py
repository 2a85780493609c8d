"""Parse once, evaluate many: the syntax tree becomes nested closures ``fn(ctx) -> value``."""

import operator
from functools import lru_cache

from forms.expr import geo, maths, nodesets, text, times
from forms.expr.calls import StaticError
from forms.expr.context import ItemContext
from forms.expr.errors import ExprError, arity_text
from forms.expr.syntax import parse_tree
from forms.expr.values import (
    divide,
    equals,
    modulo,
    not_equals,
    relational,
    to_boolean,
    to_number,
    to_string,
)

FUNCTIONS = {**text.FUNCTIONS, **maths.FUNCTIONS, **times.FUNCTIONS, **nodesets.FUNCTIONS, **geo.FUNCTIONS}


class Expr:
    """A parsed expression. ``refs``: the ${names} it reads; ``uses_dot``: whether it reads '.';
    ``columns``: bare names (choice_filter columns); ``functions``: the functions it calls;
    ``instances``: the lists it reads (instance('x'), pulldata('x', ...)): choice lists or media files."""

    __slots__ = ("text", "refs", "uses_dot", "columns", "functions", "instances", "_fn")

    def __init__(self, text, fn, refs, uses_dot, columns, functions, instances=()):
        self.text = text
        self._fn = fn
        self.refs = frozenset(refs)
        self.uses_dot = uses_dot
        self.columns = frozenset(columns)
        self.functions = frozenset(functions)
        self.instances = frozenset(instances)

    def evaluate(self, ctx):
        """The XPath value (str, float, bool or list). Never raises on data."""
        return self._fn(ctx)

    def evaluate_boolean(self, ctx):
        return to_boolean(self._fn(ctx))

    def evaluate_string(self, ctx):
        return to_string(self._fn(ctx))

    def evaluate_number(self, ctx):
        return to_number(self._fn(ctx))

    def __repr__(self):
        return f"Expr({self.text!r})"


@lru_cache(maxsize=4096)
def parse(text):
    """Expression text -> Expr; ExprError on a syntax error, unknown function or wrong arity."""
    if not isinstance(text, str):
        raise TypeError("parse() takes the expression text")
    compiler = _Compiler(text)
    fn, _ = compiler.compile(parse_tree(text))
    return Expr(text, fn, compiler.refs, compiler.uses_dot, compiler.columns, compiler.functions,
                compiler.instances)


def _as_bool(fn, kind):
    if kind == "bool":
        return fn
    return lambda ctx: to_boolean(fn(ctx))


def _as_number(fn, kind):
    if kind == "num":
        return fn
    return lambda ctx: to_number(fn(ctx))


def _compare(op, a, b):
    if op == "=":

        def eq(ctx):
            x, y = a(ctx), b(ctx)
            if type(x) is str and type(y) is str:
                return x == y
            return equals(x, y)

        return eq
    if op == "!=":
        return lambda ctx: not_equals(a(ctx), b(ctx))

    def rel(ctx):
        return relational(op, a(ctx), b(ctx))

    return rel


def _arithmetic(op, a, b):
    if op == "+":
        return lambda ctx: a(ctx) + b(ctx)
    if op == "-":
        return lambda ctx: a(ctx) - b(ctx)
    if op == "*":
        return lambda ctx: a(ctx) * b(ctx)
    if op == "div":
        return lambda ctx: divide(a(ctx), b(ctx))
    return lambda ctx: modulo(a(ctx), b(ctx))


_AND, _OR = frozenset({"and"}), frozenset({"or"})
_EQUALITY = frozenset({"=", "!="})
_RELATIONAL = frozenset({"<", "<=", ">", ">="})
_ADDITIVE = frozenset({"+", "-"})
_MULTIPLICATIVE = frozenset({"*", "div", "mod"})
_COMPARISONS = _EQUALITY | _RELATIONAL
_GROUPS = {op: g for g in (_AND, _OR, _EQUALITY, _RELATIONAL, _ADDITIVE, _MULTIPLICATIVE) for op in g}
_OPERATIONS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "div": divide,
    "mod": modulo,
    "=": equals,
    "!=": not_equals,
    "<": lambda a, b: relational("<", a, b),
    "<=": lambda a, b: relational("<=", a, b),
    ">": lambda a, b: relational(">", a, b),
    ">=": lambda a, b: relational(">=", a, b),
}


class _Compiler:
    def __init__(self, source):
        self.source = source
        self.refs = set()
        self.columns = set()
        self.functions = set()
        self.instances = set()
        self.uses_dot = False

    def compile(self, node):
        """-> (closure, kind) with kind in bool num str any."""
        tag = node[0]
        if tag == "lit":
            value = node[1]
            return (lambda ctx: value), ("num" if type(value) is float else "str")
        if tag == "ref":
            name = node[1]
            self.refs.add(name)
            return (lambda ctx: ctx.resolve(name)), "any"
        if tag == "col":
            name = node[1]
            self.columns.add(name)
            return (lambda ctx: ctx.choice_column(name)), "any"
        if tag == "dot":
            self.uses_dot = True
            return (lambda ctx: ctx.current()), "any"
        if tag == "neg":
            fn = _as_number(*self.compile(node[1]))
            return (lambda ctx: -fn(ctx)), "num"
        if tag == "bin":
            return self.binary(*node[1:])
        if tag == "call":
            return self.call(*node[1:])
        if tag == "instance":
            return self.instance(*node[1:])
        raise AssertionError(node)  # ('parent',) only ever reaches position(), which ignores it

    def binary(self, op, left, right):
        group = _GROUPS[op]
        if left[0] == "bin" and left[1] in group:
            return self.chain(("bin", op, left, right), group)
        a, ka = self.compile(left)
        b, kb = self.compile(right)
        if op == "and":
            a, b = _as_bool(a, ka), _as_bool(b, kb)
            return (lambda ctx: a(ctx) and b(ctx)), "bool"
        if op == "or":
            a, b = _as_bool(a, ka), _as_bool(b, kb)
            return (lambda ctx: a(ctx) or b(ctx)), "bool"
        if op in _COMPARISONS:
            return _compare(op, a, b), "bool"
        return _arithmetic(op, _as_number(a, ka), _as_number(b, kb)), "num"

    def chain(self, node, group):
        """a + b - c + ... (left-nested, one precedence level) as a loop: long sums stay shallow."""
        items = []
        while node[0] == "bin" and node[1] in group:
            items.append((node[1], node[3]))
            node = node[2]
        items.append((None, node))
        items.reverse()
        compiled = [(op, *self.compile(operand)) for op, operand in items]
        if group is _AND or group is _OR:
            fns = [_as_bool(fn, kind) for _, fn, kind in compiled]
            if group is _AND:
                return (lambda ctx: all(f(ctx) for f in fns)), "bool"
            return (lambda ctx: any(f(ctx) for f in fns)), "bool"
        arithmetic = group is _ADDITIVE or group is _MULTIPLICATIVE
        if arithmetic:
            compiled = [(op, _as_number(fn, kind), kind) for op, fn, kind in compiled]
        first = compiled[0][1]
        rest = [(_OPERATIONS[op], fn) for op, fn, _ in compiled[1:]]

        def loop(ctx):
            acc = first(ctx)
            for operation, fn in rest:
                acc = operation(acc, fn(ctx))
            return acc

        return loop, ("num" if arithmetic else "bool")

    def instance(self, name, predicate, column):
        """instance('name')/root/item[predicate]/column -> the node-set of that column over the items
        the predicate keeps (bare names in it are the item's columns); without a column, the items' names."""
        self.instances.add(name)
        outer = self.columns
        self.columns = set()  # columns of a lookup are the list's, not a choice_filter's
        keep = _as_bool(*self.compile(predicate)) if predicate is not None else None
        self.columns = outer
        wanted = column or "name"

        def lookup(ctx):
            items = ctx.instance_items(name)
            if keep is not None:
                items = [item for item in items if keep(ItemContext(ctx, item))]
            return [ctx.item_value(item, wanted) for item in items]

        return lookup, "any"

    def call(self, name, args, position):
        spec = FUNCTIONS.get(name)
        if spec is None:
            raise ExprError.build("function", position, self.source, name=name)
        if len(args) < spec.low or (spec.high is not None and len(args) > spec.high):
            expected = {lang: arity_text(spec.low, spec.high, lang) for lang in ("en", "vi")}
            raise ExprError.build("arity", position, self.source, name=name, expected=expected, got=len(args))
        if not args and name in text.DOT_DEFAULT:
            args = [("dot",)]
        if name == "current":
            self.uses_dot = True
        self.functions.add(name)
        if name == "pulldata" and args and args[0][0] == "lit":
            self.instances.add(str(args[0][1]))
        fns = [self.compile(arg)[0] if arg[0] != "parent" else None for arg in args]
        try:
            return spec.factory(fns, args), spec.kind
        except StaticError as exc:
            raise ExprError.build(exc.code, position, self.source, name=name, **exc.kwargs) from None
