"""Bad input is a 4xx with a clear vi/en message, never a 500 and never a half-written record:
JSON nested deep or with endless integers, page numbers and ids past 64 bits, ``²`` (a digit to
``str.isdigit`` but not to ``int``), the calendar's last day, endless comments and amounts."""

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import House, HouseEvent, Submission
from server.models.funding import HouseFunding
from tests.server.world import csrf_of, envelope, make_form, make_house, make_submission, publish, sign_in

DEEP = "[" * 1000 + "]" * 1000
HUGE_INT = "1" * 4301  # past Python's int max str digits: json.loads raises ValueError
HUGE = "1" + "0" * 30


@pytest.fixture
def people(make_user, auth_header):
    make_user("volunteer", "volunteer", "20968")
    make_user("reviewer", "reviewer", "517")
    make_user("manager", "manager", "49")
    return {"volunteer": auth_header("volunteer"), "reviewer": auth_header("reviewer"),
            "manager": auth_header("manager")}


def _error(r, status, code):
    assert r.status_code == status, r.get_data(as_text=True)[:300]
    body = r.get_json()["error"]
    assert body["code"] == code and body["message"]
    return body


# ---- JSON bodies ------------------------------------------------------------------------------------
def test_json_nested_1000_deep_is_bad_json(client, people):
    _error(client.post("/api/v1/auth/token", data=DEEP, content_type="application/json"), 400, "bad_json")
    r = client.post("/api/v1/submissions", data='{"answers": ' + DEEP + "}", content_type="application/json",
                    headers={**people["volunteer"], "Accept-Language": "en"})
    assert _error(r, 400, "bad_json")["message"] == "The request body is not valid JSON."
    shallow_but_deep = '{"answers": {"a": ' + "[" * 100 + "]" * 100 + "}}"  # parses, yet deeper than any form
    _error(client.post("/api/v1/submissions", data=shallow_but_deep, content_type="application/json",
                       headers=people["volunteer"]), 400, "bad_json")
    _error(client.post("/api/v1/submissions/x/review", data=DEEP, content_type="application/json",
                       headers=people["reviewer"]), 400, "bad_json")


def test_an_integer_of_4301_digits_is_bad_json(client, people):
    body = '{"username": ' + HUGE_INT + ', "password": "demo"}'
    r = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert "JSON" in _error(r, 400, "bad_json")["message"]
    _error(client.post("/api/v1/submissions", data='{"answers": {"x": ' + HUGE_INT + "}}",
                       content_type="application/json", headers=people["volunteer"]), 400, "bad_json")


def test_malformed_json_is_bad_json_too(client, people):
    _error(client.post("/api/v1/auth/token", data="{not json", content_type="application/json"), 400, "bad_json")


# ---- the token before the body ------------------------------------------------------------------------
@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/v1/submissions"), ("post", "/api/v1/submissions/abc/review"), ("get", "/api/v1/houses?page=x"),
    ("get", "/api/v1/sync?since=%%%"), ("delete", "/api/v1/auth/token"), ("get", "/api/v1/forms"),
])
def test_anonymous_callers_get_401_not_a_description_of_the_body(client, people, method, path):
    r = getattr(client, method)(path, json={})
    _error(r, 401, "unauthorized")
    r = getattr(client, method)(path, json={}, headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_sign_in_stays_open(client, people):
    assert client.post("/api/v1/auth/token", json={"username": "volunteer", "password": "demo"}).status_code == 201
    assert client.get("/api/v1/openapi.json").status_code == 200


# ---- page numbers and ids ---------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["4611686018427387903", HUGE, "²", "0", "-1", "1.5"])
def test_api_page_out_of_range_is_422(client, people, page):
    r = client.get(f"/api/v1/houses?page={page}", headers=people["manager"])
    assert "page" in _error(r, 422, "invalid_request")["fields"]["query"]


def test_api_house_id_beyond_64_bits_is_404(client, people):
    for hid in ("100000000000000000000000", "9223372036854775808"):
        _error(client.get(f"/api/v1/houses/{hid}", headers=people["manager"]), 404, "not_found")


def test_405_says_which_methods_are_allowed(client, people):
    r = client.put("/api/v1/houses", headers=people["manager"])
    _error(r, 405, "method_not_allowed")
    assert "GET" in r.headers["Allow"]


def test_web_lists_take_any_page_and_the_calendars_last_day(app, people):
    make_house("20968")
    db.session.commit()
    manager = sign_in(app.test_client(), "manager")
    for page in ("4611686018427387903", HUGE, "²"):
        assert manager.get(f"/houses?page={page}").status_code == 200
    assert manager.get("/houses/100000000000000000000000").status_code == 404
    reviewer = sign_in(app.test_client(), "reviewer")
    for query in ("date_to=9999-12-31", "date_from=9999-12-31&date_to=9999-12-31", "page=²", f"page={HUGE}"):
        assert reviewer.get(f"/review?{query}").status_code == 200, query
    r = reviewer.get("/review?date_to=31/02/2024")  # dd/mm/yyyy is read (the date fields' format); 31/02 is no day
    assert r.status_code == 200 and "Ngày không hợp lệ" in r.get_data(as_text=True)


# ---- money on the house page ------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "value"), [("planned", "²"), ("planned", "1" + "0" * 25), ("disbursed", "10" * 8),
                                             ("workdays", "99999999999")])
