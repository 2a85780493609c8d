"""POST /api/v1/submissions: exactly once, judged by the form engine, scoped, houses upserted."""

import copy

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import House, HouseEvent, OrgUnit, Submission
from tests.server.world import envelope, publish


@pytest.fixture
def volunteer(make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    return auth_header("volunteer")


@pytest.fixture
def form_row(app):
    return publish()


def test_new_then_same_again_then_conflict(client, volunteer, form_row):
    env, blobs = envelope(form_row)
    r = client.post("/api/v1/submissions", json=env, headers=volunteer)
    assert r.status_code == 201, r.get_json()
    assert sorted(r.get_json()["missing_attachments"]) == sorted(blobs)
    assert r.get_json()["status"] == "new"
    r2 = client.post("/api/v1/submissions", json=env, headers=volunteer)
    assert r2.status_code == 200 and r2.get_json()["status"] == "duplicate"
    changed = copy.deepcopy(env)
    changed["answers"]["head_name"] = "Người Khác"
    r3 = client.post("/api/v1/submissions", json=changed, headers=volunteer)
    assert r3.status_code == 409 and r3.get_json()["error"]["code"] == "conflict"
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 1


def test_client_calculations_are_not_trusted_and_house_is_created(client, volunteer, form_row):
    env, _ = envelope(form_row, seed=3)
    env["answers"]["area_per_person"] = 9999
    r = client.post("/api/v1/submissions", json=env, headers=volunteer)
    assert r.status_code == 201
    sub = db.session.scalar(sa.select(Submission))
    assert sub.answers["area_per_person"] != 9999
    house = db.session.get(House, sub.house_id)
    assert house.status == "assessed" and house.id_number == env["answers"]["head_cccd"]
    assert r.get_json()["house_id"] == house.uuid
    kinds = db.session.scalars(sa.select(HouseEvent.kind).where(HouseEvent.house_id == house.id)).all()
    assert "assessed" in kinds


def test_invalid_answers_are_422_with_per_field_errors_and_no_rows(client, volunteer, form_row):
    env, _ = envelope(form_row)
    env["answers"]["head_cccd"] = "123"
    env["answers"]["household_size"] = "many"
    r = client.post("/api/v1/submissions", json=env, headers={**volunteer, "Accept-Language": "en"})
    assert r.status_code == 422
    fields = {(f["field"], f["code"]) for f in r.get_json()["error"]["fields"]}
    assert ("head_cccd", "constraint") in fields and ("household_size", "type") in fields
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 0


def test_undeclared_and_extra_attachments_are_refused(client, volunteer, form_row):
    env, _ = envelope(form_row)
    env["attachments"] = env["attachments"][1:]
    assert client.post("/api/v1/submissions", json=env, headers=volunteer).status_code == 422


@pytest.mark.parametrize("bad_name", ["../x.jpg", "/etc/passwd", "a\x00.jpg", "..", ".hidden.jpg"])
def test_path_tricks_in_declared_names(client, volunteer, form_row, bad_name):
    env, _ = envelope(form_row)
    env["attachments"][0]["name"] = bad_name
    r = client.post("/api/v1/submissions", json=env, headers=volunteer)
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "invalid_request"


def _no_submission_rows():
    return db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_malformed_json_is_400(client, volunteer, form_row):
    r = client.post("/api/v1/submissions", data="{not json", headers={**volunteer, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.is_json and "error" in r.get_json()
    assert _no_submission_rows()


def test_wrong_content_type_is_415(client, volunteer, form_row):
    r = client.post("/api/v1/submissions", data="a=1", headers={**volunteer, "Content-Type": "text/plain"})
    assert r.status_code == 415 and r.get_json()["error"]["code"] == "unsupported_media_type"
    assert _no_submission_rows()


def test_bad_uuid_is_422_on_the_field(client, volunteer, form_row):
    env, _ = envelope(form_row)
    r = client.post("/api/v1/submissions", json=dict(env, instance_id="not-a-uuid"), headers=volunteer)
    assert r.status_code == 422 and "instance_id" in str(r.get_json()["error"]["fields"])
    assert _no_submission_rows()


def test_unknown_form_version_is_404(client, volunteer, form_row):
    env, _ = envelope(form_row)
    r = client.post("/api/v1/submissions", json=dict(env, form_version="999"), headers=volunteer)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "unknown_form"
    r = client.post("/api/v1/submissions", json=dict(env, form_id="no_such_form"), headers=volunteer)
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "unknown_form"
    assert _no_submission_rows()


def test_answers_of_the_wrong_shape_are_422(client, volunteer, form_row):
    env, _ = envelope(form_row)
    r = client.post("/api/v1/submissions", json=dict(env, answers=["x"]), headers=volunteer)
    assert r.status_code == 422 and r.get_json()["error"]["code"]
    assert _no_submission_rows()


def test_huge_body_is_413(app, client, volunteer, form_row):
    env, _ = envelope(form_row)
    big = dict(env, answers=dict(env["answers"], notes="x" * (app.config["MAX_ENVELOPE_BYTES"] + 10)))
    r = client.post("/api/v1/submissions", json=big, headers=volunteer)
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "too_large"
    assert _no_submission_rows()


def test_volunteer_cannot_submit_outside_their_subtree(client, make_user, auth_header, form_row):
    make_user("tamky", "volunteer", "20335")  # Phường Tân Thạnh, Tam Kỳ: not Núi Thành
    env, _ = envelope(form_row)  # a house in Xã Tam Xuân I (Núi Thành)
    r = client.post("/api/v1/submissions", json=env, headers=auth_header("tamky"))
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "outside_unit"
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_no_token_bad_token_and_messages_in_language(client, form_row):
    r = client.get("/api/v1/forms")
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "Cần đăng nhập lại."
    r = client.get("/api/v1/forms", headers={"Authorization": "Bearer nope", "Accept-Language": "en"})
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "Please sign in again."


def test_unknown_route_and_method_are_json(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.get_json()["error"]["code"] == "not_found"
    r = client.patch("/api/v1/forms")
    assert r.status_code == 405 and r.get_json()["error"]["code"] == "method_not_allowed"


def test_a_village_outside_the_form_list_is_kept_by_name(client, make_user, auth_header, form_row):
    """A commune whose villages the form does not list: «Thôn khác» + the typed name, on the house."""
    make_user("tamky", "volunteer", "20335")
    env, _ = envelope(form_row, seed=4)
    env["answers"].update({"commune_code": "20335", "village": "other", "village_other": "Khối phố 3"})
    r = client.post("/api/v1/submissions", json=env, headers=auth_header("tamky"))
    assert r.status_code == 201, r.get_json()
    sub = db.session.scalar(sa.select(Submission))
    house = db.session.get(House, sub.house_id)
    assert house.village == "Khối phố 3"
    assert sub.org_unit_id == house.org_unit_id and db.session.get(OrgUnit, sub.org_unit_id).code == "20335"
