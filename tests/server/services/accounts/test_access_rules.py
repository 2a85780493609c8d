"""The access rules one by one (server/services/accounts/access.py), through the API and the pages."""

from __future__ import annotations

import pytest

from server.errors import DomainError
from server.extensions import db
from server.models import House, Submission
from server.services.accounts import access
from tests.server import access_world
from tests.server.access_world import OWN, PHOTO


@pytest.fixture
def world(app):
    w = access_world.build(app)
    units = w["units"]
    # a second volunteer of the same commune, with a house and a survey of their own
    w["neighbour"] = access_world.user("neighbour", "volunteer", units[OWN])
    h = House(org_unit_id=units[OWN].id, status="assessed", head_name="Hộ hàng xóm", lat=15.41, lon=108.61,
              village="2096801")
    db.session.add(h)
    db.session.flush()
    w["neighbour_house"] = h
    w["neighbour_survey"] = access_world.survey(w["neighbour"], h, app.config["MEDIA_ROOT"], seed=9)
    # a reviewer who also went out and surveyed a house (in their own district)
    w["surveyor"] = access_world.user("surveyor", "reviewer", units["517"])
    w["own_survey"] = access_world.survey(w["surveyor"], w["house"][OWN], app.config["MEDIA_ROOT"], seed=11)
    w["admin_survey"] = access_world.survey(w["users"]["admin"], w["house"][OWN], app.config["MEDIA_ROOT"], seed=12)
    db.session.commit()
    return w


def test_a_volunteer_sees_only_the_houses_they_surveyed(app, world):
    c = app.test_client()
    vol = access_world.api_token(c, "volunteer")
    listed = c.get("/api/v1/houses", headers=vol).get_json()
    assert [h["id"] for h in listed["items"]] == [world["house"][OWN].id] and listed["total"] == 1
    assert c.get(f"/api/v1/houses/{world['house'][OWN].id}", headers=vol).status_code == 200
    r = c.get(f"/api/v1/houses/{world['neighbour_house'].id}", headers=vol)  # same commune, not theirs
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    assert "Hộ hàng xóm" not in c.get("/api/v1/houses?org_unit=20968", headers=vol).get_data(as_text=True)
    web, _ = access_world.web_client(app, "volunteer")
    assert web.get(f"/houses/{world['neighbour_house'].id}").status_code == 404
    page = web.get("/houses").get_data(as_text=True)
    assert "Hộ hàng xóm" not in page and f"Hộ {OWN}" in page
    # the neighbour sees theirs and not the volunteer's; a reviewer of the district sees both
    nb = access_world.api_token(c, "neighbour")
    assert [h["id"] for h in c.get("/api/v1/houses", headers=nb).get_json()["items"]] == [world["neighbour_house"].id]
    rev = access_world.api_token(c, "reviewer")
    ids = {h["id"] for h in c.get("/api/v1/houses?org_unit=20968", headers=rev).get_json()["items"]}
    assert ids == {world["house"][OWN].id, world["neighbour_house"].id}


def test_a_volunteer_sees_only_their_own_surveys(app, world):
    c = app.test_client()
    vol = access_world.api_token(c, "volunteer")
    theirs = world["neighbour_survey"].instance_id
    assert c.get(f"/api/v1/submissions/{theirs}", headers=vol).status_code == 404
    web, _ = access_world.web_client(app, "volunteer")
    assert web.get(f"/review/{theirs}").status_code == 404
    assert web.get(f"/review/{world['survey'][OWN].instance_id}").status_code == 200


