import pytest

from forms.definition import load
from forms.validate import validate
from tests.forms.engine_helpers import definition, group, q, repeat, yes_no

CHOICES = {
    "yn": yes_no(),
    "villages": [
        {"name": "v1", "label": {"vi": "Thôn 1"}, "props": {"commune": "100"}},
        {"name": "v2", "label": {"vi": "Thôn 2"}, "props": {"commune": "200"}},
    ],
    "colours": [{"name": n, "label": {"vi": n}} for n in ("red", "green", "blue")],
}


def _codes(result):
    return {(e.field, e.code) for e in result.errors}


@pytest.mark.parametrize(
    "qtype,given,expected",
    [
        ("integer", 5, 5),
        ("integer", "12", 12),
        ("integer", 3.0, 3),
        ("decimal", "2,5", 2.5),
        ("decimal", 7, 7.0),
        ("select_multiple", "red blue", ["red", "blue"]),
        ("select_multiple", ["green"], ["green"]),
        ("date", "2025-02-28", "2025-02-28"),
        ("time", "07:30", "07:30:00"),
        ("datetime", "2025-02-28T07:30:00+07:00", "2025-02-28T07:30:00+07:00"),
        ("geopoint", "15.5 108.4", "15.5 108.4"),
        ("geopoint", "15.5 108.4 12 4.5", "15.5 108.4 12 4.5"),
        ("image", "front.jpg", "front.jpg"),
        ("acknowledge", "OK", "OK"),
    ],
)
def test_types_are_normalised(qtype, given, expected):
    extra = {"list_name": "colours"} if qtype.startswith("select") else {}
    form = load(definition(q("x", qtype, **extra), choices=CHOICES))
    result = validate(form, {"x": given})
    assert result.ok, result.errors
    assert result.answers["x"] == expected


@pytest.mark.parametrize(
    "qtype,given",
    [
        ("integer", "abc"), ("integer", 2.5), ("integer", True), ("decimal", "x"), ("decimal", [1]),
        ("date", "2025-02-30"), ("date", "28/02/2025"), ("time", "25:00"), ("datetime", "yesterday"),
        ("geopoint", "95 10"), ("geopoint", "a b"), ("image", "../etc/passwd"), ("text", {"a": 1}),
        ("select_multiple", {"a": 1}), ("acknowledge", "maybe"),
    ],
)
def test_wrong_types_are_type_errors(qtype, given):
    extra = {"list_name": "colours"} if qtype.startswith("select") else {}
    form = load(definition(q("x", qtype, **extra), choices=CHOICES))
    result = validate(form, {"x": given}, lang="en")
    assert _codes(result) == {("x", "type")}


def test_answers_must_be_an_object():
    form = load(definition(q("x")))
    result = validate(form, ["not", "a", "dict"])
    assert not result.ok and result.errors[0].code == "type"
    assert "JSON" in result.errors[0].message


def test_required_only_when_relevant_and_messages_in_language():
    form = load(definition(
        q("has_kids", "select_one", list_name="yn", required=True),
        q("kids", "integer", required=True, relevant="${has_kids} = 'yes'",
          required_message={"vi": "Nhập số con", "en": "Enter the number of children"}),
        choices=CHOICES,
    ))
    assert validate(form, {"has_kids": "no"}).ok
    r = validate(form, {"has_kids": "yes"}, lang="en")
    assert [(e.field, e.code, e.message) for e in r.errors] == [("kids", "required", "Enter the number of children")]
    r = validate(form, {}, lang="vi")
    assert r.errors[0].message == "Câu hỏi này bắt buộc phải trả lời."


def test_required_expression():
    form = load(definition(q("a", "integer"), q("b", required="${a} > 5")))
    assert validate(form, {"a": 1}).ok
    assert _codes(validate(form, {"a": 9})) == {("b", "required")}


def test_irrelevant_and_unknown_answers_are_dropped():
    form = load(definition(q("a"), q("b", relevant="${a} = 'show'")))
    result = validate(form, {"a": "hide", "b": "secret", "zzz": 1})
    assert result.ok and result.answers == {"a": "hide"}


