"""What an expression depends on: the input of the engine's dependency graph."""

import pytest

from forms.expr import parse

REFS = [
    ("${a} + ${b}", {"a", "b"}, False, set()),
    ("${a} + ${a}", {"a"}, False, set()),
    ("'${a}'", set(), False, set()),
    ("jr:choice-name(${q}, '${q}')", {"q"}, False, set()),
    ("count(${rep})", {"rep"}, False, set()),
    ("indexed-repeat(${n}, ${r}, 1)", {"n", "r"}, False, set()),
    (". > 1", set(), True, set()),
    ("string-length()", set(), True, set()),
    ("normalize-space() != ''", set(), True, set()),
    ("current()", set(), True, set()),
    ("position(..)", set(), False, set()),
    ("today()", set(), False, set()),
    ("commune = ${c}", {"c"}, False, {"commune"}),
    ("${a.b-c_d} and ${Tên_1}", {"a.b-c_d", "Tên_1"}, False, set()),
    ("if(${x}, ${y}, ${z})", {"x", "y", "z"}, False, set()),
    ("once(${x})", {"x"}, False, set()),
]


@pytest.mark.parametrize("expression, refs, uses_dot, columns", REFS)
def test_refs(expression, refs, uses_dot, columns):
    e = parse(expression)
    assert e.refs == frozenset(refs)
    assert e.uses_dot is uses_dot
    assert e.columns == frozenset(columns)


def test_parse_is_cached_and_expr_is_immutable_enough():
    assert parse("${a} + 1") is parse("${a} + 1")
    e = parse("${a} + 1")
    assert isinstance(e.refs, frozenset) and repr(e) == "Expr('${a} + 1')"
