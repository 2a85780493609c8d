"""The «ODK Collect» page: the address to type, a key made and shown once (with Collect's settings QR
code), the key working in Collect and taken back; /mine tells a Collect user what a reviewer asked."""

from __future__ import annotations

import base64
import json
import re
import uuid
import zlib

import sqlalchemy as sa

from forms import xml_instance
from forms.example import generate
from server.extensions import db
from server.models import DeviceToken, Submission
from server.services.accounts import collect_keys
from server.services.programme import forms as forms_service
from server.services.surveys import review
from tests.server.openrosa.collect import Collect
from tests.server.world import csrf_of, jpeg, publish, sign_in


def test_a_volunteer_makes_a_key_uses_it_in_collect_and_takes_it_back(client, units, make_user):
    make_user("volunteer", "volunteer", "20968", password="field-work-1")
    publish()
    sign_in(client, "volunteer", "field-work-1")
    page = client.get("/collect").get_data(as_text=True)
    assert "https://localhost/openrosa/20968" in page and "ODK Collect" in page
    made = client.post("/collect/keys", data={"csrf_token": csrf_of(page), "label": "Máy của An"})
    html = made.get_data(as_text=True)
    url = re.search(r'<code class="url">(http://localhost/openrosa/key/[^<]+/20968)</code>', html).group(1)
    assert 'src="data:image/svg+xml' in html and "Máy của An" in html
    assert Collect(client, url, secure=False).form_list()[0]["formID"] == "house_assessment"
    row = db.session.scalar(sa.select(DeviceToken).where(DeviceToken.kind == "collect"))
    assert row.device_id == "Máy của An" and url.split("/key/")[1].split("/")[0] not in html.replace(url, "")
    r = client.post(f"/collect/keys/{row.id}/revoke", data={"csrf_token": csrf_of(html)})
    assert r.status_code == 302
    assert client.get(url + "/formList").status_code == 401
    assert client.get("/collect").get_data(as_text=True).count("Máy của An") == 0


def test_collect_settings_qr_payload_is_what_collect_reads():
    payload = collect_keys.settings_payload("https://maiam.example/openrosa/key/abc/20968")
    settings = json.loads(zlib.decompress(base64.b64decode(payload)))
    assert settings["general"]["server_url"] == "https://maiam.example/openrosa/key/abc/20968"
    assert settings["project"]["name"] == "Mái Ấm" and "admin" in settings


def test_a_collect_key_is_listed_and_revocable_on_the_devices_page(client, units, make_user):
    volunteer = make_user("volunteer", "volunteer", "20968")
    make_user("admin", "admin", "49")
    collect_keys.create(db.session, volunteer, "Collect của An")
    db.session.commit()
    sign_in(client, "admin")
    assert "Collect của An" in client.get("/devices").get_data(as_text=True)


def test_mine_shows_a_collect_survey_sent_back_with_the_comment(client, units, make_user):
    volunteer = make_user("volunteer", "volunteer", "20968", password="field-work-1")
    reviewer = make_user("reviewer", "reviewer", "517")
    row = publish()
    form = forms_service.engine_form(row)
    answers = generate(form, seed=8, meta={"now": "2026-11-28T10:00:00+07:00"})
    iid = str(uuid.uuid4())
    photos = {n: jpeg(i) for i, n in enumerate(form.image_files(answers))}
    key, _ = collect_keys.create(db.session, volunteer)
    db.session.commit()
    [r] = Collect(client, f"http://localhost/openrosa/key/{key}/20968", secure=False).submit(
        xml_instance.to_xml(form, answers, iid), photos)
    assert r.status_code == 201
    review.decide(db.session, reviewer, iid, "request_changes", "Chụp lại ảnh mái nhà")
    db.session.commit()
    assert db.session.scalar(sa.select(Submission.review_status).where(Submission.instance_id == iid)) == \
        "changes_requested"
    sign_in(client, "volunteer", "field-work-1")
    page = client.get("/mine").get_data(as_text=True)
    assert "Chụp lại ảnh mái nhà" in page and "Collect/Enketo" in page
