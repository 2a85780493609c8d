"""An ordinary XLSForm written the way the ODK docs and Kobo templates write them (English only,
no language suffix, underscores or spaces in begin/end, TRUE for required) compiles unchanged."""

from forms.compile import compile_file
from tests.forms.compile.helpers import by_name, write_xlsx

ODK_FORM = """
| survey |
| | type | name | label | hint | required | relevant | constraint | constraint_message | calculation | appearance | repeat_count | choice_filter |
| | start | start | | | | | | | | | | |
| | end | end | | | | | | | | | | |
| | today | today | | | | | | | | | | |
| | deviceid | deviceid | | | | | | | | | | |
| | note | intro | Welcome. Please answer every question. | | | | | | | | | |
| | text | respondent | What is your name? | First and last name | TRUE | | | | | | | |
| | integer | age | How old are you? | | TRUE | | . >= 0 and . <= 120 | Age must be between 0 and 120 | | | | |
| | select_one yes_no | consent | Do you agree to take part? | | TRUE | ${age} >= 18 | | | | | | |
| | begin_group | household | Household | | | ${consent} = 'yes' | | | | field-list | | |
| | select_one region | region | Region | | TRUE | | | | | minimal | | |
| | select_one district | district | District | | TRUE | | | | | | | region = ${region} |
| | select_multiple assets | assets | Which of these do you own? | | | | | | | | | |
| | integer | hh_size | How many people live here? | | TRUE | | . > 0 | | | | | |
| | end_group | | | | | | | | | | | |
| | begin repeat | person | Person | | | ${consent} = 'yes' | | | | | ${hh_size} | |
| | text | person_name | Name | | TRUE | | | | | | | |
| | integer | person_age | Age | | | | | | | | | |
| | end repeat | | | | | | | | | | | |
| | calculate | total_age | | | | | | | sum(${person_age}) | | | |
| | calculate | n_assets | | | | | | | count-selected(${assets}) | | | |
| | geopoint | location | Record your location | | | | | | | | | |
| | image | photo | Take a picture | | | | | | | | | |
| | date | visit_date | Date of visit | | | | . <= today() | | | | | |
| | note | bye | Thank you, ${respondent}. Total age ${total_age}. | | | | | | | | | |
| choices |
| | list_name | name | label | region |
| | yes_no | yes | Yes | |
| | yes_no | no | No | |
| | region | north | North | |
| | region | south | South | |
| | district | d1 | District 1 | north |
| | district | d2 | District 2 | south |
| | assets | radio | Radio | |
| | assets | bicycle | Bicycle | |
| settings |
| | form_title | form_id | version |
| | Household survey | household_survey | 2024010101 |
"""


def test_odk_style_form_compiles(tmp_path):
    d = compile_file(write_xlsx(tmp_path, ODK_FORM, name="household_survey.xlsx"))
    nodes = by_name(d)
    assert d["form_id"] == "household_survey" and d["version"] == "2024010101"
    assert d["title"] == {"vi": "Household survey"}
    assert nodes["respondent"]["required"] is True and nodes["respondent"]["hint"] == {
        "vi": "First and last name"
    }
    assert nodes["household"]["type"] == "group" and nodes["household"]["appearance"] == "field-list"
    assert nodes["district"]["path"] == "/household/district"
    assert nodes["district"]["choice_filter"] == "region = ${region}"
    assert (
        nodes["person"]["repeat_count"] == "${hh_size}"
        and nodes["person_name"]["path"] == "/person/person_name"
    )
    assert nodes["total_age"]["calculation"] == "sum(${person_age})"
    assert nodes["age"]["constraint_message"] == {"vi": "Age must be between 0 and 120"}
    assert nodes["visit_date"]["row"] == 24
    assert {n["type"] for n in nodes.values()} >= {"note", "geopoint", "image", "date", "calculate", "repeat"}


def test_odk_style_form_runs_in_the_engine(tmp_path):
    from forms.definition import load
    from forms.example import generate
    from forms.validate import validate

    form = load(compile_file(write_xlsx(tmp_path, ODK_FORM, name="household_survey.xlsx")))
    consented = 0
    for seed in range(10):
        answers = generate(form, seed=seed)
        assert validate(form, answers).ok, seed
        if answers.get("consent") == "yes":
            consented += 1
            district = answers["district"]
            assert (answers["region"], district) in (("north", "d1"), ("south", "d2"))  # the choice_filter
            assert len(answers.get("person", [])) == answers["hh_size"]  # repeat_count
    assert consented, "no seed reached the household group"
    result = validate(form, {"respondent": "A", "age": 150})
    assert {(i.field, i.code) for i in result.errors} >= {("age", "constraint")}
