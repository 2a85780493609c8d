import pytest

from forms.definition import DefinitionError, load
from tests.forms.engine_helpers import definition, group, q, repeat


def test_defaults_are_filled_and_nodes_linked():
    form = load(definition(group("g", [q("a"), q("b", relevant="${a} = 'x'")])))
    b = form.node("b")
    assert b.parent is form.node("g") and b.path == "/g/b"
    assert b.required is False and b.relevant.refs == {"a"}


def test_unknown_reference_names_question_and_row():
    with pytest.raises(DefinitionError) as err:
        load(definition(q("a", row=7, relevant="${nope} = 1")))
    assert err.value.problems[0]["question"] == "a"
    assert err.value.problems[0]["row"] == 7
    assert "nope" in err.value.problems[0]["message"]


def test_syntax_error_and_unknown_function_are_definition_errors():
    with pytest.raises(DefinitionError, match="constraint"):
        load(definition(q("a", constraint=". >")))
    with pytest.raises(DefinitionError, match="frobnicate"):
        load(definition(q("a", calculation="frobnicate(1)")))


def test_circular_calculation_is_named():
    with pytest.raises(DefinitionError, match="circular") as err:
        load(definition(q("a", "calculate", calculation="${b} + 1"), q("b", "calculate", calculation="${a} + 1")))
    assert "a" in str(err.value) and "b" in str(err.value)


def test_self_reference_in_calculation():
    with pytest.raises(DefinitionError, match="itself"):
        load(definition(q("a", "calculate", calculation="${a} + 1")))


def test_unknown_type_and_duplicate_name_and_missing_list():
    with pytest.raises(DefinitionError, match="unsupported question type"):
        load(definition(q("a", "rank")))
    with pytest.raises(DefinitionError, match="twice"):
        load(definition(q("a"), q("a")))
    with pytest.raises(DefinitionError, match="choice list"):
        load(definition(q("a", "select_one", list_name="missing")))


def test_not_json_and_wrong_schema_version():
    with pytest.raises(DefinitionError, match="not JSON"):
        load("{nope")
    with pytest.raises(DefinitionError, match="schema_version"):
        load(definition(q("a"), schema_version=99))


def test_order_puts_dependencies_first_and_dependants_are_transitive():
    form = load(definition(
        q("c", "calculate", calculation="${b} * 2"),
        q("b", "calculate", calculation="${a} + 1"),
        q("a", "integer"),
        q("unrelated"),
        repeat("r", [q("x", relevant="${c} > 2")]),
    ))
    names = [n.name for n in form.order]
    assert names.index("a") < names.index("b") < names.index("c") < names.index("x")
    assert form.dependants["a"] == {"b", "c", "x"}
    assert "unrelated" not in form.dependants["a"]
