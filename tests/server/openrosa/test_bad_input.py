"""Whatever a client sends to the OpenRosa endpoints: bounded sizes, XML parsed safely, a clear vi/en
message in OpenRosa's XML, never a 500, nothing half-written."""

from __future__ import annotations

import io
import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import xml_instance
from forms.example import generate
from server.extensions import db
from server.models import Submission
from server.services.accounts import collect_keys
from server.services.programme import forms as forms_service
from tests.server.openrosa.collect import Collect, message
from tests.server.world import publish

META = {"now": "2026-11-28T10:00:00+07:00"}


@pytest.fixture
def collect(client, units, make_user):
    volunteer = make_user("volunteer", "volunteer", "20968", password="field-work-1")
    make_user("reviewer", "reviewer", "517", password="field-work-2")
    publish()
    key, _ = collect_keys.create(db.session, volunteer)
    db.session.commit()
    return Collect(client, f"http://localhost/openrosa/key/{key}/20968", secure=False)  # no scrypt per request


def post(c: Collect, parts: dict, **kw):
    return c.request("POST", c.server_url + "/submission", data=parts, content_type="multipart/form-data", **kw)


def xml_part(data: bytes) -> tuple:
    return (io.BytesIO(data), "submission.xml", "text/xml")


def a_survey(answers_change=None, **head) -> bytes:
    row = db.session.scalar(sa.select(forms_service.Form).where(forms_service.Form.form_id == "house_assessment"))
    form = forms_service.engine_form(row)
    answers = generate(form, seed=1, meta=META)
    answers.update(answers_change or {})
    return xml_instance.to_xml(form, answers, str(uuid.uuid4()))


def _nothing_stored():
    return db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


@pytest.mark.parametrize("body, status, words", [
    (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "x">]><data id="house_assessment">&a;</data>', 400, "DOCTYPE"),
    (b"<data id='house_assessment'><meta>", 400, "malformed"),
    (b"<data id='no_such_form'><meta><instanceID>uuid:6f9619ff-8b86-d011-b42d-00c04fc964ff</instanceID></meta></data>",
     404, "form"),
    (b"<data id='house_assessment'/>", 400, "instanceID"),
])
def test_an_unreadable_instance_is_refused_with_a_reason(collect, body, status, words):
    r = post(collect, {"xml_submission_file": xml_part(body)})
    assert r.status_code == status and r.headers["X-OpenRosa-Version"] == "1.0"
    nature, text = message(r)
    assert nature == "error" and words.lower() in text.lower()
    assert _nothing_stored()


def test_invalid_answers_name_the_question_in_the_message(collect):
    r = post(collect, {"xml_submission_file": xml_part(a_survey({"head_cccd": "123"}))})
    assert r.status_code == 422 and "head_cccd" in message(r)[1]
    assert _nothing_stored()


def test_a_survey_outside_the_unit_of_the_url_is_refused(client, collect):
    # the reviewer may survey anywhere in the district, but this URL is for Xã Tam Xuân II (20971) and the
    # survey is of a house in Xã Tam Xuân I (20968)
    reviewer = Collect(client, "https://localhost/openrosa/20971", "reviewer", "field-work-2", challenged=True)
    r = post(reviewer, {"xml_submission_file": xml_part(a_survey())})
    assert r.status_code == 403 and message(r)[0] == "error"
    assert _nothing_stored()


def test_no_multipart_no_instance_part_or_a_bad_photo_name_is_400(collect):
    r = collect.request("POST", collect.server_url + "/submission", data=b"<data/>", content_type="text/xml")
    assert r.status_code == 400 and "multipart" in message(r)[1]
    assert post(collect, {"other": xml_part(b"<data/>")}).status_code == 400
    r = post(collect, {"xml_submission_file": xml_part(a_survey()), "x": (io.BytesIO(b"1"), "../../etc/passwd", "image/jpeg")})
    assert r.status_code == 400 and _nothing_stored()


def test_a_photo_that_is_not_an_image_refuses_the_post_and_stores_nothing(collect):
    xml = a_survey()
    name = xml.split(b"<photo_front>")[1].split(b"<")[0].decode()
    r = post(collect, {"xml_submission_file": xml_part(xml), name: (io.BytesIO(b"not a jpeg"), name, "image/jpeg")})
    assert r.status_code == 415 and message(r)[0] == "error"
    assert _nothing_stored()


def test_sizes_are_bounded(app, collect):
    app.config["MAX_ENVELOPE_BYTES"] = 1000
    r = post(collect, {"xml_submission_file": xml_part(a_survey())})
    assert r.status_code == 413 and message(r)[0] == "error"
    app.config["MAX_CONTENT_LENGTH"] = 2000
    r = post(collect, {"xml_submission_file": xml_part(b"<data/>" + b" " * 5000)})
    assert r.status_code == 413 and message(r)[0] == "error"
    assert _nothing_stored()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                      st.sampled_from([b"<data id='house_assessment'><meta><instanceID>uuid:%s</instanceID></meta>"
                                       b"<household><head_name>%s</head_name></household></data>"]).flatmap(
                          lambda t: st.tuples(st.uuids(), st.text(max_size=40)).map(
                              lambda p: t % (str(p[0]).encode(), p[1].replace("<", "").replace("&", "").encode())))))
def test_never_a_500(collect, body):
    r = post(collect, {"xml_submission_file": xml_part(body)})
    assert r.status_code < 500 and r.headers["X-OpenRosa-Version"] == "1.0"
    message(r)
