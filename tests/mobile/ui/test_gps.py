"""GPS without tricks, through the real widgets on the library's house assessment (its rule: accuracy
within 50 m): the live GPS shows the accuracy improving with a clear «Dùng vị trí này»; typed
coordinates take the accuracy in its own numeric field; typed without one, the point is kept as
"lat lon" and marked «vị trí nhập tay» (the server flags it gps_manual), not refused."""

import pytest

from tests.mobile.ui.test_survey_flow import seeded_phone

pytestmark = pytest.mark.ui


def test_live_gps_typed_with_accuracy_and_typed_by_hand(run_driver, tmp_path):
    r = run_driver("gps", seeded_phone(tmp_path / "phone"))
    assert [s.split(" m")[0][-2:] for s in r["improving"]] == ["60", "35", "18"]
    assert all(s.startswith("Sai số hiện tại:") for s in r["improving"])
    assert r["use_button"] == "Dùng vị trí này (±18 m)"
    answer, value, use_gone = r["used"]
    assert answer.split()[3] == "18" and "±18 m" in value and use_gone
    typed = r["typed"]
    assert typed["typed_80"]["answer"] == "15.5734 108.474 0 80"
    assert typed["typed_80"]["error"].startswith("Sai số GPS phải dưới 50 m")  # the form's rule, honestly applied
    assert typed["typed_8"]["answer"] == "15.5734 108.474 0 8" and typed["typed_8"]["error"] == ""
    manual = typed["manual"]
    assert manual["answer"] == "15.5734 108.474"  # no accuracy invented
    assert manual["value"] == "15.573400, 108.474000 (vị trí nhập tay)" and manual["error"] == ""
    assert manual["status"].startswith("Vị trí nhập tay (không có sai số)")
    assert r["accuracy_keyboard"] == ["number", "float"]
    assert "gps" not in r["summary_fields"]  # kept: not refused at Finish
