"""Choices and lookups from a form's media files (CSV, GeoJSON), as ODK documents them: the files are
part of the form's version (name + sha256 in the definition) and given to the engine beside it."""

import pytest

from forms.compile import CompileError, compile_file
from forms.definition import load
from forms.media import MediaError, MediaFiles, sha256
from forms.session import FormSession
from forms.validate import validate
from tests.forms.odk_forms import MEDIA_FORMS, PRICES_CSV, VILLAGES_CSV, write_with_media


def compiled(tmp_path, name):
    text, files = MEDIA_FORMS[name]
    path = write_with_media(tmp_path, name, text, files)
    definition = compile_file(path)
    media = {f: c.encode() for f, c in files.items()}
    return definition, media


def test_the_definition_records_its_media_files(tmp_path):
    definition, media = compiled(tmp_path, "from_file")
    assert definition["media"] == [{"name": "villages.csv", "sha256": sha256(media["villages.csv"]),
                                    "size": len(media["villages.csv"])}]


def test_select_one_from_file_with_a_filter_and_lookups(tmp_path):
    definition, media = compiled(tmp_path, "from_file")
    form = load(definition, media)
    session = FormSession(form)
    session.set("commune", "20968")
    assert [c.name for c in session.choices("village")] == ["2096801", "2096802"]
    assert [c.name for c in session.choices("visited")] == ["2096801", "2096802", "2097001"]
    session.set("village", "2096802")
    assert session.get("households") == "95" and session.get("village_name") == "Thôn 2"
    result = validate(form, {"commune": "20968", "village": "2096802", "visited": "2096801 2097001"})
    assert result.ok, result.errors
    assert result.answers["households"] == "95"
    bad = validate(form, {"commune": "20968", "village": "2097001"})
    assert [(e.field, e.code) for e in bad.errors] == [("village", "choice")]


def test_media_given_to_the_session_instead_of_load(tmp_path):
    definition, media = compiled(tmp_path, "from_file")
    form = load(definition)
    with pytest.raises(MediaError) as info:
        FormSession(form)
    assert "villages.csv" in info.value.text("vi")
    assert validate(form, {"commune": "20968", "village": "2096801"}, media=media).ok
    loader = media.get  # a loader name -> bytes works as well
    assert FormSession(form, media=loader).choices("visited")


def test_a_changed_file_is_not_the_forms_version(tmp_path):
    definition, media = compiled(tmp_path, "from_file")
    changed = {"villages.csv": media["villages.csv"] + b"2097002,Thon Tay,20970,3\n"}
    with pytest.raises(MediaError) as info:
        load(definition, changed)
    assert info.value.code == "hash"


def test_geojson_features_are_choices(tmp_path):
    definition, media = compiled(tmp_path, "geojson")
    form = load(definition, media)
    session = FormSession(form)
    assert [(c.name, form.text(c.label, "vi")) for c in session.choices("plot")] == [("p1", "Plot one"),
                                                                                  ("p2", "Plot two")]
    assert MediaFiles(media).items("plots.geojson")[0].props["geometry"] == "15.57 108.47 0 0"
    assert validate(form, {"plot": "p2"}).answers["owner"] == "Bình"


def test_csv_external_and_pulldata(tmp_path):
    definition, media = compiled(tmp_path, "csv_external")
    form = load(definition, media)
    assert "prices" not in form.nodes  # a declaration, not a question
    assert validate(form, {"item": "cement", "qty": 3}).answers["total"] == 270000
    assert media["prices.csv"] == PRICES_CSV.encode()


def test_select_one_external_reads_the_external_choices_sheet(tmp_path):
    definition, _ = compiled(tmp_path, "external")
    form = load(definition)
    session = FormSession(form, {"province": "dn"})
    assert [c.name for c in session.choices("district")] == ["hc"]


def test_a_missing_file_is_a_compile_error_on_its_row(tmp_path):
    text, _ = MEDIA_FORMS["from_file"]
    path = write_with_media(tmp_path, "nofile", text, {})
    with pytest.raises(CompileError) as info:
        compile_file(path)
    rows = {(p["sheet"], p["row"], p["column"]) for p in info.value.errors("vi")}
    assert ("survey", 3, "type") in rows
    assert any("villages.csv" in p["message"] for p in info.value.errors("vi"))


def test_a_filter_on_a_column_the_file_lacks_is_refused(tmp_path):
    text, files = MEDIA_FORMS["from_file"]
    path = write_with_media(tmp_path, "badcol", text.replace("commune = ${commune}", "district = ${commune}"),
                            files)
    with pytest.raises(CompileError) as info:
        compile_file(path)
    assert [p["column"] for p in info.value.errors("en")] == ["choice_filter"]


def test_explicit_media_paths(tmp_path):
    text, _ = MEDIA_FORMS["from_file"]
    form_path = tmp_path / "form.md"
    form_path.write_text(text, encoding="utf-8")
    csv = tmp_path / "villages.csv"
    csv.write_text(VILLAGES_CSV, encoding="utf-8")
    assert compile_file(form_path, media=[csv])["media"][0]["name"] == "villages.csv"
