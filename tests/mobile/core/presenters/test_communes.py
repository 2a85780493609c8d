"""The commune question by name: the stored scope's communes offered as choices, the account's own
pre-selected, the code stored as the answer, the villages of the chosen commune listed."""

from pathlib import Path

import pytest

from forms.compile import compile_file, media_files
from mobile.core.presenters.form import FormPresenter
from mobile.core.store import USER

LIBRARY = Path(__file__).resolve().parents[4] / "forms" / "library"
SCOPE = [{"code": "20968", "name": "Xã Tam Xuân I"}, {"code": "20971", "name": "Xã Tam Xuân II"}]


@pytest.fixture(scope="module")
def definition():
    return compile_file(LIBRARY / "house_assessment.xlsx")


@pytest.fixture
def phone(store, definition):
    store.save_form(definition, "h", media=media_files(LIBRARY / "house_assessment.xlsx"))
    return store


def _open(phone, **answers):
    return FormPresenter(phone, phone.create_draft("house_assessment", "1", answers=answers), lang="vi")


def test_the_commune_question_offers_the_scope_by_name_with_the_own_commune_chosen(phone):
    phone.set_setting(USER, {"username": "v", "communes": SCOPE, "commune": "20971"})
    p = _open(phone)
    view = p.view("commune_code")
    assert view.type == "select_one" and view.label == "Xã / phường"
    assert view.choices == [("20968", "Xã Tam Xuân I"), ("20971", "Xã Tam Xuân II")]
    assert view.value == "20971"
    assert phone.get_draft(p.draft_id).answers["commune_code"] == "20971"  # saved: the code, not the name
    p.answer("commune_code", "20968")
    assert phone.get_draft(p.draft_id).answers["commune_code"] == "20968"
    assert [name for name, _ in p.view("village").choices] == ["2096801", "2096802", "2096803", "other"]
    p.answer("commune_code", "20971")  # a commune with no village list: «Thôn khác» only, as today
    assert [name for name, _ in p.view("village").choices] == ["other"]


def test_one_commune_in_scope_is_chosen_and_an_answered_draft_is_left_alone(phone):
    phone.set_setting(USER, {"username": "v", "communes": SCOPE[:1]})  # no default named: the only one
    assert _open(phone).view("commune_code").value == "20968"
    phone.set_setting(USER, {"username": "v", "communes": SCOPE, "commune": "20968"})
    assert _open(phone, commune_code="20971").view("commune_code").value == "20971"


def test_without_a_stored_scope_the_form_s_own_question_is_shown(phone):
    phone.set_setting(USER, {"username": "v"})  # an older server: no communes at sign-in
    view = _open(phone).view("commune_code")
    assert view.type == "text" and view.value is None
