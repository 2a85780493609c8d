"""Every question type and column the engine supports compiles to the definition of docs/architecture.md §1."""

import hashlib

import pytest

from tests.forms.compile.helpers import by_name, compile_md, survey, write_md

TYPES = [
    ("text", "text"),
    ("integer", "integer"),
    ("decimal", "decimal"),
    ("date", "date"),
    ("time", "time"),
    ("datetime", "datetime"),
    ("geopoint", "geopoint"),
    ("image", "image"),
    ("note", "note"),
    ("acknowledge", "acknowledge"),
    ("hidden", "hidden"),
]
META = ["start", "end", "today", "deviceid", "username"]


@pytest.mark.parametrize(("written", "expected"), TYPES)
def test_each_question_type(tmp_path, written, expected):
    d = compile_md(tmp_path, survey(f"| | {written} | q | Q |"))
    node = by_name(d)["q"]
    assert node["type"] == expected
    assert node["path"] == "/q"
    assert node["row"] == 2


def test_metadata_types(tmp_path):
    d = compile_md(tmp_path, survey(*[f"| | {m} | {m} | |" for m in META]))
    nodes = by_name(d)
    assert [nodes[m]["type"] for m in META] == META
    assert "meta" not in nodes  # pyxform's generated meta/instanceID group is not a question


def test_calculate_and_selects(tmp_path):
    text = survey(
        "| | select_one yn | one | One |",
        "| | select_multiple yn | many | Many |",
        "| | calculate | c | |",
        header="| | type | name | label | calculation |",
        extra="| choices |\n| | list_name | name | label |\n| | yn | yes | Yes |\n| | yn | no | No |\n",
    ).replace("| | calculate | c | |", "| | calculate | c | | if(${one} = 'yes', 1, 0) |")
    d = compile_md(tmp_path, text)
    nodes = by_name(d)
    assert nodes["one"]["type"] == "select_one" and nodes["one"]["list_name"] == "yn"
    assert nodes["many"]["type"] == "select_multiple" and nodes["many"]["list_name"] == "yn"
    assert nodes["c"]["type"] == "calculate" and nodes["c"]["calculation"] == "if(${one} = 'yes', 1, 0)"
    assert d["choices"]["yn"] == [
        {"name": "yes", "label": {"vi": "Yes"}, "props": {}},
        {"name": "no", "label": {"vi": "No"}, "props": {}},
    ]
    # no language named anywhere: the project's default language, Vietnamese
    assert d["languages"] == ["vi"] and d["default_language"] == "vi"


def test_columns(tmp_path):
    header = (
        "| | type | name | label | hint | required | required_message | relevant | constraint"
        " | constraint_message | default | read_only | appearance | parameters |"
    )
    rows = [
        "| | integer | age | Age | in years | yes | Say the age | | . >= 0 and . < 130 | 0 to 130 | 30 | | numbers | |",
        "| | text | why | Why | | ${age} > 60 | | ${age} >= 18 | | | | yes | multiline | |",
        "| | image | pic | Picture | | true | | | | | | | | max-pixels=1600 |",
    ]
    d = compile_md(
        tmp_path, survey(*rows, header=header) + "| settings |\n| | default_language |\n| | English (en) |\n"
    )
    age, why, pic = (by_name(d)[n] for n in ("age", "why", "pic"))
    assert age["hint"] == {"en": "in years"}
    assert age["required"] is True and age["required_message"] == {"en": "Say the age"}
    assert age["constraint"] == ". >= 0 and . < 130" and age["constraint_message"] == {"en": "0 to 130"}
    assert age["default"] == "30" and age["appearance"] == "numbers" and age["read_only"] is False
    assert why["required"] == "${age} > 60"  # an expression stays an expression
    assert why["relevant"] == "${age} >= 18" and why["read_only"] is True and why["appearance"] == "multiline"
    assert pic["required"] is True and pic["parameters"] == {"max-pixels": 1600}


def test_groups_field_list_and_paths(tmp_path):
    text = survey(
        "| | begin group | hh | Household | field-list |",
        "| | text | head | Head | |",
        "| | begin group | inner | Inner | |",
        "| | integer | n | N | |",
        "| | end group | | | |",
        "| | end group | | | |",
        header="| | type | name | label | appearance |",
    )
    d = compile_md(tmp_path, text)
    hh = d["questions"][0]
    assert hh["type"] == "group" and hh["appearance"] == "field-list" and hh["row"] == 2
    assert [c["name"] for c in hh["children"]] == ["head", "inner"]
    assert by_name(d)["n"]["path"] == "/hh/inner/n"
    assert by_name(d)["n"]["row"] == 5


def test_repeat_count_reference_and_expression(tmp_path):
    text = survey(
        "| | integer | n | N | |",
        "| | begin repeat | people | People | ${n} |",
        "| | text | pname | Name | |",
        "| | end repeat | | | |",
        "| | begin repeat | others | Others | ${n} - 1 |",
        "| | text | oname | Name | |",
        "| | end repeat | | | |",
        header="| | type | name | label | repeat_count |",
    )
    nodes = by_name(compile_md(tmp_path, text))
    assert nodes["people"]["type"] == "repeat" and nodes["people"]["repeat_count"] == "${n}"
    assert nodes["pname"]["path"] == "/people/pname"
    # pyxform turns an expression into a generated calculation, as ODK Collect expects
    assert nodes["others"]["repeat_count"] == "${others_count}"
    assert nodes["others_count"]["calculation"] == "${n} - 1"
    assert nodes["others_count"]["row"] == nodes["others"]["row"] == 6