def test_funding_form_refuses_unreadable_or_endless_amounts(app, people, name, value):
    h = make_house("20968", "approved")
    db.session.commit()
    c = sign_in(app.test_client(), "manager")
    token = csrf_of(c.get(f"/houses/{h.id}").get_data(as_text=True))
    r = c.post(f"/houses/{h.id}/funding", data={"source": "loan", name: value, "csrf_token": token},
               follow_redirects=True)
    assert r.status_code == 200
    assert "số nguyên không âm" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(HouseFunding.id))) == 0
    r = c.post(f"/houses/{h.id}/funding", data={"source": "loan", "planned": str(10**15 - 1), "csrf_token": token})
    assert db.session.scalar(sa.select(HouseFunding.planned)) == 10**15 - 1


# ---- comments and reasons ---------------------------------------------------------------------------
def test_api_review_comment_is_bounded(client, people, app):
    from server.models import User

    h = make_house("20968")
    sub = make_submission(db.session.scalar(sa.select(User).where(User.username == "volunteer")), h)
    db.session.commit()
    r = client.post(f"/api/v1/submissions/{sub.instance_id}/review", json={"action": "reject", "comment": "x" * 2001},
                    headers={**people["reviewer"], "Accept-Language": "en"})
    assert "2000" in _error(r, 422, "comment_too_long")["message"]
    db.session.expire_all()
    assert sub.review_status == "received" and h.status == "assessed"
    r = client.post(f"/api/v1/submissions/{sub.instance_id}/review", json={"action": "reject", "comment": "x" * 2000},
                    headers=people["reviewer"])
    assert r.status_code == 200


def test_web_comment_and_reason_are_bounded(app, people):
    from server.models import User

    h = make_house("20968")
    sub = make_submission(db.session.scalar(sa.select(User).where(User.username == "volunteer")), h)
    db.session.commit()
    c = sign_in(app.test_client(), "reviewer")
    token = csrf_of(c.get(f"/review/{sub.instance_id}").get_data(as_text=True))
    r = c.post(f"/review/{sub.instance_id}", data={"action": "request_changes", "comment": "ý" * 2001,
                                                   "csrf_token": token}, follow_redirects=True)
    assert "quá dài" in r.get_data(as_text=True)
    db.session.expire_all()
    assert sub.review_status == "received"
    m = sign_in(app.test_client(), "manager")
    token = csrf_of(m.get(f"/houses/{h.id}").get_data(as_text=True))
    r = m.post(f"/houses/{h.id}/status", data={"to": "rejected", "reason": "x" * 2001, "csrf_token": token},
               follow_redirects=True)
    assert "quá dài" in r.get_data(as_text=True)
    db.session.expire_all()
    assert h.status == "assessed"


# ---- amounts in surveys -----------------------------------------------------------------------------
def _eligible_envelope(form_row):
    """A generated survey of an eligible household (the funding questions are relevant)."""
    for seed in range(1, 60):
        env, _ = envelope(form_row, seed=seed)
        if "req_central_budget" in env["answers"]:
            return env
    raise AssertionError("no eligible household generated")


@pytest.mark.parametrize(("amount", "code"), [(10**15, "constraint"), (10**19, "type"), (10**400, "type"),
                                              (1e300, "type"), ("9" * 4000, "type")])
def test_ingest_refuses_an_endless_amount_with_a_field_error(client, people, amount, code):
    """Past 10^15 đồng the amount is refused at ingest; past 64 bits the form engine refuses the
    integer itself (it used to raise OverflowError / ValueError in the calculations: a 500)."""
    env = _eligible_envelope(publish())
    env["answers"]["req_central_budget"] = amount
    r = client.post("/api/v1/submissions", json=env, headers={**people["volunteer"], "Accept-Language": "en"})
    fields = _error(r, 422, "invalid_answers")["fields"]
    assert ("req_central_budget", code) in {(f["field"], f["code"]) for f in fields}
    if code == "constraint":
        assert {"field": "req_central_budget", "code": "constraint",
                "message": "The amount must be a whole number >= 0, below 10^15 đồng."} in fields
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(House.id))) == 0


def test_approving_a_stored_endless_amount_is_refused_whole(client, people):
    """A survey stored before ingest bounded amounts: approval is refused, nothing half written."""
    from server.models import User

    make_form()  # the survey's form: its funds_central_budget question is req_central_budget
    h = make_house("20968")
    vol = db.session.scalar(sa.select(User).where(User.username == "volunteer"))
    sub = make_submission(vol, h, answers={"req_central_budget": 10**19})
    db.session.commit()
    r = client.post(f"/api/v1/submissions/{sub.instance_id}/review", json={"action": "approve"},
                    headers=people["reviewer"])
    assert "yêu cầu sửa" in _error(r, 422, "amount_out_of_range")["message"]
    db.session.expire_all()
    assert sub.review_status == "received" and h.status == "assessed"
    assert db.session.scalar(sa.select(sa.func.count(HouseFunding.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(HouseEvent.id))) == 0
    r = client.post(f"/api/v1/submissions/{sub.instance_id}/review",
                    json={"action": "request_changes", "comment": "Sửa số tiền"}, headers=people["reviewer"])
    assert r.status_code == 200
