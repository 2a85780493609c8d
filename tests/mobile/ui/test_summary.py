"""The summary before Finish groups what is left by page (with the page's title); a tap opens that
page with the cursor in the question; Finish stays disabled and says how many are left."""

import pytest

from forms.example import generate
from mobile.core.store import TOKEN, Store
from tests.mobile.ui.test_survey_flow import LIBRARY_FORM

pytestmark = pytest.mark.ui


def test_errors_by_page_and_a_tap_lands_on_the_question(run_driver, tmp_path):
    from forms.compile import compile_file, media_files

    store = Store(tmp_path / "phone")
    definition = compile_file(LIBRARY_FORM)
    store.save_form(definition, "h", media=media_files(LIBRARY_FORM))
    store.set_setting(TOKEN, "offline")
    answers = generate(store.load_form("house_assessment"), seed=4)
    for name in ("head_cccd", "head_name", "commune_code"):
        answers.pop(name)
    draft_id = store.create_draft("house_assessment", definition["version"], answers=answers)
    store.close()
    r = run_driver("summary_jump", tmp_path / "phone", {"draft_id": draft_id, "jump": "head_cccd"})
    groups = dict(r["groups"])
    [location] = [t for t in groups if t.endswith(": Địa điểm")]
    [household] = [t for t in groups if t.endswith(": Chủ hộ")]
    assert groups[location][0] == "commune_code" and sorted(groups[household]) == ["head_cccd", "head_name"]
    assert list(groups) == [location, household]  # in page order
    assert r["shown_titles"] == list(groups)
    left = sum(len(fields) for fields in groups.values())
    assert r["finish"] == [f"Hoàn thành (còn {left} lỗi)", True]
    after = r["after_jump"]
    assert after["screen"] == "form" and after["on_screen"] and after["focus"]
    assert household.startswith(f"Trang {after['page'] + 1}:")
