"""The survey page shows a calculation under the form's own label of that node (no list of names)."""

from server.web.detail import answer_rows

DEFINITION = {
    "questions": [
        {"name": "nhom_tinh", "type": "calculate", "label": {"vi": "Nhóm đối tượng (tự tính)", "en": "Group"}},
        {"name": "dat_chuan", "type": "calculate", "label": {"vi": "Đạt chuẩn (tự tính)", "en": "Meets it"}},
        {"name": "trung_gian", "type": "calculate"},  # no label: an internal step, not shown
    ],
    "choices": {},
}


def test_labelled_calculations_are_shown_under_their_form_label():
    rows = answer_rows(DEFINITION, {"nhom_tinh": "poor", "dat_chuan": "yes", "trung_gian": 3}, "vi")
    assert [(r["label"], r["value"]) for r in rows] == [
        ("Nhóm đối tượng (tự tính)", "Hộ nghèo, cận nghèo"), ("Đạt chuẩn (tự tính)", "Có")]
    assert [r["label"] for r in answer_rows(DEFINITION, {"dat_chuan": "no"}, "en")] == ["Meets it"]
