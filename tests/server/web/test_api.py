"""The web side's JSON API: review (scoped, comment rules), houses with history, progress roll-up."""

import pytest

from server.extensions import db
from tests.server.world import make_form, make_house, make_submission, make_units, make_user


def _token(client, username):
    r = client.post("/api/v1/auth/token", json={"username": username, "password": "demo"})
    assert r.status_code == 201, r.get_json()
    return {"Authorization": "Bearer " + r.get_json()["token"]}


@pytest.fixture
def api_world(app):
    make_units()
    make_form()
    vol = make_user("volunteer", "volunteer", "20968")
    for name, role, code in [("reviewer", "reviewer", "517"), ("reviewer_b", "reviewer", "502"), ("manager", "manager", "49")]:
        make_user(name, role, code)
    a, b = make_house("20968", name="Hộ A"), make_house("20335", name="Hộ B")
    sa_, sb = make_submission(vol, a), make_submission(vol, b)
    db.session.commit()
    return {"a": sa_, "b": sb, "house_a": a, "house_b": b}


def test_review_api_scoping_and_rules(app, api_world):
    c = app.test_client()
    rev = _token(c, "reviewer")
    url = "/api/v1/submissions/{}/review"
    r = c.post(url.format(api_world["b"].instance_id), json={"action": "approve"}, headers=rev)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    r = c.post(url.format(api_world["a"].instance_id), json={"action": "reject"}, headers=rev)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "comment_required"
    r = c.post(url.format(api_world["a"].instance_id), json={"action": "dance"}, headers=rev)
    assert r.status_code == 422
    r = c.post(url.format(api_world["a"].instance_id), json={"action": "request_changes", "comment": "Chụp lại mái"},
               headers=rev)
    assert r.status_code == 200
    assert r.get_json() | {} == {"instance_id": api_world["a"].instance_id, "review_status": "changes_requested",
                                 "review_comment": "Chụp lại mái", "house_id": api_world["house_a"].id,
                                 "house_status": "assessed", "duplicate_state": None}
    feed = c.get("/api/v1/sync", headers=_token(c, "volunteer")).get_json()  # what the phone gets next
    mine = {s["instance_id"]: s for s in feed["submissions"]}
    assert mine[api_world["a"].instance_id]["review_status"] == "changes_requested"
    assert mine[api_world["a"].instance_id]["review_comment"] == "Chụp lại mái"
    r = c.post(url.format(api_world["a"].instance_id), json={"action": "approve"}, headers=rev)
    assert r.status_code == 409
    vol = _token(c, "volunteer")
    assert c.post(url.format(api_world["a"].instance_id), json={"action": "approve"}, headers=vol).status_code == 403
    assert c.post(url.format(api_world["a"].instance_id), json={"action": "approve"}).status_code == 401


def test_houses_and_progress_api(app, api_world):
    c = app.test_client()
    rev = _token(c, "reviewer")
    c.post(f"/api/v1/submissions/{api_world['a'].instance_id}/review", json={"action": "approve"}, headers=rev)
    r = c.get("/api/v1/houses", headers=rev)
    assert r.status_code == 200 and [h["id"] for h in r.get_json()["items"]] == [api_world["house_a"].id]
    assert c.get(f"/api/v1/houses/{api_world['house_b'].id}", headers=rev).status_code == 404
    assert c.get("/api/v1/houses?org_unit=502", headers=rev).status_code == 404
    d = c.get(f"/api/v1/houses/{api_world['house_a'].id}", headers=rev).get_json()
    assert d["status"] == "approved" and d["history"][-1]["to_status"] == "approved"
    assert d["history"][-1]["who"] == "Reviewer"
    man = _token(c, "manager")
    p = c.get("/api/v1/progress", headers=man).get_json()
    assert p["org_unit"]["code"] == "49" and p["totals"]["assessed"] == 2 and p["totals"]["approved"] == 1
    assert {r["code"]: r["approved"] for r in p["rows"]} == {"502": 0, "517": 1}
    p = c.get("/api/v1/progress?org_unit=517", headers=man).get_json()
    assert {r["code"]: r["assessed"] for r in p["rows"]} == {"20968": 1, "20971": 0}
    assert c.get("/api/v1/progress", headers=_token(c, "volunteer")).status_code == 403
    spec = c.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/progress", "/api/v1/houses", "/api/v1/submissions/{instance_id}/review"} <= set(spec["paths"])
