"""The XLSForm types, aliases and layouts real programmes use (ODK's documentation), end to end:
compile -> definition -> engine (session, validate, display)."""

import pytest
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from forms.compile import CompileError
from forms.compile.types import DECLARATIONS, resolve
from forms.definition import load
from forms.display import answer_rows
from forms.model import value_at
from forms.session import FormSession
from forms.validate import validate
from tests.forms.compile.helpers import by_name, compile_md
from tests.forms.odk_forms import ALIASES, EMPTY_FILTER_COLUMN, LOOP, METADATA, SAME_NAME, SERVER_TYPES

META = {"username": "volunteer", "deviceid": "collect:abc", "phonenumber": "0905000000",
        "email": "a@b.vn", "simserial": "8984", "subscriberid": "4520", "start-geopoint": "15.5 108.5 3 5",
        "now": "2026-06-01T09:30:00+07:00"}


def form_of(tmp_path, text):
    return load(compile_md(tmp_path, text))


# ---- metadata: no screen, filled from the caller's meta -------------------------------------------
def test_metadata_types_need_no_screen(tmp_path):
    d = compile_md(tmp_path, METADATA)
    types = {name: node["type"] for name, node in by_name(d).items()}
    assert types == {
        "start": "start", "end": "end", "today": "today", "deviceid": "deviceid", "phonenumber": "phonenumber",
        "email": "email", "username": "username", "simserial": "simserial", "subscriberid": "subscriberid",
        "start_point": "start-geopoint", "uri_device": "deviceid", "name": "text",
    }
    form = load(d)
    session = FormSession(form, meta=META)
    assert [p.key for p in session.pages()] == ["name"]
    result = validate(form, {"name": "An"}, meta=META)
    assert result.ok, result.errors
    assert result.answers["phonenumber"] == "0905000000"
    assert result.answers["start_point"] == "15.5 108.5 3 5"
    assert result.answers["uri_device"] == "collect:abc"
    assert [r.path for r in answer_rows(form, result.answers, "vi")] == ["name"]


def test_metadata_without_meta_is_simply_empty(tmp_path):
    result = validate(form_of(tmp_path, METADATA), {"name": "An"})
    assert result.ok and "email" not in result.answers


# ---- aliases ----------------------------------------------------------------------------------------
def test_aliases_mean_what_they_mean_in_odk(tmp_path):
    d = compile_md(tmp_path, ALIASES)
    nodes = by_name(d)
    assert {n: nodes[n]["type"] for n in nodes} == {
        "location": "geopoint", "phone": "text", "remarks": "text", "people": "integer", "area": "decimal",
        "spot": "geopoint", "imei": "deviceid", "day": "today",
    }
    # 'phone number' brings ODK's digits-only rule and its hint
    assert nodes["phone"]["constraint"] == "regex(., '^\\d*$')"
    form = load(d)
    assert [e.code for e in validate(form, {"phone": "09x"}).errors] == ["constraint"]
    assert validate(form, {"phone": "0905123456", "location": "15.5 108.4"}).ok


_NEEDS_A_LIST = ("select", "rank")
STILL_REFUSED = {"background-audio", "background-geopoint", "rank"}


@pytest.mark.parametrize("written", sorted(QUESTION_TYPE_DICT))
def test_every_pyxform_type_name_is_known(written):
    """Every name in pyxform's QUESTION_TYPE_DICT resolves to an engine type (or is a declaration,
    or is one of the few the engine still refuses, listed here on purpose)."""
    if written in DECLARATIONS:
        return
    resolved = resolve(written)
    if written in STILL_REFUSED:
        assert resolved is None
    else:
        assert resolved is not None, written


# ---- types the phone may not capture, that the server accepts and shows ----------------------------
def test_server_types_compile_validate_and_show(tmp_path):
    form = form_of(tmp_path, SERVER_TYPES)
    answers = {
        "voice": "voice.m4a", "clip": "clip.mp4", "code": "8934567", "document": "a.pdf",
        "road": "15.5 108.4 0 5;15.6 108.5 0 5",
        "plot": "15.5 108.4;15.6 108.4;15.6 108.5;15.5 108.4",
        "score": "4", "building": "building.osm",
    }
    result = validate(form, answers)
    assert result.ok, result.errors
    assert result.answers["score"] == 4
    rows = {r.path: r.value_text for r in answer_rows(form, result.answers, "vi")}
    assert rows["plot"] == "15.5, 108.4 → 15.6, 108.4 → 15.6, 108.5 → 15.5, 108.4"
    assert rows["voice"] == "voice.m4a"


@pytest.mark.parametrize(("field", "value", "code"), [
    ("road", "15.5 108.4", "type"),                              # a trace needs two points
    ("plot", "15.5 108.4;15.6 108.4;15.6 108.5;15.7 108.4", "type"),  # a shape must close
    ("score", "5", "constraint"),                                # off the step of 2 from 0
    ("score", "12", "constraint"),                               # past the end
    ("voice", "../x.m4a", "type"),
])
def test_server_types_refuse_what_odk_refuses(tmp_path, field, value, code):
    result = validate(form_of(tmp_path, SERVER_TYPES), {field: value})
    assert [(e.field, e.code) for e in result.errors] == [(field, code)]


# ---- the same name in two groups: the answer key is the group path ------------------------------------
def test_same_name_in_two_groups(tmp_path):
    form = form_of(tmp_path, SAME_NAME)
    assert {"head/name", "contact/name", "head/phone", "contact/phone", "age", "note_text"} <= set(form.nodes)
    answers = {"head/name": "An", "contact/name": "Bình", "contact/phone": "0905", "age": 75, "note_text": "x"}
    result = validate(form, answers)
    assert result.ok, result.errors
    assert result.answers == answers
    session = FormSession(form, answers)
    assert session.get("contact/name") == "Bình" and session.label("head/name") == "Name"
    session.set("head/phone", "0123")
    assert value_at(session.answers, "head/phone") == "0123"
    assert [p.key for p in session.pages()] == ["head/name", "head/phone", "contact/name", "contact/phone",
                                                 "note_text", "age"]
    rows = [(r.path, r.value_text) for r in answer_rows(form, result.answers, "vi") if not r.is_group]
    assert rows[:2] == [("head/name", "An"), ("contact/name", "Bình")]


def test_a_reference_to_a_repeated_name_is_refused(tmp_path):
    text = SAME_NAME.replace("${age} > 70", "${phone} != ''")
    with pytest.raises(CompileError) as info:
        compile_md(tmp_path, text)
    [problem] = info.value.errors("en")
    assert (problem["sheet"], problem["row"], problem["column"]) == ("survey", 9, "relevant")


# ---- begin loop over -----------------------------------------------------------------------------------
def test_loop_over_a_list_makes_a_group_per_choice(tmp_path):
    form = form_of(tmp_path, LOOP)
    assert [n.name for n in form.node("room").children] == ["bedroom", "kitchen"]
    assert form.text(form.node("room/kitchen/windows").label, "vi") == "Windows in the kitchen"
    result = validate(form, {"room/bedroom/windows": 2, "room/kitchen/windows": "x"})
    assert [(e.field, e.code) for e in result.errors] == [("room/kitchen/windows", "type")]


# ---- a choice filter reading a column left empty for one list ----------------------------------------
def test_choice_filter_on_a_column_empty_for_the_list(tmp_path):
    form = form_of(tmp_path, EMPTY_FILTER_COLUMN)
    session = FormSession(form, {"province": "qn"})
    assert [c.name for c in session.choices("district")] == ["nt"]
    assert [c.name for c in session.choices("ok")] == ["yes", "no"]
