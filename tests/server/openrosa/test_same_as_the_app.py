"""One code path after parsing: a survey sent by ODK Collect is stored, judged, reviewed and counted
exactly like the same survey sent by the app (its JSON envelope and photo PUTs)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from forms import xml_instance
from forms.envelope import make_envelope
from forms.example import generate
from server.extensions import db
from server.models import Attachment, House, OrgUnit, Submission, User
from server.services.programme import forms as forms_service
from server.services.reports import recount
from server.services.surveys import review_queue, signals
from server.services.surveys import survey_facts as facts
from tests.server import world
from tests.server.openrosa.collect import Collect
from tests.server.world import jpeg, publish

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsforms"
META = {"now": "2026-11-28T10:00:00+07:00", "username": "volunteer", "deviceid": "collect:0123"}
FORMS = ["house_assessment", "construction_progress", "water_points", "school_census", "clinic_visit"]


def _publish(name: str):
    if (FIXTURES / f"{name}.xlsx").exists():
        row, _ = forms_service.publish_file(db.session, FIXTURES / f"{name}.xlsx")
        db.session.commit()
        return row
    return publish(name)


def _answers(form, seed: int, preset: dict | None = None) -> tuple[dict, dict]:
    answers = generate(form, seed=seed, meta=META, preset=preset)
    photos = {name: jpeg(seed * 10 + i, size=(400, 300)) for i, name in enumerate(form.image_files(answers))}
    return answers, photos


def send_by_app(client, token: dict, form_row, answers: dict, photos: dict) -> str:
    form = forms_service.engine_form(form_row)
    atts = [{"name": n, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b), "content_type": "image/jpeg"}
            for n, b in photos.items()]
    env = make_envelope(form, str(uuid.uuid4()), answers, atts, "2026-11-28T10:00:00+07:00",
                        form_version=form_row.version)
    r = client.post("/api/v1/submissions", json=env, headers=token)
    assert r.status_code == 201, r.get_json()
    for name, data in photos.items():
        put = client.put(f"/api/v1/submissions/{env['instance_id']}/attachments/{name}", data=data, headers=token)
        assert put.status_code == 200, put.get_json()
    return env["instance_id"]


def send_by_collect(client, form_row, answers: dict, photos: dict) -> str:
    form = forms_service.engine_form(form_row)
    iid = str(uuid.uuid4())
    c = Collect(client, "https://localhost/openrosa/20968", "volunteer", "field-work-1")
    assert any(x["formID"] == form_row.form_id and x["version"] == form_row.version for x in c.form_list())
    for r in c.submit(xml_instance.to_xml(form, answers, iid), photos):
        assert r.status_code == 201, r.get_data(as_text=True)
    return iid


def _stored(iid: str) -> Submission:
    db.session.expire_all()
    return db.session.scalar(sa.select(Submission).where(Submission.instance_id == iid))


@pytest.fixture
def people(units, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968", password="field-work-1")
    make_user("reviewer", "reviewer", "517")
    return {"volunteer": auth_header("volunteer", "field-work-1"), "reviewer": auth_header("reviewer")}


@pytest.mark.parametrize("name", FORMS)
def test_every_form_stores_the_same_answers_by_either_path(client, people, name):
    row = _publish(name)
    form = forms_service.engine_form(row)
    preset = None
    if name == "construction_progress":  # a follow-up names a house the volunteer surveyed
        ha = publish("house_assessment")
        a, p = _answers(forms_service.engine_form(ha), 1)
        house = _stored(send_by_app(client, people["volunteer"], ha, a, p)).house
        preset = {facts.field_name(form, "house_ref"): house.uuid}
    answers, photos = _answers(form, 3, preset)
    by_app = _stored(send_by_app(client, people["volunteer"], row, answers, photos))
    by_collect = _stored(send_by_collect(client, row, answers, photos))
    assert by_collect.answers == by_app.answers
    assert (by_collect.form_id, by_collect.form_version) == (by_app.form_id, by_app.form_version)
    assert by_collect.org_unit_id == by_app.org_unit_id and by_collect.complete and by_app.complete
    assert [(a.name, a.sha256, a.size) for a in by_collect.attachments] == \
           [(a.name, a.sha256, a.size) for a in by_app.attachments]


def _snapshot(client, people, iid: str) -> dict:
    """Everything the programme sees of one survey, without ids and times."""
    sub = _stored(iid)
    queue = review_queue.queue(db.session, db.session.scalar(sa.select(User).where(User.username == "reviewer")))
    item = {k: v for k, v in queue.items[0].items() if k not in ("instance_id", "received_at", "house_id")}
    before = {"queue": (queue.total, item), "signals": sorted(signals.codes(db.session, sub.id)),
              "answers": sub.answers, "unit": db.session.get(OrgUnit, sub.org_unit_id).code,
              "where": (sub.lat, sub.lon, sub.accuracy), "complete": sub.complete,
              "photos": sorted(db.session.execute(sa.select(Attachment.name, Attachment.sha256, Attachment.received)
                                                  .where(Attachment.submission_id == sub.id)).all())}
    r = client.post(f"/api/v1/submissions/{iid}/review", json={"action": "approve", "comment": "Đúng",
                                                                "override": True}, headers=people["reviewer"])
    assert r.status_code == 200, r.get_json()
    house = db.session.scalar(sa.select(House))
    progress = client.get("/api/v1/progress?org_unit=517", headers=people["reviewer"]).get_json()
    return {**before, "house": (house.status, house.head_name, house.id_number, house.birth_year, house.lat,
                                house.lon, house.village, house.beneficiary_group, house.support_kind),
            "houses": db.session.scalar(sa.select(sa.func.count(House.id))),
            "progress": progress, "recount": recount.recount(db.session)}


def test_a_survey_by_collect_is_reviewed_and_counted_like_one_by_the_app(app, client, people, tmp_path):
    row = publish()
    answers, photos = _answers(forms_service.engine_form(row), 11)
    app.config["MEDIA_ROOT"] = str(tmp_path / "app-media")
    by_app = _snapshot(client, people, send_by_app(client, people["volunteer"], row, answers, photos))
    db.session.remove()
    db.drop_all()  # the same world again, empty, for the other path
    db.create_all()
    world.make_units(world.UNITS)
    world.make_user("volunteer", "volunteer", "20968", password="field-work-1")
    world.make_user("reviewer", "reviewer", "517")
    db.session.commit()
    people["reviewer"] = {"Authorization": "Bearer " + client.post("/api/v1/auth/token", json={
        "username": "reviewer", "password": "demo"}).get_json()["token"]}
    row = publish()
    app.config["MEDIA_ROOT"] = str(tmp_path / "collect-media")
    by_collect = _snapshot(client, people, send_by_collect(client, row, answers, photos))
    assert by_app["houses"] == by_collect["houses"] == 1
    assert by_collect == by_app
