"""`forms.display.answer_rows`: answers as the review page (and the phone) show them."""

from forms.definition import load
from forms.display import Row, answer_rows
from tests.forms.engine_helpers import definition, group, q, repeat, yes_no


def _form():
    return load(definition(
        q("intro", "note"),
        q("today", "today"),
        group("household", [q("head_name"), q("visit", "date"), q("seen_at", "datetime"), q("at", "time")]),
        q("gps", "geopoint"),
        q("poor", "select_one", list_name="yn"),
        q("needs", "select_multiple", list_name="needs"),
        q("front", "image"),
        q("eligible", "calculate", calculation="'yes'", label={"vi": "Đủ điều kiện", "en": "Eligible"}),
        q("score", "calculate", calculation="1", label=None),
        group("empty_group", [q("unanswered")]),
        repeat("rooms", [q("room"), q("room_photo", "image"), group("dims", [q("area", "decimal")])]),
        choices={"yn": yes_no(), "needs": [{"name": "roof", "label": {"vi": "Mái", "en": "Roof"}},
                                          {"name": "wall", "label": {"vi": "Tường", "en": "Wall"}}]},
    ))


ANSWERS = {
    "today": "2026-11-28", "head_name": "Nguyễn Văn An", "visit": "2026-11-05",
    "seen_at": "2026-11-05T07:05:00+07:00", "at": "14:30:00", "gps": "15.45 108.62 12 8",
    "poor": "yes", "needs": ["roof", "wall"], "front": "a.jpg", "eligible": "yes", "score": 1,
    "rooms": [{"room": "Bếp", "room_photo": "b.jpg", "area": 12.5}, {"room": "Ngủ"}],
    "legacy_key": "kept",
}


def test_rows_in_form_order_with_groups_repeats_selects_dates_and_images():
    rows = answer_rows(_form(), ANSWERS, "vi")
    assert [(r.label, r.value_text, r.path, r.depth, r.is_group) for r in rows] == [
        ("HOUSEHOLD", "", "household", 0, True),
        ("HEAD_NAME", "Nguyễn Văn An", "head_name", 1, False),
        ("VISIT", "05/11/2026", "visit", 1, False),
        ("SEEN_AT", "07:05 05/11/2026", "seen_at", 1, False),
        ("AT", "14:30", "at", 1, False),
        ("GPS", "15.45, 108.62 (± 8 m)", "gps", 0, False),
        ("POOR", "Có", "poor", 0, False),
        ("NEEDS", "Mái, Tường", "needs", 0, False),
        ("FRONT", "a.jpg", "front", 0, False),
        ("Đủ điều kiện", "yes", "eligible", 0, False),  # a labelled calculation; "score" has no label
        ("ROOMS [1]", "", "rooms[1]", 0, True),
        ("ROOM", "Bếp", "rooms[1]/room", 1, False),
        ("ROOM_PHOTO", "b.jpg", "rooms[1]/room_photo", 1, False),
        ("DIMS", "", "rooms[1]/dims", 1, True),
        ("AREA", "12.5", "rooms[1]/area", 2, False),
        ("ROOMS [2]", "", "rooms[2]", 0, True),
        ("ROOM", "Ngủ", "rooms[2]/room", 1, False),
        ("legacy_key", "kept", "legacy_key", 0, False),  # not in the form: still shown
    ]
    assert rows[8].image == "a.jpg" and rows[1].image is None
    assert answer_rows(_form(), ANSWERS, "en")[6].value_text == "Yes"


def test_images_left_out_and_labelled_calculations_shown():
    rows = answer_rows(_form(), ANSWERS, "vi", images=False, value_texts={"yes": "Có"})
    assert all(r.image is None for r in rows) and "FRONT" not in [r.label for r in rows]
    assert Row("Đủ điều kiện", "Có", "eligible") in rows
    assert "score" not in [r.name for r in rows]  # a calculation without a label: an internal step


def test_unparseable_values_are_shown_as_given():
    rows = answer_rows(_form(), {"visit": "soon", "gps": "here"}, "vi")
    assert [r.value_text for r in rows if not r.is_group] == ["soon", "here"]
