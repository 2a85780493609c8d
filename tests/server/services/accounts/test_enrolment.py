"""Phone set-up by QR code: an admin's one-time enrolment code, exchanged once for a device token that
works like a sign-in's; expired, retired (a newer code), wrong-user and locked refusals; and the race:
many threads redeem one code against a real threaded HTTP server on 127.0.0.1 (SQLite and PostgreSQL),
exactly one gets a token."""

from __future__ import annotations

import datetime as dt
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import sqlalchemy as sa
from werkzeug.serving import make_server

from server.errors import DomainError
from server.extensions import db
from server.models import DeviceToken, EnrolmentCode
from server.services.accounts import auth, enrolment
from tests.server.world import ANOTHER_PROVINCE, COMMUNE_TREE, make_units, make_user

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
SERVER = "https://maiam.example.vn"


@pytest.fixture
def admin(app):
    make_units(COMMUNE_TREE + ANOTHER_PROVINCE)
    make_user("lan", "volunteer", "20968")
    make_user("hoa", "volunteer", "20335")
    a = make_user("admin_nt", "admin", "517")
    db.session.commit()
    return a


def _issue(admin, username="lan", now=T0):
    code = enrolment.issue(db.session, admin, username, SERVER + "/", now=now)
    db.session.commit()
    return code


def test_the_payload_names_server_user_and_code_and_only_a_hash_is_stored(admin):
    code = _issue(admin)
    parts = urlsplit(code.payload)
    assert code.payload.startswith("maiam://enrol?")
    assert parse_qs(parts.query) == {"server": [SERVER], "username": ["lan"], "code": [code.code]}
    assert len(code.code) == 14 and code.code[4] == code.code[9] == "-"
    assert code.expires_at == T0 + dt.timedelta(hours=24)
    row = db.session.scalar(sa.select(EnrolmentCode))
    assert code.code.replace("-", "") not in row.code_hash and row.created_by == "admin_nt"


def test_a_code_gives_a_working_token_once(admin):
    code = _issue(admin)
    typed = code.code.lower().replace("-", " ")  # typed by hand: case and separators do not matter
    token, user = enrolment.redeem(db.session, "lan", typed, "phone-1", "10.0.0.1", now=T0 + dt.timedelta(hours=1))
    db.session.commit()
    assert user.username == "lan" and auth.user_for_token(db.session, token)[0].username == "lan"
    row = db.session.scalar(sa.select(EnrolmentCode))
    assert row.used_at is not None and row.device_token_id == db.session.scalar(sa.select(DeviceToken.id))
    with pytest.raises(DomainError, match="enrolment_code_used"):
        enrolment.redeem(db.session, "lan", code.code, "phone-2", "10.0.0.1", now=T0 + dt.timedelta(hours=2))


@pytest.mark.parametrize("case, code", [("expired", "enrolment_code_expired"), ("wrong user", "enrolment_code_invalid"),
                                        ("retired", "enrolment_code_invalid"), ("locked", "account_disabled"),
                                        ("made up", "enrolment_code_invalid")])
def test_refusals(admin, case, code):
    issued = _issue(admin)
    when, username, typed = T0 + dt.timedelta(hours=1), "lan", issued.code
    if case == "expired":
        when = T0 + dt.timedelta(hours=24)
    elif case == "wrong user":
        username = "admin_nt"
    elif case == "retired":
        _issue(admin, now=T0 + dt.timedelta(minutes=5))  # a newer code retires this one
    elif case == "locked":
        db.session.scalar(sa.select(EnrolmentCode)).user.is_active = False
        db.session.commit()
    else:
        typed = "ABCD-EFGH-JKMN"
    with pytest.raises(DomainError) as err:
        enrolment.redeem(db.session, username, typed, "phone-1", "10.0.0.1", now=when)
    assert err.value.code == code
    assert db.session.query(DeviceToken).count() == 0


def test_only_accounts_the_admin_manages(admin):
    with pytest.raises(DomainError, match="not_found"):
        enrolment.issue(db.session, admin, "hoa", SERVER, now=T0)  # Tam Kỳ: outside Núi Thành


def test_racing_phones_get_one_token(app, admin):
    code = _issue(admin, now=dt.datetime.now(dt.UTC))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    url = f"http://127.0.0.1:{server.server_port}/api/v1/auth/enrol"
    phones = 8
    start = threading.Barrier(phones)
    answers: list[tuple[int, str]] = []

    def redeem(i: int) -> None:
        start.wait()
        r = requests.post(url, json={"username": "lan", "code": code.code, "device_id": f"phone-{i}"}, timeout=120)
        body = r.json()
        answers.append((r.status_code, body.get("token") or body["error"]["code"]))

    threads = [threading.Thread(target=redeem, args=(i,)) for i in range(phones)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
    finally:
        server.shutdown()
        serving.join(timeout=10)
    db.session.remove()
    statuses = sorted(s for s, _ in answers)
    assert statuses == [201] + [409] * (phones - 1), answers
    assert {what for s, what in answers if s == 409} == {"enrolment_code_used"}
    assert db.session.query(DeviceToken).count() == 1
