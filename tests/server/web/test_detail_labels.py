"""The survey page shows a calculation under the form's own label of that node (no list of names)."""

from forms.definition import load
from forms.display import answer_rows
from server.web.detail import YES_NO

FORM = load({
    "questions": [
        {"name": "nhom_tinh", "type": "calculate", "calculation": "'poor'",
         "label": {"vi": "Nhóm đối tượng (tự tính)", "en": "Group"}},
        {"name": "dat_chuan", "type": "calculate", "calculation": "'yes'",
         "label": {"vi": "Đạt chuẩn (tự tính)", "en": "Meets it"}},
        {"name": "trung_gian", "type": "calculate", "calculation": "3"},  # no label: an internal step, not shown
    ],
    "choices": {},
})


def _rows(answers, lg):
    return answer_rows(FORM, answers, lg, images=False, value_texts={k: v[lg] for k, v in YES_NO.items()})


def test_labelled_calculations_are_shown_under_their_form_label():
    rows = _rows({"nhom_tinh": "poor", "dat_chuan": "yes", "trung_gian": 3}, "vi")
    assert [(r.label, r.value_text) for r in rows] == [
        ("Nhóm đối tượng (tự tính)", "Hộ nghèo, cận nghèo"), ("Đạt chuẩn (tự tính)", "Có")]
    assert [r.label for r in _rows({"dat_chuan": "no"}, "en")] == ["Meets it"]
