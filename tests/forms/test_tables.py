"""`forms.tables.Flattener`: answers as the labelled export's tables (one column per question, a table per
repeat), in Vietnamese, English or codes."""

import pytest

from forms.definition import load
from forms.tables import Flattener
from tests.forms.engine_helpers import definition, group, q, repeat, yes_no


def _form():
    lab = lambda vi, en: {"vi": vi, "en": en}  # noqa: E731
    return load(definition(
        q("intro", "note"),
        q("start", "start"),
        group("household", [q("head_name", label=lab("Họ tên chủ hộ", "Head")), q("visit", "date", label=lab("Ngày", "Day"))]),
        q("gps", "geopoint", label=lab("Vị trí", "Location")),
        q("poor", "select_one", list_name="yn", label=lab("Hộ nghèo", "Poor")),
        q("needs", "select_multiple", list_name="needs", label=lab("Cần sửa", "Needs")),
        q("commune", "text", label=lab("Mã xã", "Commune code"), role="commune"),
        q("eligible", "calculate", calculation="'yes'", label=lab("Đủ điều kiện", "Eligible")),
        q("score", "calculate", calculation="1", label=None),
        repeat("rooms", [q("room", label=lab("Phòng", "Room")),
                         repeat("beds", [q("bed", "integer", label=lab("Giường", "Bed"))], label=lab("Giường", "Beds"))],
               label=lab("Phòng ở", "Rooms")),
        choices={"yn": yes_no(), "needs": [{"name": "roof", "label": lab("Mái", "Roof")},
                                          {"name": "wall", "label": lab("Tường", "Wall")}]},
    ))


ANSWERS = {"start": "2026-11-28T07:00:00+07:00", "head_name": "Nguyễn Văn An", "visit": "2026-11-05",
           "gps": "15.45 108.62 12 8", "poor": "yes", "needs": ["roof", "wall"], "commune": "20968", "eligible": "yes",
           "score": 1, "rooms": [{"room": "Bếp", "beds": []}, {"room": "Ngủ", "beds": [{"bed": 1}, {"bed": 2}]}]}


def test_one_column_per_question_in_vietnamese_with_words_for_codes():
    flat = Flattener(_form(), "vi", role_texts={"commune": {"20968": "Xã Tam Xuân I"}})
    main, rooms, beds = flat.tables
    assert [c.header for c in main.columns] == [
        "Họ tên chủ hộ", "Ngày", "Vị trí — vĩ độ", "Vị trí — kinh độ", "Vị trí — độ cao", "Vị trí — độ chính xác (m)",
        "Hộ nghèo", "Cần sửa", "Mã xã", "Đủ điều kiện"]  # no note, meta or unlabelled calculation
    assert flat.main_row(ANSWERS) == ["Nguyễn Văn An", "05/11/2026", 15.45, 108.62, 12.0, 8.0, "Có", "Mái, Tường",
                                      "Xã Tam Xuân I", "yes"]
    assert (rooms.title, [c.header for c in rooms.columns]) == ("Phòng ở", ["Phòng"])
    assert (beds.title, [c.header for c in beds.columns]) == ("Giường", ["Giường"])
    assert flat.repeat_rows(ANSWERS) == [(1, "1", ["Bếp"]), (1, "2", ["Ngủ"]), (2, "2.1", [1]), (2, "2.2", [2])]


def test_english_labels_and_codes():
    en = Flattener(_form(), "en")
    assert [c.header for c in en.tables[0].columns][:3] == ["Head", "Day", "Location — latitude"]
    assert en.main_row(ANSWERS)[6:8] == ["Yes", "Roof, Wall"]
    codes = Flattener(_form(), "codes", role_texts={"commune": {"20968": "Xã Tam Xuân I"}})
    assert [c.header for c in codes.tables[0].columns][:3] == ["head_name", "visit", "gps_latitude"]
    row = codes.main_row(ANSWERS)
    assert row[1] == "2026-11-05" and row[6:9] == ["yes", "roof wall", "20968"]


def test_missing_and_odd_answers_are_empty_cells_never_errors():
    flat = Flattener(_form(), "vi")
    assert flat.main_row({}) == [None] * len(flat.tables[0].columns)
    odd = {"gps": "not a point", "poor": "maybe", "visit": "soon", "rooms": ["x", {"room": ""}], "needs": ""}
    row = flat.main_row(odd)
    assert row[1] == "soon" and row[2:6] == [None] * 4 and row[6] == "maybe" and row[7] in (None, "")
    assert flat.repeat_rows(odd) == [(1, "2", [""])]  # an empty answer: an empty cell
    with pytest.raises(ValueError):
        Flattener(_form(), "fr")
