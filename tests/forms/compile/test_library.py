"""The built-in forms: the committed .xlsx equals its Python source, compiles, and encodes QĐ 55."""

import datetime

import pytest
from openpyxl import load_workbook

from forms.compile import compile_file, media_files
from forms.compile.library import SOURCES, library_path, media_text, workbook_rows, write_workbook
from forms.expr import DictContext, parse
from forms.media import MediaFiles
from tests.forms.compile.helpers import by_name


@pytest.fixture(scope="module")
def house():
    return compile_file(library_path("house_assessment"))


@pytest.fixture(scope="module")
def progress():
    return compile_file(library_path("construction_progress"))


@pytest.mark.parametrize("form_id", sorted(SOURCES))
def test_committed_xlsx_matches_its_source(form_id):
    """One source of truth: run `python -m forms.compile.library` after editing the Python rows."""
    book = load_workbook(library_path(form_id), read_only=True)
    cells = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    assert cells == workbook_rows(SOURCES[form_id])


@pytest.mark.parametrize("form_id", sorted(SOURCES))
def test_committed_media_files_match_their_source(form_id):
    """The media folder beside the .xlsx holds exactly the module's MEDIA (python -m forms.compile.library)."""
    folder = library_path(form_id).parent / f"{form_id}-media"
    committed = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} if folder.is_dir() else {}
    assert committed == media_text(SOURCES[form_id])


@pytest.mark.parametrize("form_id", sorted(SOURCES))
def test_regenerating_gives_the_same_bytes(tmp_path, form_id):
    """The generator is reproducible, so the committed file (and its sha256) only changes with its rows."""
    fresh = tmp_path / f"{form_id}.xlsx"
    write_workbook(SOURCES[form_id], fresh)
    assert fresh.read_bytes() == library_path(form_id).read_bytes()


def test_house_assessment_settings(house):
    assert house["form_id"] == "house_assessment"
    assert house["version"] and house["instance_name"]
    assert house["default_language"] == "vi" and house["languages"] == ["vi", "en"]
    assert set(house["title"]) == {"vi", "en"}


def test_every_question_speaks_both_languages(house, progress):
    for form in (house, progress):
        for node in by_name(form).values():
            if node["type"] in ("calculate", "start", "end", "today", "deviceid", "username"):
                continue
            assert set(node["label"]) == {"vi", "en"}, node["name"]
            for key in ("hint", "required_message", "constraint_message"):
                assert set(node[key]) in (set(), {"vi", "en"}), (node["name"], key)
        for options in form["choices"].values():
            assert all(set(o["label"]) == {"vi", "en"} for o in options)


def test_location_questions(house):
    nodes = by_name(house)
    assert nodes["commune_code"]["constraint"] == "regex(., '^[0-9]{5}$')"
    village = nodes["village"]
    assert village["list_name"] == "villages.csv"  # a media file of the form, one row per village
    assert village["choice_filter"] == "commune = ${commune_code} or commune = '*'"
    assert "villages" not in house["choices"]
    [media] = house["media"]
    assert media["name"] == "villages.csv"
    items = MediaFiles(media_files(library_path("house_assessment"))).items("villages.csv")
    demo = {o.name: (o.label["vi"], o.props["commune"]) for o in items}
    assert {o.name: set(o.label) for o in items}["2096801"] == {"vi", "en"}
    assert demo == {
        "2096801": ("Thôn 1", "20968"),
        "2096802": ("Thôn 2", "20968"),
        "2096803": ("Thôn 3", "20968"),
        "other": ("Thôn khác (ghi tên bên dưới)", "*"),
    }
    assert nodes["village_other"]["relevant"] == "${village} = 'other'" and nodes["village_other"]["required"]
    gps = nodes["gps"]
    assert gps["type"] == "geopoint" and gps["required"] is True and "selected-at(., 3)" in gps["constraint"]


def test_identity_and_photos(house):
    nodes = by_name(house)
    assert nodes["head_cccd"]["constraint"] == "regex(., '^[0-9]{12}$')"
    for name in ("photo_front", "photo_roof", "photo_inside"):
        assert nodes[name]["type"] == "image" and nodes[name]["required"] is True
        assert nodes[name]["parameters"] == {"max-pixels": 1600}
    assert nodes["members"]["type"] == "repeat"
    assert {c["name"] for c in nodes["members"]["children"]} >= {
        "member_name",
        "member_relationship",
        "member_birth_year",
    }


def _calc(form, name, **values):
    ctx = DictContext({k: str(v) for k, v in values.items()}, today=datetime.date(2026, 11, 28))
    return parse(by_name(form)[name]["calculation"]).evaluate(ctx)


@pytest.mark.parametrize(
    ("size", "area", "expected"),
    [
        (1, 17.9, "yes"),  # one person: under 18 m²
        (1, 18, "no"),
        (4, 29, "yes"),  # several: under 30 m² and 7.25 m² per person
        (3, 29, "no"),  # 9.7 m² per person
        (5, 35, "no"),  # 7 m² per person but not under 30 m²
        (2, 15.9, "yes"),
    ],
)
def test_area_criterion_of_qd55(house, size, area, expected):
    assert _calc(house, "criterion_area", household_size=size, floor_area=area) == expected


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("not_durable", "not_durable", "durable"), "yes"),
        (("durable", "not_durable", "not_durable"), "yes"),
        (("not_durable", "durable", "durable"), "no"),
        (("durable", "durable", "durable"), "no"),
    ],
)
def test_structure_criterion_of_qd55(house, parts, expected):
    values = dict(zip(("foundation_durable", "walls_durable", "roof_durable"), parts, strict=True))
    count = _calc(house, "non_durable_count", **values)
    assert _calc(house, "criterion_structure", non_durable_count=int(count)) == expected


@pytest.mark.parametrize(
    ("land_ok", "area", "structure", "expected"),
    [
        ("yes", "yes", "no", "yes"),
        ("yes", "no", "yes", "yes"),
        ("yes", "no", "no", "no"),
        ("no", "yes", "yes", "no"),
    ],
)
def test_eligibility(house, land_ok, area, structure, expected):
    got = _calc(house, "eligible", land_ok=land_ok, criterion_area=area, criterion_structure=structure)
    assert got == expected


def test_construction_progress(progress):
    nodes = by_name(progress)
    assert nodes["house_id"]["type"] == "text" and nodes["house_id"]["required"] is True
    assert [o["name"] for o in progress["choices"]["stage"]] == [
        "started",
        "stage_checked",
        "completed",
        "handed_over",
    ]
    completion = nodes["completion"]
    assert completion["relevant"] == "${stage} = 'completed' or ${stage} = 'handed_over'"
    assert {"new_floor_area", "hard_floor", "hard_frame_walls", "hard_roof", "three_hard"} <= {
        c["name"] for c in completion["children"]
    }
    assert _calc(progress, "three_hard", hard_floor="yes", hard_frame_walls="yes", hard_roof="yes") == "yes"
    assert _calc(progress, "three_hard", hard_floor="yes", hard_frame_walls="no", hard_roof="yes") == "no"
