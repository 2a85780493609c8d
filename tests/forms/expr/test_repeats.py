"""Node-sets: questions inside repeats seen from outside, the current instance, and the calls the
evaluator makes to an engine-like Context (repeat_count / repeat_values / indexed_repeat)."""

import pytest

from forms.expr import Context, DictContext, parse
from tests.forms.expr.helpers import NAN, check

MEMBERS = {
    "head": "An",
    "members": [
        {"name": "An", "age": 30, "role": "head"},
        {"name": "Bình", "age": "12", "role": "child"},
        {"name": "", "age": "", "role": ""},
    ],
    "empty": [],
    "x": ["1", "2"],
    "y": ["2", "3"],
}

OUTSIDE = [
    ("count(${members})", 3.0),
    ("count(${age})", 3.0),
    ("count(${empty})", 0.0),
    ("count-non-empty(${name})", 2.0),
    ("sum(${age})", NAN),
    ("${age} > 18", True),
    ("${age} > 40", False),
    ("${age} < 18", True),
    ("${name} = 'Bình'", True),
    ("${name} = 'Chi'", False),
    ("${name} != 'An'", True),
    ("${name} = ${head}", True),
    ("${head} = ${name}", True),
    ("${x} = ${y}", True),
    ("${x} != ${x}", True),
    ("${x} < ${y}", True),
    ("${y} < ${x}", False),
    ("2 > ${x}", True),
    ("1 > ${x}", False),
    ("${x} = 2", True),
    ("${x} = 3", False),
    ("${x} = true()", True),
    ("${x} = false()", False),
    ("${empty} = ''", False),
    ("${empty} != ''", False),
    ("${empty} = false()", True),
    ("${empty} < 1", False),
    ("true() >= ${x}", True),
    ("${x} >= true()", True),
    ("concat(${name})", "AnBình"),
    ("join(', ', ${role})", "head, child, "),
    ("string(${name})", "An"),
    ("${age} + 1", 31.0),
    ("selected(${role}, 'head')", True),
    ("indexed-repeat(${name}, ${members}, 2)", "Bình"),
    ("indexed-repeat(${name}, ${members}, 4)", ""),
    ("indexed-repeat(${name}, ${members}, 0)", ""),
    ("position(..)", 1.0),
]


@pytest.mark.parametrize("expression, expected", OUTSIDE)
def test_question_in_a_repeat_seen_from_outside(expression, expected):
    check(expression, MEMBERS, expected)


INSIDE = [
    (1, "${age} >= 18", True),
    (2, "${age} >= 18", False),
    (3, "${age} >= 18", False),
    (2, "${name}", "Bình"),
    (2, "${head}", "An"),
    (2, "position(..)", 2.0),
    (3, "position(..) = count(${members})", True),
    (2, "indexed-repeat(${name}, ${members}, position(..) - 1)", "An"),
    (1, "if(position(..) = 1, 'first', 'next')", "first"),
]


@pytest.mark.parametrize("index, expression, expected", INSIDE)
def test_inside_the_current_instance(index, expression, expected):
    check(expression, MEMBERS, expected, repeat="members", index=index)


class EngineLike(Context):
    """Answers the way the form engine does: ``${q}`` is the current instance, the aggregate calls
    see every instance. Records what the evaluator asked."""

    def __init__(self):
        self.asked = []

    def resolve(self, name):
        self.asked.append(("resolve", name))
        return {"q": "5", "rep": "", "boom": "x"}.get(name, "")

    def repeat_count(self, name):
        self.asked.append(("repeat_count", name))
        return 4

    def repeat_values(self, name):
        self.asked.append(("repeat_values", name))
        return ["1", "2", "5"]

    def indexed_repeat(self, name, pairs):
        self.asked.append(("indexed_repeat", name, pairs))
        return "found"

    def position(self):
        return 3


@pytest.mark.parametrize(
    "expression, expected, call",
    [
        ("${q}", "5", ("resolve", "q")),
        ("count(${rep})", 4.0, ("repeat_count", "rep")),
        ("sum(${q})", 8.0, ("repeat_values", "q")),
        ("max(${q})", 5.0, ("repeat_values", "q")),
        ("min(${q})", 1.0, ("repeat_values", "q")),
        ("count-non-empty(${q})", 3.0, ("repeat_values", "q")),
        ("indexed-repeat(${q}, ${rep}, 2)", "found", ("indexed_repeat", "q", (("rep", 2),))),
        (
            "indexed-repeat(${q}, ${outer}, 2, ${inner}, 1 + 2)",
            "found",
            ("indexed_repeat", "q", (("outer", 2), ("inner", 3))),
        ),
        ("position(..)", 3.0, None),
    ],
)
def test_the_evaluator_asks_the_context(expression, expected, call):
    ctx = EngineLike()
    assert parse(expression).evaluate(ctx) == expected
    if call:
        assert ctx.asked == [call]


def test_default_indexed_repeat_only_knows_one_level():
    ctx = DictContext(MEMBERS)
    assert parse("indexed-repeat(${name}, ${members}, 1, ${members}, 1)").evaluate(ctx) == ""


class Exploding(Context):
    def resolve(self, name):
        if name == "boom":
            raise AssertionError("evaluated a branch that must not be")
        return "v"

    def once_value(self):
        return "stored"


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("if(true(), 1, ${boom})", 1.0),
        ("if(false(), ${boom}, 2)", 2.0),
        ("false() and ${boom}", False),
        ("true() or ${boom}", True),
        ("coalesce(${v}, ${boom})", "v"),
        ("once(${boom})", "stored"),
    ],
)
def test_lazy_evaluation(expression, expected):
    assert parse(expression).evaluate(Exploding()) == expected
