"""One sign-in path for the phone (API) and the web: throttled per account and per (account, address),
never per address alone; growing delays; the same work for unknown and known usernames; a locked
account looks like a wrong password until the password is right; the client address from trusted
proxies only; the password rule; the audit log."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import sqlalchemy as sa
import werkzeug.security

from server import create_app
from server.errors import DomainError
from server.extensions import db
from server.models import LoginFailure, User
from server.services.accounts import auth
from tests.server.world import csrf_of

TOKEN = "/api/v1/auth/token"


def api_login(client, username, password, addr="10.0.0.1", **extra):
    return client.post(TOKEN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": addr}, **extra)


def web_login(client, username, password, addr="10.0.0.1"):
    token = csrf_of(client.get("/sign-in").get_data(as_text=True))
    return client.post("/sign-in", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": addr})


def alert(response) -> str:
    match = re.search(r'<p class="flash error" role="alert">(.*?)</p>', response.get_data(as_text=True))
    return match.group(1) if match else ""


def test_five_typos_behind_one_address_do_not_lock_the_others_out(app, client, make_user):
    make_user("lan")
    make_user("minh")
    allowed = app.config["LOGIN_FAILURES_ALLOWED"]
    for _ in range(allowed):
        assert api_login(client, "lan", "typo-typo").status_code == 401
    # the same office NAT (or the proxy): everyone else still signs in, on the phone and the web
    assert api_login(client, "minh", "demo").status_code == 201
    assert web_login(app.test_client(), "minh", "demo").status_code == 302
    # lan from this address waits, even with the right password; lan elsewhere does not
    r = api_login(client, "lan", "demo")
    assert r.status_code == 429 and r.get_json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(r.headers["Retry-After"]) <= app.config["LOGIN_FIRST_DELAY_SECONDS"]
    assert api_login(client, "lan", "demo", addr="10.9.9.9").status_code == 201


def test_the_web_sign_in_is_throttled_and_shares_the_count_with_the_api(app, client, make_user):
    make_user("lan")
    allowed = app.config["LOGIN_FAILURES_ALLOWED"]
    web = app.test_client()
    for i in range(allowed):
        r = web_login(web, "lan", "wrong-password") if i % 2 else api_login(client, "lan", "wrong-password")
        assert r.status_code == 401
    r = web_login(web, "lan", "demo")
    assert r.status_code == 429 and "thử lại sau 1 phút" in r.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure)) == allowed


def test_delays_double_up_to_the_cap_and_a_success_clears_them(app, make_user):
    make_user("lan")
    policy = auth.Throttle(per_address=2, per_account=100, first_delay_s=30, max_delay_s=100, forget_after_s=3600)
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

    def attempt(at_s, password="wrong-password"):
        try:
            auth.sign_in(db.session, "lan", password, "1.2.3.4", policy, channel="api",
                         now=t0 + dt.timedelta(seconds=at_s))
        except auth.Throttled as err:
            return err.retry_after_s
        except DomainError as err:
            return err.code
        return "ok"

    assert attempt(0) == "bad_credentials"
    assert attempt(1) == "bad_credentials"
    assert attempt(2) == 29                      # blocked for 30 s from the second failure
    assert attempt(2, "demo") == 29              # the right password waits too, unchecked
    assert attempt(31) == "bad_credentials"      # third failure: 60 s
    assert attempt(32) == 59
    assert attempt(91) == "bad_credentials"      # fourth: 120 s, capped at 100
    assert attempt(92) == 99
    assert attempt(191) == "bad_credentials"     # fifth: still the cap
    assert attempt(192) == 99
    assert attempt(291, "demo") == "ok"          # success clears the counters
    assert attempt(292) == "bad_credentials" and attempt(293) == "bad_credentials"
    assert attempt(294) == 29                    # and the delays start again from the first


def test_every_attempt_costs_one_password_hash_known_or_not(client, make_user, monkeypatch):
    make_user("lan")
    api_login(client, "nobody-warm-up", "whatever-pass", addr="10.0.0.7")  # the dummy hash is made once
    calls = []
    real = werkzeug.security._hash_internal

    def counting(method, salt, password):
        calls.append(method)
        return real(method, salt, password)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting)
    assert api_login(client, "lan", "wrong-password").status_code == 401
    known = len(calls)
    assert api_login(client, "no-such-user", "wrong-password").status_code == 401
    unknown = len(calls) - known
    assert known == unknown == 1 and set(calls) == {calls[0]} and calls[0].startswith("scrypt")


def test_a_locked_account_looks_like_a_wrong_password_until_the_password_is_right(app, client, make_user):
    make_user("lan").is_active = False
    db.session.commit()
    locked = api_login(client, "lan", "wrong-password")
    unknown = api_login(client, "nobody", "wrong-password")
    assert locked.status_code == unknown.status_code == 401 and locked.get_json() == unknown.get_json()
    r = api_login(client, "lan", "demo")
    assert r.status_code == 403 and r.get_json()["error"]["code"] == "account_disabled"
    web = app.test_client()
    wrong, nobody = web_login(web, "lan", "wrong-password"), web_login(web, "nobody", "wrong-password")
    assert wrong.status_code == nobody.status_code == 401
    assert alert(wrong) == alert(nobody) == "Sai tên đăng nhập hoặc mật khẩu."
    r = web_login(web, "lan", "demo")
    assert r.status_code == 403 and "đã bị khoá" in alert(r)


@pytest.mark.parametrize("proxies, expected", [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_the_client_address_comes_from_the_trusted_proxies_only(app, proxies, expected, make_user):
    cfg = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY",
                                      "INSTANCE_PATH", "MEDIA_ROOT")}
    proxied = create_app({**cfg, "TESTING": True, "TRUSTED_PROXIES": proxies})
    with proxied.app_context():
        r = proxied.test_client().post(TOKEN, json={"username": "x", "password": "wrong-password"},
                                       headers={"X-Forwarded-For": "203.0.113.7"},
                                       environ_base={"REMOTE_ADDR": "127.0.0.1"})
        assert r.status_code == 401
        db.session.remove()
        db.engine.dispose()
    assert db.session.scalar(sa.select(LoginFailure.address)) == expected


@pytest.mark.parametrize("password, ok", [("demo", False), ("12345678901", False), ("lan-lan", False),
                                          ("Lanlanlan", False), ("nha-moi-2026", True), ("mật khẩu dài", True)])
def test_the_password_rule(password, ok):
    assert (auth.password_problems(password, "lanlanlan") == []) is ok


def test_sign_ins_and_revocations_are_audited_without_secrets(app, client, make_user, caplog):
    caplog.set_level(logging.INFO, logger="maiam.audit")
    make_user("lan")
    api_login(client, "lan", "secret-guess-1")
    r = api_login(client, "lan", "demo")
    token = r.get_json()["token"]
    client.delete(TOKEN, headers={"Authorization": f"Bearer {token}"})
    for _ in range(app.config["LOGIN_FAILURES_ALLOWED"]):
        api_login(client, "lan", "secret-guess-2", addr="10.0.0.2")
    assert web_login(app.test_client(), "lan", "demo", addr="10.0.0.2").status_code == 429
    assert web_login(app.test_client(), "lan", "demo", addr="10.0.0.3").status_code == 302
    lines = [r.getMessage() for r in caplog.records if r.name == "maiam.audit"]
    text = "\n".join(lines)
    assert any(x.startswith("sign_in.failed") and 'username="lan"' in x and '"10.0.0.1"' in x for x in lines)
    assert any(x.startswith("sign_in.ok") and 'channel="api"' in x for x in lines)
    assert any(x.startswith("sign_in.ok") and 'channel="web"' in x for x in lines)
    assert any(x.startswith("sign_in.throttled") and '"10.0.0.2"' in x for x in lines)
    assert any(x.startswith("token.revoked") and 'username="lan"' in x for x in lines)
    assert "secret-guess" not in text and "demo" not in text and token not in text


def test_create_user_and_set_password_follow_the_rule(app, make_user):
    user = make_user("lan")
    with pytest.raises(DomainError) as err:
        auth.change_password(db.session, user, "1234567890")
    assert err.value.code == "weak_password"
    auth.change_password(db.session, user, "nha-moi-2026")
    db.session.commit()
    assert db.session.get(User, user.id).check_password("nha-moi-2026")


def test_a_success_clears_its_counters_and_forgotten_ones(app, make_user):
    from server.models import LoginThrottle

    make_user("lan")
    policy = auth.Throttle()
    t0 = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    for name in ("guess-1", "guess-2", "lan"):
        with pytest.raises(DomainError):
            auth.sign_in(db.session, name, "wrong-password", "1.2.3.4", policy, channel="api", now=t0)
    later = t0 + dt.timedelta(seconds=policy.forget_after_s + 1)
    with pytest.raises(DomainError):
        auth.sign_in(db.session, "guess-3", "wrong-password", "1.2.3.4", policy, channel="api", now=later)
    auth.sign_in(db.session, "lan", "demo", "1.2.3.4", policy, channel="api", now=later)
    db.session.commit()
    left = db.session.execute(sa.select(LoginThrottle.username).distinct()).scalars().all()
    assert left == ["guess-3"]


def test_the_audit_log_survives_the_migrations(tmp_path):
    """`python -m server` upgrades the database first; Alembic's logging set-up must not silence the audit."""
    from flask_migrate import upgrade

    audit_log = logging.getLogger("maiam.audit")
    audit_app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.db'}"})
    with audit_app.app_context():
        upgrade()
        db.engine.dispose()
    assert not audit_log.disabled
