"""The public surface that the engine builds on: parse, Expr attributes, Context, conversions."""

import pytest

from forms.expr import Context, DictContext, Expr, ExprError, parse, to_boolean, to_number, to_string


def test_parse_returns_an_expr_with_refs_and_dot():
    e = parse("if(${a} > 2, 'x', ${b}) and . != ''")
    assert isinstance(e, Expr)
    assert e.refs == frozenset({"a", "b"})
    assert e.uses_dot is True
    assert "if" in e.functions


def test_evaluate_reads_the_context():
    e = parse("${a} = 'yes' and ${b} > 3")
    assert e.evaluate(DictContext({"a": "yes", "b": "5"})) is True
    assert e.evaluate(DictContext({"a": "yes", "b": "2"})) is False
    assert e.evaluate(DictContext({})) is False


def test_base_context_has_safe_defaults():
    assert parse("${x}").evaluate(Context()) == ""
    assert parse("position(..)").evaluate(Context()) == 1.0
    assert parse("count(${x})").evaluate(Context()) == 1.0


def test_conversions_are_exported():
    assert to_string(2.0) == "2"
    assert to_number("") != to_number("")
    assert to_boolean("") is False


def test_error_carries_position_expression_and_both_languages():
    with pytest.raises(ExprError) as info:
        parse("${a} + foo(1)")
    err = info.value
    assert err.position == 7
    assert err.expression == "${a} + foo(1)"
    assert err.code == "function"
    assert "foo" in err.message and "character 8" in err.message
    assert "foo" in err.message_vi and "ký tự 8" in err.message_vi
    assert err.text("vi") == err.message_vi and err.text("en") == err.message
