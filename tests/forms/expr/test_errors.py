"""Parse-time errors: what and where (0-based position), in English and Vietnamese."""

import pytest

from forms.expr import FUNCTIONS, ExprError, parse
from forms.expr.errors import MESSAGES

ERRORS = [
    ("", "empty", 0),
    ("   ", "empty", 0),
    ("1 +", "end", 3),
    ("${a} = ", "end", 7),
    ("(1 + 2", "paren", 0),
    ("concat(1, 2", "paren", 6),
    ("if(${a}, (1, 2)", "token", 11),
    ("concat(1 2)", "comma", 9),
    ("'abc", "string", 0),
    ('1 = "abc', "string", 4),
    ("x # 2", "char", 2),
    ("1 ; 2", "char", 2),
    ("${a", "ref", 0),
    ("1 + $a", "ref", 4),
    ("${}", "ref", 0),
    ("${1a}", "ref", 0),
    ("${a b}", "ref", 0),
    ("1 2", "extra", 2),
    ("${a} ${b}", "extra", 5),
    ("'a' 'b'", "extra", 4),
    ("(1) (2)", "extra", 4),
    (")", "token", 0),
    ("1)", "token", 1),
    ("* 2", "token", 0),
    ("1 = = 2", "token", 4),
    ("1 + ,", "token", 4),
    ("a:b", "token", 0),
    ("foo(1)", "function", 0),
    ("${a} + foo(1)", "function", 7),
    ("jr:foo()", "function", 0),
    ("pulldata('x', 'y', 'z')", "arity", 0),
    ("instance('l')/foo", "instance", 14),
    ("if(1, 2)", "arity", 0),
    ("1 + if(1, 2, 3, 4)", "arity", 4),
    ("true(1)", "arity", 0),
    ("count()", "arity", 0),
    ("max()", "arity", 0),
    ("..", "parent", 0),
    (". = ..", "parent", 4),
    ("count(..)", "parent", 6),
    ("/data/a", "path", 0),
    ("${a}[1]", "path", 4),
    ("${a} | ${b}", "path", 5),
    ("@id", "path", 0),
    ("regex(., '[')", "regex", 0),
    ("${a} and regex(., '(a')", "regex", 9),
    ("position(1)", "position", 0),
    ("indexed-repeat('x', ${r}, 1)", "indexed_repeat", 0),
    ("indexed-repeat(${x}, 'r', 1)", "indexed_repeat", 0),
    ("indexed-repeat(${x}, ${r}, 1, ${s})", "indexed_repeat", 0),
    ("jr:choice-name(${a}, '')", "choice_name", 0),
    ("(" * 101 + "1" + ")" * 101, "deep", 100),
    ("-" * 150 + "1", "deep", 100),
]


@pytest.mark.parametrize("expression, code, position", ERRORS)
def test_syntax_error(expression, code, position):
    with pytest.raises(ExprError) as info:
        parse(expression)
    err = info.value
    assert (err.code, err.position) == (code, position), err.message
    assert err.expression == expression
    assert f"character {position + 1}" in err.message
    assert f"ký tự {position + 1}" in err.message_vi
    assert expression in str(err)


def test_every_message_has_both_languages():
    codes = {code for _, code, _ in ERRORS}
    assert codes == set(MESSAGES)
    assert MESSAGES.problems() == []
    for texts in MESSAGES.values():
        assert texts["en"] != texts["vi"]


def test_messages_name_the_culprit():
    with pytest.raises(ExprError) as info:
        parse("if(${a} > 1, 'x')")
    assert info.value.message.startswith("if() takes 3 argument(s), not 2")
    assert info.value.message_vi.startswith("hàm if() cần 3 đối số, không phải 2")
    with pytest.raises(ExprError) as info:
        parse("round()")
    assert "1 or 2" in info.value.message and "1 hoặc 2" in info.value.message_vi
    with pytest.raises(ExprError) as info:
        parse("min()")
    assert "1 or more" in info.value.message and "1 trở lên" in info.value.message_vi
    with pytest.raises(ExprError) as info:
        parse("${a} = 'yes' and contians(${b}, 'x')")
    assert "contians()" in info.value.message and "contians()" in info.value.message_vi


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_arity_is_checked_for_every_function(name):
    spec = FUNCTIONS[name]
    if spec.high is not None:
        with pytest.raises(ExprError) as info:
            parse(f"{name}({', '.join(['${a}'] * (spec.high + 1))})")
        assert info.value.code == "arity"
    if spec.low > 0:
        with pytest.raises(ExprError) as info:
            parse(f"{name}({', '.join(['${a}'] * (spec.low - 1))})")
        assert info.value.code == "arity"


def test_expr_error_is_a_value_error():
    assert issubclass(ExprError, ValueError)
    assert ExprError("boom", 3, "x").text("en") == "boom"


def test_parse_needs_text():
    with pytest.raises(TypeError):
        parse(None)