def test_or_other_adds_choice_and_text(tmp_path):
    text = survey(
        "| | select_one animal or_other | pet | Pet |",
        "| | select_multiple animal or_other | pets | Pets |",
        extra="| choices |\n| | list_name | name | label |\n| | animal | dog | Dog |\n| | animal | cat | Cat |\n",
    )
    d = compile_md(tmp_path, text)
    nodes = by_name(d)
    assert nodes["pet"]["or_other"] is True and nodes["pets"]["or_other"] is True
    assert [c["name"] for c in d["choices"]["animal"]] == ["dog", "cat", "other"]
    other = nodes["pet_other"]
    assert other["type"] == "text" and other["relevant"] == "selected(${pet}, 'other')"
    assert other["row"] == nodes["pet"]["row"] == 2
    assert nodes["pets_other"]["relevant"] == "selected(${pets}, 'other')"


def test_choice_filter_and_choice_columns(tmp_path):
    text = survey(
        "| | text | commune_code | Commune | |",
        "| | select_one villages | village | Village | commune = ${commune_code} |",
        header="| | type | name | label | choice_filter |",
        extra=(
            "| choices |\n| | list_name | name | label | commune |\n"
            "| | villages | 2096801 | Thôn 1 | 20968 |\n| | villages | 9999901 | Thôn A | 99999 |\n"
        ),
    )
    d = compile_md(tmp_path, text)
    assert by_name(d)["village"]["choice_filter"] == "commune = ${commune_code}"
    assert d["choices"]["villages"][0] == {
        "name": "2096801",
        "label": {"vi": "Thôn 1"},
        "props": {"commune": "20968"},
    }


def test_languages_map_to_codes(tmp_path):
    header = "| | type | name | label::Tiếng Việt (vi) | label::English (en) | hint::Tiếng Việt (vi) | constraint | constraint_message::English (en) |"
    text = survey(
        "| | integer | n | Số người | People | Kể cả chủ hộ | . > 0 | More than 0 |",
        header=header,
        extra=(
            "| choices |\n| | list_name | name | label::Tiếng Việt (vi) | label::English (en) |\n| | yn | yes | Có | Yes |\n"
            "| settings |\n| | form_id | version | form_title | default_language | instance_name |\n"
            "| | khao_sat | 2026112801 | Khảo sát | Tiếng Việt (vi) | concat('n=', ${n}) |\n"
        ),
    )
    d = compile_md(tmp_path, text)
    n = by_name(d)["n"]
    assert n["label"] == {"vi": "Số người", "en": "People"}
    assert n["hint"] == {"vi": "Kể cả chủ hộ"}
    assert n["constraint_message"] == {"en": "More than 0"}
    assert d["choices"]["yn"][0]["label"] == {"vi": "Có", "en": "Yes"}
    assert d["languages"] == ["vi", "en"] and d["default_language"] == "vi"
    assert (d["form_id"], d["version"], d["title"]) == ("khao_sat", "2026112801", {"vi": "Khảo sát"})
    assert d["instance_name"] == "concat('n=', ${n})"


def test_unsuffixed_column_is_the_default_language(tmp_path):
    text = survey(
        "| | text | a | Tên | Name |",
        header="| | type | name | label | label::English (en) |",
        extra="| settings |\n| | default_language |\n| | vi |\n",
    )
    d = compile_md(tmp_path, text)
    assert by_name(d)["a"]["label"] == {"vi": "Tên", "en": "Name"}
    assert d["default_language"] == "vi" and d["languages"] == ["vi", "en"]


def test_translated_title_and_no_settings(tmp_path):
    plain = compile_md(tmp_path, survey("| | text | a | A |"), name="my_form.md")
    assert plain["form_id"] == "my_form"  # pyxform's rule: the file name when there is no form_id
    assert plain["version"] == "" and plain["schema_version"] == 1
    titled = compile_md(
        tmp_path,
        survey("| | text | a | A |")
        + "| settings |\n| | form_title | form_title::English (en) | default_language |\n"
        "| | Khảo sát | Survey | Tiếng Việt (vi) |\n",
    )
    assert titled["title"] == {"vi": "Khảo sát", "en": "Survey"}


def test_source_hash_and_formats(tmp_path):
    text = survey("| | text | a | A |")
    md = write_md(tmp_path, text)
    d = compile_md(tmp_path, text)
    assert d["source"] == {"filename": "form.md", "sha256": hashlib.sha256(md.read_bytes()).hexdigest()}


def test_xlsx_and_csv_give_the_same_questions(tmp_path):
    from forms.compile import compile_file
    from tests.forms.compile.helpers import write_xlsx

    text = survey(
        "| | integer | n | N | . > 0 |",
        "| | text | t | T | |",
        header="| | type | name | label | constraint |",
    )
    from_md = compile_md(tmp_path, text)
    from_xlsx = compile_file(write_xlsx(tmp_path, text))
    csv = tmp_path / "form.csv"
    csv.write_text("survey,type,name,label,constraint\n,integer,n,N,. > 0\n,text,t,T,\n", encoding="utf-8")
    from_csv = compile_file(csv)
    assert from_md["questions"] == from_xlsx["questions"] == from_csv["questions"]
    assert from_xlsx["source"]["filename"] == "form.xlsx"
