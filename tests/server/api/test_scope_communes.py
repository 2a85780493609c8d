"""The phone learns its scope's communes by name at sign-in; ingest refuses a commune outside that scope."""

import datetime as dt

import sqlalchemy as sa

from server.extensions import db
from server.models import OrgUnit, Submission
from tests.server.world import envelope, publish


def _user(client, username):
    r = client.post("/api/v1/auth/token", json={"username": username, "password": "demo"})
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_a_volunteer_gets_their_one_commune_by_name_as_the_default(client, make_user):
    make_user("vol", "volunteer", "20968")
    user = _user(client, "vol")["user"]
    assert user["communes"] == [{"code": "20968", "name": "Xã Tam Xuân I"}]
    assert user["commune"] == "20968"


def test_a_manager_of_the_province_gets_every_commune_in_force_and_no_default(client, make_user):
    make_user("boss", "manager", "49")
    retired = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "20971"))
    retired.valid_to = dt.date(2025, 7, 1)  # a commune a reorganisation retired is not offered
    db.session.commit()
    user = _user(client, "boss")["user"]
    assert [c["code"] for c in user["communes"]] == ["20335", "20968"]  # by name: Phường ..., Xã ...
    assert user["commune"] is None


def test_ingest_refuses_a_commune_outside_the_listed_scope(client, make_user):
    form_row = publish()
    make_user("vol", "volunteer", "20968")
    body = _user(client, "vol")
    assert "20335" not in [c["code"] for c in body["user"]["communes"]]
    env, _ = envelope(form_row, preset={"commune_code": "20335"})
    r = client.post("/api/v1/submissions", json=env, headers={"Authorization": f"Bearer {body['token']}"})
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "outside_unit"
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
