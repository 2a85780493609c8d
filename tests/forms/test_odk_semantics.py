"""Where the engine must judge answers exactly as ODK does (JavaRosa / Collect, documented behaviour).

Each form is written the way ODK's XLSForm documentation writes it; each test names the rule.
"""

from forms.definition import load
from forms.example import generate
from forms.session import FormSession
from forms.validate import validate
from tests.forms.compile.helpers import compile_md, survey

ACCURACY = survey(
    "| | geopoint | location | Location | number(selected-at(., 3)) <= 50 |",
    header="| | type | name | label | constraint |",
)


def test_a_point_typed_without_accuracy_keeps_its_missing_parts(tmp_path):
    """JavaRosa's GeoPointData keeps the parts it was given: "lat lon" has no altitude and no accuracy.
    The ODK docs' accuracy rule `selected-at(., 3) <= 50` reads '' there (NaN), so it does not pass."""
    form = load(compile_md(tmp_path, ACCURACY))
    result = validate(form, {"location": "15.4 108.4"})
    assert [(e.field, e.code) for e in result.errors] == [("location", "constraint")]
    assert validate(form, {"location": "15.4 108.4 12 8"}).ok


def test_a_point_without_accuracy_is_stored_as_given(tmp_path):
    form = load(compile_md(tmp_path, survey("| | geopoint | location | Location |")))
    assert validate(form, {"location": "15.4 108.4"}).answers == {"location": "15.4 108.4"}
    assert validate(form, {"location": "15.4 108.4 7"}).answers == {"location": "15.4 108.4 7"}
    session = FormSession(form)
    session.set("location", "15.4 108.4")
    assert session.get("location") == "15.4 108.4"


def test_a_constraint_on_a_calculate_is_not_enforced(tmp_path):
    """ODK evaluates constraints on questions a person answers; a calculate has no screen, so its
    constraint (which nobody could see nor fix) is never checked."""
    form = load(compile_md(tmp_path, survey(
        "| | integer | rooms | Rooms | | |",
        "| | calculate | area | | ${rooms} * 12 | . < 20 |",
        header="| | type | name | label | calculation | constraint |",
    )))
    result = validate(form, {"rooms": 3})
    assert result.ok, result.errors
    assert result.answers["area"] == 36
    session = FormSession(form, {"rooms": 3})
    assert session.errors() == []


def test_a_constraint_on_a_visible_calculated_question_is_still_checked(tmp_path):
    """A question shown to the person (here read-only, with a calculation) keeps its constraint."""
    form = load(compile_md(tmp_path, survey(
        "| | integer | rooms | Rooms | | |",
        "| | integer | area | Area | ${rooms} * 12 | . < 20 |",
        header="| | type | name | label | calculation | constraint |",
    )))
    assert [e.code for e in validate(form, {"rooms": 3}).errors] == ["constraint"]


def test_no_type_error_on_a_value_a_calculation_replaces(tmp_path):
    """A decimal with a calculation: whatever the client sent is recomputed, so it is never judged."""
    form = load(compile_md(tmp_path, survey(
        "| | decimal | width | Width | |",
        "| | decimal | area | Area | ${width} * 2 |",
        header="| | type | name | label | calculation |",
    )))
    result = validate(form, {"width": 2.5, "area": "not a number"})
    assert result.ok, result.errors
    assert result.answers["area"] == 5
    session = FormSession(form, {"width": 2.5, "area": "not a number"})
    assert session.errors() == []


def test_examples_of_these_forms_validate(tmp_path):
    for i, text in enumerate([ACCURACY]):
        form = load(compile_md(tmp_path, text, name=f"f{i}.md"))
        for seed in range(5):
            assert validate(form, generate(form, seed=seed)).ok