def test_nobody_decides_a_survey_they_sent_themselves(app, world):
    c = app.test_client()
    for username, sub in (("surveyor", world["own_survey"]), ("admin", world["admin_survey"])):
        r = c.post(f"/api/v1/submissions/{sub.instance_id}/review", json={"action": "approve"},
                   headers=access_world.api_token(c, username))
        assert r.status_code == 403 and r.get_json()["error"]["code"] == "own_submission", r.get_json()
        web, csrf = access_world.web_client(app, username)
        page = web.get(f"/review/{sub.instance_id}").get_data(as_text=True)
        assert 'name="action"' not in page  # no decision buttons on one's own survey
        assert web.post(f"/review/{sub.instance_id}", data={"action": "approve", "csrf_token": csrf}).status_code == 403
        # bulk: all or nothing, another survey in the same batch is not approved either
        other = world["survey"][OWN].instance_id
        r = web.post("/review/bulk", data={"ids": [other, sub.instance_id], "csrf_token": csrf})
        assert r.status_code == 403
        db.session.expire_all()
        assert db.session.get(Submission, sub.id).review_status == "received"
        assert db.session.get(Submission, world["survey"][OWN].id).review_status == "received"
    # another reviewer of the district may decide it
    r = c.post(f"/api/v1/submissions/{world['own_survey'].instance_id}/review", json={"action": "approve"},
               headers=access_world.api_token(c, "reviewer"))
    assert r.status_code == 200 and r.get_json()["review_status"] == "approved"


def test_a_photo_is_reached_only_through_a_survey_the_caller_may_see(app, world):
    sub = world["survey"][OWN]  # the volunteer's survey in Xã Tam Xuân I
    photo, thumb = f"/photos/{sub.instance_id}/{PHOTO}", f"/photos/{sub.instance_id}/{PHOTO}?thumb=1"
    for username, want in (("volunteer", 200), ("neighbour", 404), ("reviewer", 200), ("manager", 200),
                           ("author_20335", 404)):
        web, _ = access_world.web_client(app, username)
        for url in (photo, thumb):
            r = web.get(url)
            assert r.status_code == want, (username, url)
            r.close()
    access_world.user("reviewer_b", "reviewer", world["units"]["502"])
    db.session.commit()
    web, _ = access_world.web_client(app, "reviewer_b")
    assert web.get(photo).status_code == 404
    c = app.test_client()
    url = f"/api/v1/submissions/{sub.instance_id}/attachments/{PHOTO}"
    assert c.get(url, headers=access_world.api_token(c, "volunteer")).status_code == 200
    assert c.get(url, headers=access_world.api_token(c, "neighbour")).status_code == 404


def test_the_gate_itself(app, world):
    u = world["users"]
    sub, house, unit = world["survey"][OWN], world["house"][OWN], world["units"][OWN]
    far = world["survey"]["20194"]
    assert access.can(u["reviewer"], "decide", sub) and not access.can(u["manager"], "decide", sub)
    assert access.can(u["manager"], "view", far) is False and access.can(u["manager"], "view", sub)
    assert access.can(u["volunteer"], "view", house) and not access.can(world["neighbour"], "view", house)
    assert access.can(world["neighbour"], "submit", house)  # a follow-up survey of any house of the commune
    assert access.can(u["volunteer"], "view", sub.attachments[0])
    assert not access.can(world["neighbour"], "view", sub.attachments[0])
    assert not access.can(u["admin"], "manage_devices", world["spare"]["20194"])
    assert access.can(u["admin"], "manage_devices", world["token"][OWN])
    assert not access.can(None, "view", unit) and not access.can(u["admin"], "view", None)
    for actor, verb, thing, code in ((u["volunteer"], "view_progress", unit, "forbidden"),
                                     (u["reviewer"], "view", world["units"]["20335"], "not_found"),
                                     (world["surveyor"], "decide", world["own_survey"], "own_submission"),
                                     (u["reviewer"], "upload", sub, "not_found")):
        with pytest.raises(DomainError) as err:
            access.require(actor, verb, thing)
        assert err.value.code == code
    with pytest.raises(ValueError):
        access.allowed(u["admin"], "fly")
    assert set(db.session.scalars(access.visible_submissions(db.session, u["volunteer"]))) == \
        {world["survey"][OWN], world["decided"][OWN]}
    assert {s.id for s in db.session.scalars(access.visible_submissions(db.session, u["reviewer"]))} == \
        {s.id for s in db.session.scalars(access.visible_submissions(db.session, u["reviewer"], world["units"]["517"]))}
