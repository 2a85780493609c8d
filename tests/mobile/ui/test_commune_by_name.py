"""Page 1 of the house assessment through the real widgets: the commune is chosen by name from the
communes the server sent at sign-in (the account's own already chosen), no code field; the villages follow."""

from pathlib import Path

import pytest

from forms.compile import compile_file, media_files
from mobile.core.store import TOKEN, USER, USERNAME, Store

pytestmark = pytest.mark.ui
LIBRARY = Path(__file__).resolve().parents[3] / "forms" / "library"


def test_page_one_offers_commune_names_and_no_code_field(run_driver, tmp_path):
    store = Store(tmp_path / "phone")
    store.save_form(compile_file(LIBRARY / "house_assessment.xlsx"), "h",
                    media=media_files(LIBRARY / "house_assessment.xlsx"))
    store.set_setting(USERNAME, "volunteer")
    store.set_setting(TOKEN, "offline")
    store.set_setting(USER, {"username": "volunteer", "role": "volunteer", "commune": "20971",
                             "communes": [{"code": "20968", "name": "Xã Tam Xuân I"},
                                          {"code": "20971", "name": "Xã Tam Xuân II"}]})
    store.close()
    r = run_driver("commune_names", tmp_path / "phone", {"tap": "20968"})
    assert r["type"] == "SelectOneQuestion"
    assert r["names"] == ["Xã Tam Xuân I", "Xã Tam Xuân II"]
    assert r["chosen"] == ["Xã Tam Xuân II"]  # the account's own commune
    assert r["text_fields_in_commune"] == 0 and r["labels"] == []
    assert r["answer"] == "20968"
    assert r["villages"] == ["Thôn 1", "Thôn 2", "Thôn 3", "Thôn khác (ghi tên bên dưới)"]
