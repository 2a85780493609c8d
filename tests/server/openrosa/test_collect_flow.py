"""ODK Collect's conversation with the server, request by request: form list (Basic challenge and
retry over HTTPS, or a Collect key in the URL), XForm download, HEAD + multipart POST of a survey, a
duplicate resend, a survey split over two POSTs, an edit with deprecatedID."""

from __future__ import annotations

import hashlib
import uuid

import pytest
import sqlalchemy as sa

from forms import xml_instance
from forms.example import generate
from server.extensions import db
from server.models import House, Submission
from server.services.accounts import collect_keys
from server.services.programme import forms as forms_service
from tests.server.openrosa.collect import Collect, message
from tests.server.world import LIBRARY, jpeg, publish

META = {"now": "2026-11-28T10:00:00+07:00"}


@pytest.fixture
def forms(app, units):
    return {name: publish(name) for name in ("house_assessment", "construction_progress")}


@pytest.fixture
def volunteer(make_user):
    return make_user("volunteer", "volunteer", "20968", password="field-work-1")


def collect(client, **kw) -> Collect:
    return Collect(client, "https://localhost/openrosa/20968", "volunteer", "field-work-1", **kw)


def survey(form_row, seed: int = 1, deprecated: str | None = None):
    """(instance id, XML, photos) of a generated survey, as Collect would send it."""
    form = forms_service.engine_form(form_row)
    answers = generate(form, seed=seed, meta=META)
    iid = str(uuid.uuid4())
    photos = {name: jpeg(seed * 10 + i, size=(400, 300)) for i, name in enumerate(form.image_files(answers))}
    return iid, xml_instance.to_xml(form, answers, iid, deprecated_id=deprecated), photos, answers


def test_form_list_after_a_basic_challenge_lists_both_library_forms(client, forms, volunteer):
    c = collect(client)
    listed = c.form_list()
    assert c.log[0][2] == 401 and c.log[1][2] == 200  # the bare request was challenged, the retry answered
    by_id = {x["formID"]: x for x in listed}
    assert set(by_id) == {"house_assessment", "construction_progress"}
    for form_id, row in forms.items():
        x = by_id[form_id]
        assert x["version"] == row.version and x["name"] == row.title
        assert ("manifestUrl" in x) == bool(row.definition.get("media"))  # house_assessment reads villages.csv
        xform = c.download(x["downloadUrl"])
        assert x["hash"] == "md5:" + hashlib.md5(xform).hexdigest()
        assert f'id="{form_id}"'.encode() in xform and f'version="{row.version}"'.encode() in xform
        assert c.download(x["downloadUrl"]) == xform  # the same bytes every time (kept per version)


@pytest.mark.parametrize("by_key", [False, True], ids=["basic", "key"])
def test_the_manifest_lists_the_forms_media_and_each_downloads_with_its_md5(client, forms, volunteer, by_key):
    """As Collect does it: formList -> manifestUrl -> manifest -> each mediaFile's downloadUrl, md5 checked."""
    if by_key:
        key, _ = collect_keys.create(db.session, volunteer)
        db.session.commit()
        c = Collect(client, f"https://localhost/openrosa/key/{key}/20968")
    else:
        c = collect(client)
    x = next(x for x in c.form_list() if x["formID"] == "house_assessment")
    files = c.manifest(x["manifestUrl"])
    assert [f["filename"] for f in files] == ["villages.csv"]
    data = c.download(files[0]["downloadUrl"])
    assert data == (LIBRARY / "house_assessment-media" / "villages.csv").read_bytes()
    assert files[0]["hash"] == "md5:" + hashlib.md5(data).hexdigest()
    assert ("/key/" in files[0]["downloadUrl"]) == by_key and "/20968/forms/house_assessment/" in files[0]["downloadUrl"]
    assert b'src="jr://file-csv/villages.csv"' in c.download(x["downloadUrl"])  # what the XForm reads it as
    missing = c.request("GET", files[0]["downloadUrl"].replace("villages.csv", "nope.csv"))
    assert missing.status_code == 404 and message(missing)[0] == "error"
    other = next(x for x in c.form_list() if x["formID"] == "construction_progress")
    assert c.manifest(x["manifestUrl"].replace("house_assessment", "construction_progress")
                      .replace(x["version"], other["version"])) == []


def test_the_challenge_is_basic_only_over_https(client, forms, volunteer):
    r = client.get("/openrosa/20968/formList", base_url="https://localhost")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith('Basic realm="Mai Am"')
    assert message(r)[0] == "error"
    plain = client.get("/openrosa/20968/formList")  # HTTP: no invitation to send a password in clear
    assert plain.status_code == 401 and "WWW-Authenticate" not in plain.headers
    c = collect(client, secure=False)
    c.challenged = True  # a client that sends the password anyway is refused before it is checked
    r = c.request("GET", c.server_url + "/formList")
    assert r.status_code == 403 and "HTTPS" in message(r)[1]


