"""The library forms run in the engine: compile -> load -> example -> validate over many seeds, and the
QĐ 55 eligibility note / proposal pages follow the answers the volunteer types."""

import pytest

from forms.compile import load_file
from forms.compile.library import SOURCES, library_path
from forms.example import generate
from forms.session import FormSession
from forms.validate import validate

META = {
    "username": "volunteer",
    "deviceid": "test",
    "today": "2026-11-28",
    "now": "2026-11-28T09:00:00+07:00",
}


@pytest.fixture(scope="module")
def forms():
    return {form_id: load_file(library_path(form_id)) for form_id in SOURCES}


@pytest.mark.parametrize("form_id", sorted(SOURCES))
def test_examples_always_validate(forms, form_id):
    form = forms[form_id]
    seen_villages = set()
    for seed in range(25):
        answers = generate(form, seed=seed, meta=META)
        result = validate(form, answers, meta=META)
        assert result.ok, (seed, [i.to_dict() for i in result.errors])
        assert answers["commune_code"] == "20968"
        seen_villages.add(answers.get("village"))
    if form_id == "house_assessment":
        assert seen_villages <= {"2096801", "2096802", "2096803"}


def _household(session, size, area, parts, land=("yes", "no")):
    session.set("household_size", size)
    session.set("floor_area", area)
    for name, value in zip(("foundation_durable", "walls_durable", "roof_durable"), parts, strict=True):
        session.set(name, value)
    session.set("residential_land", land[0])
    session.set("land_dispute", land[1])


def test_eligibility_note_and_proposal_follow_the_answers(forms):
    form = forms["house_assessment"]
    s = FormSession(form, meta=META)
    _household(s, 1, 15, ("durable", "durable", "durable"))
    assert s.get("criterion_area") == "yes" and s.get("eligible") == "yes"
    assert s.is_relevant("note_eligible") and s.is_relevant("recommendation")
    assert not s.is_relevant("note_not_eligible")

    s.set("floor_area", 40)  # big enough, and every part durable: not eligible
    assert s.get("eligible") == "no"
    assert s.is_relevant("note_not_eligible") and not s.is_relevant("recommendation")

    _household(s, 3, 40, ("not_durable", "durable", "not_durable"))  # 2 of 3 parts not durable
    assert s.get("criterion_structure") == "yes" and s.get("eligible") == "yes"

    s.set("land_dispute", "yes")  # land in dispute: QĐ 55's first condition fails
    assert s.get("eligible") == "no" and s.is_relevant("note_land_problem")


def test_area_per_person_and_household_flags(forms):
    s = FormSession(forms["house_assessment"], meta=META)
    s.set("head_birth_year", 1950)
    s.set("head_disabled", "no")
    s.set("household_size", 4)
    s.set("floor_area", 30)
    assert float(s.get("area_per_person")) == 7.5
    assert s.get("lives_alone") == "no"
    assert s.get("has_elderly") == "yes"  # the head is 76 in 2026


def test_validation_messages_come_from_the_form(forms):
    form = forms["house_assessment"]
    answers = generate(form, seed=3, meta=META)
    answers["head_cccd"] = "12345"
    answers["gps"] = "15.5 108.5 12 80"
    answers.pop("photo_front", None)
    for lang, words in (("vi", ("12 chữ số", "50 m", "mặt trước")), ("en", ("12 digits", "50 m", "front"))):
        result = validate(form, answers, lang=lang, meta=META)
        by_field = {i.field: i for i in result.errors}
        assert by_field["head_cccd"].code == "constraint" and words[0] in by_field["head_cccd"].message
        assert by_field["gps"].code == "constraint" and words[1] in by_field["gps"].message
        assert by_field["photo_front"].code == "required" and words[2] in by_field["photo_front"].message


def test_progress_completion_questions_only_when_completed(forms):
    s = FormSession(forms["construction_progress"], meta=META)
    s.set("stage", "started")
    assert not s.is_relevant("new_floor_area")
    s.set("stage", "completed")
    assert s.is_relevant("new_floor_area") and s.is_required("new_floor_area")
    for name in ("hard_floor", "hard_frame_walls", "hard_roof"):
        s.set(name, "yes")
    assert s.get("three_hard") == "yes" and s.is_relevant("note_three_hard")


def test_a_commune_without_a_village_list_can_still_be_surveyed(forms):
    """Only the demo commune's villages are in the list: elsewhere the volunteer picks «Thôn khác» and
    types the name, instead of meeting a required question with nothing to choose."""
    form = forms["house_assessment"]
    answers = generate(form, seed=3, meta=META)
    answers.update({"commune_code": "20335", "village": "other", "village_other": "Thôn Phú Lộc"})
    result = validate(form, answers, meta=META)
    assert result.ok, [i.to_dict() for i in result.errors]
    assert result.answers["village_other"] == "Thôn Phú Lộc"
    s = FormSession(form, meta=META)
    s.set("commune_code", "20335")
    assert [c.name for c in s.state.choices(form.nodes["village"])] == ["other"]
    del answers["village_other"]
    assert [i.field for i in validate(form, answers, meta=META).errors] == ["village_other"]
    answers.update({"village": "2096801"})  # another commune's village
    assert [(i.field, i.code) for i in validate(form, answers, meta=META).errors] == [("village", "choice")]
