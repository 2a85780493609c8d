"""Tokens (revocable, expiring, throttled), forms with ETag, the sync feed, OpenAPI."""

import datetime as dt

import sqlalchemy as sa

from server.extensions import db
from server.models import DeviceToken, User
from server.services.surveys import review
from tests.server.world import envelope, publish


def test_token_login_user_and_revoke(client, make_user):
    make_user("volunteer", "volunteer", "20968")
    r = client.post("/api/v1/auth/token", json={"username": "volunteer", "password": "demo", "device_id": "phone-1"})
    assert r.status_code == 201
    body = r.get_json()
    assert body["user"]["org_unit"]["code"] == "20968" and body["user"]["role"] == "volunteer"
    token = body["token"]
    row = db.session.scalar(sa.select(DeviceToken))
    assert row.token_hash != token and len(row.token_hash) == 64  # stored hashed
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/forms", headers=h).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=h).status_code == 204
    r = client.get("/api/v1/forms", headers=h)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "token_revoked"


def test_password_is_hashed_and_wrong_password_refused(client, make_user):
    user = make_user("volunteer", "volunteer", "20968")
    assert "demo" not in user.password_hash and user.password_hash.startswith("scrypt")
    r = client.post("/api/v1/auth/token", json={"username": "volunteer", "password": "wrong"})
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "bad_credentials"
    r = client.post("/api/v1/auth/token", json={"username": "volunteer"})
    assert r.status_code == 422 and "password" in r.get_json()["error"]["fields"]["json"]


def test_expired_token_and_disabled_account(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    row = db.session.scalar(sa.select(DeviceToken))
    row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    r = client.get("/api/v1/forms", headers=h)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "token_expired"
    h2 = auth_header("volunteer")
    db.session.scalar(sa.select(User)).is_active = False
    db.session.commit()
    assert client.get("/api/v1/forms", headers=h2).status_code == 403


def test_repeated_failed_logins_are_throttled(app, client, make_user):
    make_user("volunteer", "volunteer", "20968")
    for _ in range(app.config["LOGIN_FAILURES_ALLOWED"]):
        assert client.post("/api/v1/auth/token", json={"username": "volunteer", "password": "x"}).status_code == 401
    r = client.post("/api/v1/auth/token", json={"username": "volunteer", "password": "demo"})
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_attempts"


def test_forms_list_definition_and_etag(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    row = publish()
    listed = client.get("/api/v1/forms", headers=h).get_json()
    assert listed == [{"form_id": "house_assessment", "version": row.version, "title": row.title, "hash": row.hash}]
    r = client.get("/api/v1/forms/house_assessment", headers=h)
    assert r.status_code == 200 and r.get_json()["form_id"] == "house_assessment"
    etag = r.headers["ETag"]
    r2 = client.get("/api/v1/forms/house_assessment", headers={**h, "If-None-Match": etag})
    assert r2.status_code == 304 and r2.data == b""
    assert client.get("/api/v1/forms/nope", headers=h).status_code == 404


def test_sync_feed_carries_review_outcomes_with_cursor(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    reviewer = make_user("reviewer", "reviewer", "517")
    h = auth_header("volunteer")
    env, _ = envelope(publish(), seed=11)
    assert client.post("/api/v1/submissions", json=env, headers=h).status_code == 201
    first = client.get("/api/v1/sync", headers=h).get_json()
    assert first["houses"] and first["houses"][0]["status"] == "assessed" and first["submissions"] == []
    house = first["houses"][0]  # the units from the province down: the phone pre-fills a follow-up's commune
    assert house["units"][:3] == ["49", "517", "20968"] and house["units"][-1] == house["org_unit"]
    review.decide(db.session, reviewer, env["instance_id"], "request_changes", "Chụp lại ảnh mái")
    db.session.commit()
    nxt = client.get(f"/api/v1/sync?since={first['cursor']}", headers=h).get_json()
    assert [(s["instance_id"], s["review_status"], s["review_comment"]) for s in nxt["submissions"]] == [
        (env["instance_id"], "changes_requested", "Chụp lại ảnh mái")]
    assert nxt["submissions"][0]["answers"]["head_name"] == env["answers"]["head_name"]
    empty = client.get(f"/api/v1/sync?since={nxt['cursor']}", headers=h).get_json()
    assert empty["submissions"] == [] and empty["events"] == [] and empty["cursor"] == nxt["cursor"]
    bad = client.get("/api/v1/sync?since=garbage!", headers=h)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "bad_cursor"


def test_sync_feed_is_scoped_to_the_volunteer(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    make_user("neighbour", "volunteer", "20968")
    env, _ = envelope(publish(), seed=12)
    assert client.post("/api/v1/submissions", json=env, headers=auth_header("volunteer")).status_code == 201
    other = client.get("/api/v1/sync", headers=auth_header("neighbour")).get_json()
    assert other["houses"] == [] and other["events"] == []


def test_openapi_document_lists_the_contract(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    for p in ("/api/v1/auth/token", "/api/v1/forms", "/api/v1/forms/{form_id}", "/api/v1/submissions",
              "/api/v1/submissions/{instance_id}/attachments/{name}", "/api/v1/sync"):
        assert p in paths, p
    assert "SubmissionIn" in doc["components"]["schemas"]


def test_unchanged_forms_list_answers_304_and_a_new_form_changes_its_etag(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    h = auth_header("volunteer")
    publish()
    r = client.get("/api/v1/forms", headers=h)
    etag = r.headers["ETag"]
    assert r.status_code == 200 and etag.startswith('"') and len(r.get_json()) == 1
    same = client.get("/api/v1/forms", headers={**h, "If-None-Match": etag})
    assert same.status_code == 304 and same.data == b"" and same.headers["ETag"] == etag
    assert client.get("/api/v1/forms", headers={**h, "If-None-Match": '"other"'}).status_code == 200
    publish("construction_progress")  # a second form on the list
    changed = client.get("/api/v1/forms", headers={**h, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert client.get("/api/v1/sync", headers=h).headers["X-Forms-ETag"] == changed.headers["ETag"]


def test_feed_with_nothing_new_since_the_cursor_answers_304(client, make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    reviewer = make_user("reviewer", "reviewer", "517")
    h = auth_header("volunteer")
    env, _ = envelope(publish(), seed=13)
    assert client.post("/api/v1/submissions", json=env, headers=h).status_code == 201
    first = client.get("/api/v1/sync", headers=h)
    cursor = first.get_json()["cursor"]
    assert first.headers["ETag"] == f'"{cursor}"'
    quiet = client.get(f"/api/v1/sync?since={cursor}", headers={**h, "If-None-Match": f'"{cursor}"'})
    assert quiet.status_code == 304 and quiet.data == b""
    assert quiet.headers["X-Forms-ETag"] == client.get("/api/v1/forms", headers=h).headers["ETag"]
    review.decide(db.session, reviewer, env["instance_id"], "reject", "Không phải nhà tạm")
    db.session.commit()
    news = client.get(f"/api/v1/sync?since={cursor}", headers={**h, "If-None-Match": f'"{cursor}"'})
    assert news.status_code == 200 and news.get_json()["submissions"][0]["review_status"] == "rejected"
    assert news.headers["ETag"] == f'"{news.get_json()["cursor"]}"' != f'"{cursor}"'
