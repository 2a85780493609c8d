"""forms.model.Form's role API: a consumer asks for a role, never for a question name."""

import pytest

from forms.compile.library import library_path
from forms.definition import DefinitionError, load
from forms.roles import ROLES


def definition(*questions):
    return {"schema_version": 1, "form_id": "f", "questions": list(questions), "choices": {}}


def test_node_for_and_answer_for_read_the_declared_question():
    form = load(definition(
        {"name": "household", "type": "group", "children": [
            {"name": "ten_chu_ho", "type": "text", "role": "head_name"}]},
        {"name": "toa_do", "type": "geopoint", "role": "house_location"},
        {"name": "ghi_chu", "type": "text"},
    ))
    assert form.node_for("head_name").name == "ten_chu_ho"
    assert set(form.roles) == {"head_name", "house_location"}
    answers = {"ten_chu_ho": "Trần Thị B", "toa_do": "15.5 108.4 0 5", "ghi_chu": "x"}
    assert form.answer_for("head_name", answers) == "Trần Thị B"
    assert form.answer_for("house_location", answers) == "15.5 108.4 0 5"


def test_a_form_without_a_role_answers_none():
    form = load(definition({"name": "head_name", "type": "text"}))
    assert form.roles == {} and form.node_for("head_name") is None
    assert form.answer_for("head_name", {"head_name": "A"}) is None  # the name alone means nothing
    assert form.answer_for("id_number", None) is None


def test_an_empty_answer_is_none():
    form = load(definition({"name": "a", "type": "text", "role": "head_name"}))
    assert form.answer_for("head_name", {"a": ""}) is None


@pytest.mark.parametrize(("questions", "message"), [
    ([{"name": "a", "type": "text", "role": "nope"}], "unknown role"),
    ([{"name": "a", "type": "text", "role": "head_name"}, {"name": "b", "type": "text", "role": "head_name"}],
     "already given to 'a'"),
    ([{"name": "a", "type": "integer", "role": "house_location"}], "needs a question of type geopoint"),
])
def test_load_refuses_a_definition_with_a_bad_role(questions, message):
    with pytest.raises(DefinitionError) as info:
        load(definition(*questions))
    assert message in str(info.value)


def test_the_library_forms_declare_the_roles_the_server_reads():
    from forms.compile import load_file

    assessment = load_file(library_path("house_assessment"))
    progress = load_file(library_path("construction_progress"))
    assert {"head_name", "id_number", "house_location", "commune", "village", "support_group", "support_kind",
            "eligibility", "land_status", "workdays", "funds_provincial_budget"} <= set(assessment.roles)
    assert {"construction_stage", "house_ref", "house_location", "workdays", "funds_sponsor"} <= set(progress.roles)
    assert set(assessment.roles) | set(progress.roles) <= set(ROLES)
