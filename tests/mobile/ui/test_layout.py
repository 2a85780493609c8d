"""The layout fits a 360-px phone, a 720x1280 one and a large-font setting: no button cuts a word
(its text wraps between words only, its font shrinks to fit the longest word)."""

import pytest

from forms.example import generate
from mobile.core.store import Store
from mobile.ui.screenshots import sample_photo, seed

pytestmark = pytest.mark.ui

SIZES = {
    "360x640": {},
    "720x1280": {"MAIAM_TEST_WINDOW": "720x1280", "KIVY_METRICS_DENSITY": "2"},
    "360x640 large font": {"KIVY_METRICS_FONTSCALE": "1.3"},
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    data = tmp_path_factory.mktemp("phone")
    seed(data, sample_photo(data))
    store = Store(data)
    definition = store.get_form("house_assessment")
    answers = generate(store.load_form("house_assessment"), seed=2, meta={"today": "2026-11-28", "now": "2026-11-28T09:00:00+07:00"})
    draft = store.create_draft("house_assessment", definition["version"], answers=answers)
    store.close()
    return data, draft


@pytest.mark.parametrize("size", SIZES)
def test_no_button_cuts_a_word(run_driver, seeded, size, tmp_path):
    import shutil

    data = tmp_path / "phone"
    shutil.copytree(seeded[0], data)
    r = run_driver("layout", data, {"draft_id": seeded[1]}, env=SIZES[size])
    assert r["checked"] > 40 and "summary" in r["screens"] and "outbox" in r["screens"]
    assert r["broken"] == []
