"""Web sessions end on the server: a cookie copied before sign-out, an account lock, a password change
or "revoke all" is worth nothing afterwards; an idle session ends by itself. Security headers on every
response, web and API, with no inline script."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import User, WebSession
from server.services.accounts import auth
from tests.server.world import csrf_of, make_units, make_user, sign_in, token_of


@pytest.fixture
def world(app):
    make_units()
    make_user("lan", "reviewer", "517")
    make_user("admin", "admin", "49")
    db.session.commit()


def copy_of(app, client):
    """Another browser holding the very same session cookie (stolen, or left on a shared computer)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/review").status_code == 200


def test_a_cookie_copied_before_sign_out_no_longer_works(app, world):
    lan = sign_in(app.test_client(), "lan")
    thief = copy_of(app, lan)
    assert signed_in(thief)
    r = lan.post("/sign-out", data={"csrf_token": token_of(lan, "/review")})
    assert r.status_code == 302
    assert not signed_in(lan) and not signed_in(thief)
    assert thief.get("/review").headers["Location"].startswith("/sign-in")


def test_sign_out_ends_only_that_browser(app, world):
    office, home = sign_in(app.test_client(), "lan"), sign_in(app.test_client(), "lan")
    office.post("/sign-out", data={"csrf_token": token_of(office, "/review")})
    assert not signed_in(office) and signed_in(home)


def test_locking_the_account_ends_its_web_sessions(app, world):
    lan = sign_in(app.test_client(), "lan")
    admin = sign_in(app.test_client(), "admin")
    r = admin.post("/accounts/lan/active", data={"confirmed": "1", "active": "0", "csrf_token": token_of(admin, "/devices")})
    assert r.status_code == 302
    assert not signed_in(lan)
    admin.post("/accounts/lan/active", data={"confirmed": "1", "active": "1", "csrf_token": token_of(admin, "/devices")})
    assert not signed_in(lan)  # unlocking does not bring an ended session back


def test_revoke_all_and_a_password_change_end_web_sessions(app, world):
    lan = sign_in(app.test_client(), "lan")
    admin = sign_in(app.test_client(), "admin")
    admin.post("/accounts/lan/revoke", data={"confirmed": "1", "csrf_token": token_of(admin, "/devices")})
    assert not signed_in(lan)
    lan = sign_in(app.test_client(), "lan")
    auth.change_password(db.session, db.session.scalar(sa.select(User).filter_by(username="lan")), "nha-moi-2026")
    db.session.commit()
    assert not signed_in(lan)
    assert signed_in(sign_in(app.test_client(), "lan", "nha-moi-2026"))


def test_an_idle_session_ends_on_the_server(app, world):
    lan = sign_in(app.test_client(), "lan")
    thief = copy_of(app, lan)
    assert signed_in(lan)
    idle = app.config["SESSION_IDLE_MINUTES"]
    row = db.session.scalar(sa.select(WebSession))
    row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=idle - 5)
    db.session.commit()
    assert signed_in(lan)  # still inside the idle limit; last_seen_at moves on
    row = db.session.scalar(sa.select(WebSession))
    row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=idle + 1)
    db.session.commit()
    assert not signed_in(thief) and not signed_in(lan)
    assert db.session.scalar(sa.select(WebSession.ended_at)) is not None


def test_the_session_id_is_stored_hashed(app, world):
    lan = sign_in(app.test_client(), "lan")
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    sid = serializer.loads(lan.get_cookie("session").value)["sid"]
    row = db.session.scalar(sa.select(WebSession))
    assert row.sid_hash != sid and len(row.sid_hash) == 64


EXPECTED = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def check_headers(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "data:" in csp["img-src"] and "'self'" in csp["img-src"]


def test_security_headers_on_pages_api_static_and_errors(app, world):
    lan = sign_in(app.test_client(), "lan")
    anon = app.test_client()
    responses = [lan.get("/review"), lan.get("/dashboard"), anon.get("/sign-in"), anon.get("/nowhere"),
                 anon.get("/api/v1/forms"), anon.get("/api/v1/openapi.json"),
                 anon.post("/api/v1/auth/token", json={"username": "x", "password": "wrong-password"}),
                 anon.get("/static/web/app.js"), anon.get("/static/web/vendor/leaflet/leaflet.css")]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 401, 200, 401, 200, 200]
    for r in responses:
        check_headers(r)
        assert "Strict-Transport-Security" not in r.headers  # not in development
        r.close()


def test_hsts_and_secure_cookie_in_production(app, world):
    app.config.update(HSTS=True, SESSION_COOKIE_SECURE=True)  # what MAIAM_ENV=production sets (test_config)
    client = app.test_client()
    r = client.get("/sign-in", base_url="https://maiam.example")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    r = client.post("/sign-in", base_url="https://maiam.example", headers={"Referer": "https://maiam.example/sign-in"},
                    data={"username": "lan", "password": "demo", "csrf_token": csrf_of(r.get_data(as_text=True))})
    assert r.status_code == 302
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_no_page_carries_an_inline_script(app, world):
    admin = sign_in(app.test_client(), "admin")
    for path in ("/dashboard", "/houses", "/targets", "/reports", "/devices", "/sign-in"):
        page = admin.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+=", page), path  # no onclick= and the like
