"""A form's media files (villages.csv of the house assessment) are stored with its version and sent
to phones beside the definition, named with their sha256 (ODK's manifest)."""

import hashlib

import pytest

from forms.media import MediaFiles
from server.extensions import db
from server.services.programme import forms as forms_service
from tests.server.world import LIBRARY, publish

VILLAGES = LIBRARY / "house_assessment-media" / "villages.csv"


def test_the_definition_names_the_file_and_the_api_serves_it(client, auth_header, make_user):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    publish()
    definition = client.get("/api/v1/forms/house_assessment", headers=h).get_json()
    [entry] = definition["media"]
    r = client.get("/api/v1/forms/house_assessment/media/villages.csv", headers=h)
    assert r.status_code == 200 and r.data == VILLAGES.read_bytes()
    assert hashlib.sha256(r.data).hexdigest() == entry["sha256"]
    versioned = client.get(f"/api/v1/forms/house_assessment/media/villages.csv?version={definition['version']}",
                           headers=h)
    assert versioned.data == r.data
    missing = client.get("/api/v1/forms/house_assessment/media/nope.csv", headers=h)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/forms/house_assessment/media/villages.csv").status_code == 401


def test_the_engine_form_reads_the_stored_villages(app):
    row = publish()
    form = forms_service.engine_form(row)
    names = [c.name for c in form.list_items("villages.csv")]
    assert names == [c.name for c in MediaFiles({"villages.csv": VILLAGES.read_bytes()}).items("villages.csv")]


def test_a_missing_media_file_is_refused_with_the_cell(app, tmp_path):
    from forms.compile.library import house_assessment, write_workbook
    from server.errors import DomainError

    path = tmp_path / "house_assessment.xlsx"  # no house_assessment-media/ beside it
    write_workbook(house_assessment, path)
    with pytest.raises(DomainError) as info:
        forms_service.publish_file(db.session, path)
    [problem] = info.value.fields["xlsform"]
    assert problem["column"] == "type" and "villages.csv" in problem["message"]
