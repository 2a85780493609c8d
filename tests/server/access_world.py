"""A world for the access tests: two provinces, one user of each role, and in each of four communes a
house, a survey (with a stored photo), a decided survey and a spare account with a signed-in phone.

Homes: volunteer -> Xã Tam Xuân I (20968); reviewer -> Huyện Núi Thành (517); manager and admin ->
Tỉnh Quảng Nam (49). Every home contains 20968 ("own subtree"); ``OTHER[role]`` is a commune just
outside that role's home (another commune, another district, another province)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid

from werkzeug.security import generate_password_hash

from server.extensions import db
from server.models import Attachment, DeviceToken, FormDraft, House, OrgUnit, Submission, User
from server.models.users import hash_token
from server.services.files.storage import Storage
from server.services.programme import forms as forms_service
from tests.server import world
from tests.server.world import jpeg, make_form

ROLES = ("volunteer", "reviewer", "manager", "admin")
HOME = {"volunteer": "20968", "reviewer": "517", "manager": "49", "admin": "49"}
OWN = "20968"
OTHER = {"volunteer": "20971", "reviewer": "20335", "manager": "20194", "admin": "20194"}
PHOTO = "house.jpg"
COMMUNES = ("20968", "20971", "20335", "20194")
_CHEAP = generate_password_hash("demo", method="pbkdf2:sha256:1000")  # sign-in is not under test here


def user(username: str, role: str, unit: OrgUnit) -> User:
    u = User(username=username, role=role, org_unit_id=unit.id, full_name=username.title(), password_hash=_CHEAP)
    db.session.add(u)
    db.session.flush()
    return u


def survey(author: User, house: House, media_root: str, seed: int, review_status: str = "received") -> Submission:
    data = jpeg(seed)
    sha = hashlib.sha256(data).hexdigest()
    Storage(media_root).put_bytes(sha, data)
    s = Submission(instance_id=str(uuid.uuid4()), form_id="house_assessment", form_version="1",
                   org_unit_id=house.org_unit_id, user_id=author.id, house_id=house.id, review_status=review_status,
                   answers={"head_name": house.head_name, "location": "15.45 108.62 12 8", "house_photo": PHOTO})
    db.session.add(s)
    db.session.flush()
    db.session.add(Attachment(submission_id=s.id, name=PHOTO, sha256=sha, size=len(data), content_type="image/jpeg",
                              received=True, received_at=dt.datetime.now(dt.UTC)))
    db.session.flush()
    return s


def build(app) -> dict:
    """Everything keyed by commune code; commits."""
    units = world.make_units(world.COMMUNE_TREE + world.ANOTHER_PROVINCE)
    make_form()
    people = {role: user(role, role, units[HOME[role]]) for role in ROLES}
    w = {"units": units, "users": people, "house": {}, "survey": {}, "decided": {}, "spare": {}, "token": {}}
    media = app.config["MEDIA_ROOT"]
    for i, code in enumerate(COMMUNES):
        author = people["volunteer"] if code == OWN else user(f"author_{code}", "volunteer", units[code])
        house = House(org_unit_id=units[code].id, status="assessed", head_name=f"Hộ {code}", lat=15.4, lon=108.6)
        db.session.add(house)
        db.session.flush()
        w["house"][code] = house
        w["survey"][code] = survey(author, house, media, seed=i)
        w["decided"][code] = survey(author, house, media, seed=i, review_status="approved")
        spare = user(f"spare_{code}", "volunteer", units[code])
        tok = DeviceToken(user_id=spare.id, token_hash=hash_token(uuid.uuid4().hex), device_id=f"phone-{code}",
                          expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
        db.session.add(tok)
        db.session.flush()
        w["spare"][code], w["token"][code] = spare, tok
    db.session.commit()
    return w


def api_token(client, username: str) -> dict:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": "demo", "device_id": "t"})
    assert r.status_code == 201, r.get_json()
    return {"Authorization": "Bearer " + r.get_json()["token"]}


def web_client(app, username: str):
    """A signed-in test client and its CSRF token."""
    c = app.test_client()
    token = world.csrf_of(c.get("/sign-in").get_data(as_text=True))
    r = c.post("/sign-in", data={"username": username, "password": "demo", "csrf_token": token})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    page = c.get("/mine").get_data(as_text=True)
    return c, world.csrf_of(page)


def drafts(w: dict, form_row) -> None:
    """In each commune, a form draft uploaded there: the published file again (publishing it changes nothing)."""
    w["draft"] = {}
    media = {m["name"]: base64.b64encode(forms_service.media_file(db.session, form_row, m["name"])).decode("ascii")
             for m in form_row.definition.get("media") or []}  # its villages.csv
    for code in COMMUNES:
        d = FormDraft(token=f"draft-{code}", form_id=form_row.form_id, version=form_row.version,
                      definition=form_row.definition, source_name="house_assessment.xlsx", source=form_row.source,
                      media=media or None, user_id=w["spare"][code].id, org_unit_id=w["units"][code].id)
        db.session.add(d)
        w["draft"][code] = d
    db.session.commit()