def test_a_wrong_password_is_throttled_like_any_sign_in(app, client, forms, volunteer):
    c = Collect(client, "https://localhost/openrosa/20968", "volunteer", "wrong-password", challenged=True)
    codes = [c.request("GET", c.server_url + "/formList").status_code for _ in range(app.config["LOGIN_FAILURES_ALLOWED"] + 1)]
    assert codes[:-1] == [401] * app.config["LOGIN_FAILURES_ALLOWED"] and codes[-1] == 429


def test_a_collect_key_in_the_url_works_over_http_and_is_revocable(client, forms, volunteer, auth_header):
    key, row = collect_keys.create(db.session, volunteer)
    db.session.commit()
    c = Collect(client, f"http://localhost/openrosa/key/{key}/20968", secure=False)
    listed = c.form_list()
    assert all(f"/openrosa/key/{key}/20968/forms/" in x["downloadUrl"] for x in listed)
    assert c.download(listed[0]["downloadUrl"]).startswith(b"<?xml")
    # the key opens only OpenRosa; the app's token opens only the API
    assert client.get("/api/v1/forms", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    app_token = auth_header("volunteer", "field-work-1")["Authorization"].split()[1]
    assert client.get(f"/openrosa/key/{app_token}/20968/formList").status_code == 401
    collect_keys.revoke_own(db.session, volunteer, row.id)
    db.session.commit()
    assert client.get(f"/openrosa/key/{key}/20968/formList").status_code == 401


def test_a_unit_outside_the_account_is_not_found(client, forms, volunteer):
    c = Collect(client, "https://localhost/openrosa/20971", "volunteer", "field-work-1")
    r = c.request("GET", c.server_url + "/formList")
    assert r.status_code == 404 and message(r)[0] == "error"


def test_submission_new_then_duplicate_then_conflict(client, forms, volunteer):
    c = collect(client)
    iid, xml, photos, _ = survey(forms["house_assessment"])
    [r] = c.submit(xml, photos)
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.headers["X-OpenRosa-Version"] == "1.0" and int(r.headers["X-OpenRosa-Accept-Content-Length"]) > 0
    assert message(r)[0] == "submit_success"
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == iid))
    assert sub.complete and sub.missing_attachments() == [] and sub.house_id is not None
    assert sorted(a.name for a in sub.attachments) == sorted(photos)
    [again] = c.submit(xml, photos)  # Collect did not hear the answer and sends it again
    assert again.status_code == 202 and message(again)[0] == "submit_success"
    other = xml.replace(b"<head_name>", "<head_name>Khác ".encode())
    [clash] = c.submit(other, photos)
    assert clash.status_code == 409 and message(clash)[0] == "error"
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1


def test_photos_over_the_accepted_length_come_in_two_posts(app, client, forms, volunteer):
    iid, xml, photos, _ = survey(forms["house_assessment"], seed=2)
    assert len(photos) >= 2
    app.config["OPENROSA_ACCEPT_BYTES"] = len(xml) + max(len(p) for p in photos.values()) + 10
    posts = collect(client).submit(xml, photos)
    assert len(posts) >= 2 and [p.status_code for p in posts] == [201] * len(posts)
    assert "missing" in message(posts[0])[1].lower()
    sub = db.session.scalar(sa.select(Submission).where(Submission.instance_id == iid))
    db.session.refresh(sub)
    assert sub.complete and all(a.received for a in sub.attachments)


def test_an_edit_with_deprecated_id_is_a_new_survey_of_the_same_house(client, forms, volunteer):
    c = collect(client)
    iid, xml, photos, answers = survey(forms["house_assessment"], seed=4)
    assert c.submit(xml, photos)[0].status_code == 201
    first = db.session.scalar(sa.select(Submission).where(Submission.instance_id == iid))
    form = forms_service.engine_form(forms["house_assessment"])
    edited = dict(answers, address_detail="Sửa lại địa chỉ")
    new_iid = str(uuid.uuid4())
    [r] = c.submit(xml_instance.to_xml(form, edited, new_iid, deprecated_id=iid), photos)
    assert r.status_code == 201, r.get_data(as_text=True)
    second = db.session.scalar(sa.select(Submission).where(Submission.instance_id == new_iid))
    assert second.house_id == first.house_id and second.duplicate_of_house_id is None
    assert second.answers["address_detail"] == "Sửa lại địa chỉ"
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 1


def test_an_edit_of_someone_elses_survey_is_not_found(client, forms, volunteer, make_user):
    make_user("other", "volunteer", "20968", password="field-work-2")
    iid, xml, photos, answers = survey(forms["house_assessment"], seed=5)
    assert collect(client).submit(xml, photos)[0].status_code == 201
    form = forms_service.engine_form(forms["house_assessment"])
    c = Collect(client, "https://localhost/openrosa/20968", "other", "field-work-2")
    [r] = c.submit(xml_instance.to_xml(form, answers, str(uuid.uuid4()), deprecated_id=iid), photos)
    assert r.status_code == 404 and message(r)[0] == "error"