def test_group_relevance_cascades_to_children_and_chains():
    form = load(definition(
        q("a", "integer"),
        group("g", [q("b", "integer", required=True), q("c", relevant="${b} > 1", required=True)],
              relevant="${a} > 0"),
        q("d", relevant="${c} = 'go'", required=True),
    ))
    assert validate(form, {"a": 0, "b": 5, "c": "go", "d": "x"}).answers == {"a": 0}
    r = validate(form, {"a": 1, "b": 5, "c": "go"})
    assert _codes(r) == {("d", "required")}
    assert validate(form, {"a": 1, "b": 1}).ok


def test_constraint_with_dot_and_message():
    form = load(definition(q("cccd", constraint="regex(., '^[0-9]{12}$')",
                             constraint_message={"vi": "CCCD gồm 12 chữ số", "en": "12 digits"})))
    assert validate(form, {"cccd": "012345678901"}).ok
    r = validate(form, {"cccd": "12345"})
    assert [(e.code, e.message) for e in r.errors] == [("constraint", "CCCD gồm 12 chữ số")]


def test_calculations_are_recomputed_and_feed_constraints():
    form = load(definition(
        q("area", "decimal"), q("people", "integer"),
        q("per_person", "calculate", calculation="${area} div ${people}"),
        q("note_ok", "text", constraint="${per_person} < 8"),
    ))
    r = validate(form, {"area": 20, "people": 4, "per_person": 999, "note_ok": "x"})
    assert r.ok and r.answers["per_person"] == 5
    assert _codes(validate(form, {"area": 40, "people": 4, "note_ok": "x"})) == {("note_ok", "constraint")}


def test_choice_membership_and_choice_filter_and_or_other():
    form = load(definition(
        q("commune", required=True),
        q("village", "select_one", list_name="villages", choice_filter="commune = ${commune}"),
        q("colour", "select_multiple", list_name="colours", or_other=True),
        choices=CHOICES,
    ))
    assert validate(form, {"commune": "100", "village": "v1", "colour": ["red", "other"]}).ok
    assert _codes(validate(form, {"commune": "100", "village": "v2"})) == {("village", "choice")}
    assert _codes(validate(form, {"commune": "100", "colour": "red pink"})) == {("colour", "choice")}


def test_repeats_relative_references_count_sum_and_paths():
    form = load(definition(
        q("size", "integer"),
        q("n", "calculate", calculation="${size} - 1"),
        repeat("members", [
            q("name", required=True),
            q("birth", "integer", constraint=". > 1900"),
            q("age", "calculate", calculation="2025 - ${birth}"),
            q("why_old", relevant="${age} > 60", required=True),
        ], repeat_count="${n}"),
        q("total_age", "calculate", calculation="sum(${age})"),
        q("how_many", "calculate", calculation="count(${members})"),
        q("second_name", "calculate", calculation="indexed-repeat(${name}, ${members}, 2)"),
    ))
    answers = {"size": 3, "members": [{"name": "An", "birth": 1950, "why_old": "ok"}, {"name": "Bình", "birth": 2000}]}
    r = validate(form, answers)
    assert r.ok, r.errors
    assert [m["age"] for m in r.answers["members"]] == [75, 25]
    assert r.answers["total_age"] == 100 and r.answers["how_many"] == 2 and r.answers["second_name"] == "Bình"
    r = validate(form, {"size": 3, "members": [{"name": "An", "birth": 1950}, {"birth": 1800}]})
    assert _codes(r) == {("members[1]/why_old", "required"), ("members[2]/name", "required"),
                         ("members[2]/birth", "constraint"), ("members[2]/why_old", "required")}


def test_repeat_that_is_not_a_list_is_a_type_error():
    form = load(definition(repeat("r", [q("x")])))
    assert _codes(validate(form, {"r": {"x": 1}})) == {("r", "type")}
    assert _codes(validate(form, {"r": [1, 2]})) == {("r", "type")}


def test_metadata_filled_from_meta():
    form = load(definition(q("start", "start"), q("today", "today"), q("username", "username"), q("a")))
    r = validate(form, {"a": "x"}, meta={"username": "volunteer", "now": "2025-03-01T08:00:00+07:00"})
    assert r.answers["username"] == "volunteer" and r.answers["today"] == "2025-03-01"
    assert r.answers["start"] == "2025-03-01T08:00:00+07:00"
